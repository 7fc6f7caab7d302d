from django.urls import path, register_converter
from django.urls.converters import get_converters

from archive.text import TextConverter
from stories.readings import views

app_name = "readings"

# As stories/urls.py has it; this module is included before it.
if "text" not in get_converters():
    register_converter(TextConverter, "text")

urlpatterns = [
    path("users/<text:username>/readings/", views.reading_list, name="reading_list"),
    path(
        "users/<text:username>/readings/clear/",
        views.history_clear,
        name="history_clear",
    ),
    path(
        "users/<text:username>/readings/<int:work_pk>/delete/",
        views.reading_forget,
        name="reading_forget",
    ),
    path(
        "works/<int:pk>/mark_for_later/",
        views.work_mark_for_later,
        name="work_mark_for_later",
    ),
    path(
        "works/<int:pk>/unmark_for_later/",
        views.work_unmark_for_later,
        name="work_unmark_for_later",
    ),
]
