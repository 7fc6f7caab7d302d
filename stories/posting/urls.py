from django.urls import path

from stories.posting import views

app_name = "posting"

urlpatterns = [
    path(
        "works/<int:pk>/unschedule/",
        views.work_unschedule,
        name="work_unschedule",
    ),
    path(
        "works/<int:work_pk>/chapters/<int:pk>/unschedule/",
        views.chapter_unschedule,
        name="chapter_unschedule",
    ),
]
