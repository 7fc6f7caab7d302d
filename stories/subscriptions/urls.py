from django.urls import path

from stories.subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("subscriptions/", views.subscription_create, name="subscription_create"),
    path(
        "subscriptions/<int:pk>/delete/",
        views.subscription_delete,
        name="subscription_delete",
    ),
    path(
        "users/<str:username>/subscriptions/",
        views.subscription_list,
        name="subscription_list",
    ),
    path("users/<str:username>/inbox/", views.inbox, name="inbox"),
]
