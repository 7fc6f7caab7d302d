from django.urls import path

from stories.statistics import views

app_name = "statistics"

urlpatterns = [
    path(
        "users/<text:username>/statistics/",
        views.author_statistics,
        name="author_statistics",
    ),
    path(
        "users/<text:username>/statistics/<slug:chart>.svg",
        views.author_chart,
        name="author_chart",
    ),
]
