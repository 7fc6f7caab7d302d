from django.urls import path

from stories.moderation import views

app_name = "moderation"

urlpatterns = [
    path("works/<int:pk>/report/", views.report_work, name="report_work"),
    path("comments/<int:pk>/report/", views.report_comment, name="report_comment"),
    path(
        "works/<int:work_pk>/comments/held/",
        views.held_comments,
        name="held_comments",
    ),
    path(
        "comments/<int:pk>/moderate/",
        views.held_comment_moderate,
        name="held_comment_moderate",
    ),
]
