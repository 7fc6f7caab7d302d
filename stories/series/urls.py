from django.urls import path, re_path

from archive.text import TextConverter
from stories.series import views
from stories.views import slash_dropped

app_name = "series"

urlpatterns = [
    path("series/new/", views.series_create, name="series_create"),
    # AO3's address of a series, which its tools match (and build ?page=N
    # on), has no trailing slash; the slashed form used before answers 301.
    path("series/<int:pk>", views.series_detail, name="series_detail"),
    path("series/<int:pk>/", slash_dropped),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:pk>/delete/", views.series_delete, name="series_delete"),
    path("series/<int:pk>/works/", views.series_add_work, name="series_add_work"),
    path(
        "series/<int:pk>/works/<int:work_pk>/remove/",
        views.series_remove_work,
        name="series_remove_work",
    ),
    path(
        "series/<int:pk>/works/<int:work_pk>/move/",
        views.series_move_work,
        name="series_move_work",
    ),
    path(
        "works/<int:work_pk>/series/add/",
        views.work_add_to_series,
        name="work_add_to_series",
    ),
    # As stories.urls' <text:username>, which is registered after these load.
    re_path(
        rf"^users/(?P<username>{TextConverter.regex})/series/$",
        views.user_series,
        name="user_series",
    ),
]
