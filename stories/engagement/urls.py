from django.urls import path

from stories.engagement import views

app_name = "engagement"

urlpatterns = [
    path("works/<int:pk>/kudos/", views.kudos_create, name="kudos_create"),
]
