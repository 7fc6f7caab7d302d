from django.urls import path, re_path

from archive.text import TextConverter
from stories.bookmarks import views

app_name = "bookmarks"

# A person's name never holds control characters (archive/text.py); the
# pattern is spelt out since stories/urls.py registers its converter later.
USER = rf"^users/(?P<username>{TextConverter.regex})/bookmarks/"

urlpatterns = [
    path(
        "works/<int:work_pk>/bookmarks/new/",
        views.bookmark_create,
        name="bookmark_create",
    ),
    path("works/<int:work_pk>/bookmarks/", views.work_bookmarks, name="work_bookmarks"),
    path(
        "series/<int:series_pk>/bookmarks/new/",
        views.series_bookmark_create,
        name="series_bookmark_create",
    ),
    path("bookmarks/<int:pk>/", views.bookmark_detail, name="bookmark_detail"),
    path("bookmarks/<int:pk>/edit/", views.bookmark_edit, name="bookmark_edit"),
    path("bookmarks/<int:pk>/delete/", views.bookmark_delete, name="bookmark_delete"),
    path("bookmarks/<int:pk>/move/", views.bookmark_move, name="bookmark_move"),
    re_path(rf"{USER}$", views.user_bookmarks, name="user_bookmarks"),
    re_path(rf"{USER}folders/$", views.folder_list, name="folder_list"),
    re_path(
        rf"{USER}folders/(?P<folder_pk>[0-9]+)/$",
        views.user_bookmarks,
        name="folder_detail",
    ),
    re_path(
        rf"{USER}folders/(?P<pk>[0-9]+)/edit/$", views.folder_edit, name="folder_edit"
    ),
    re_path(
        rf"{USER}folders/(?P<pk>[0-9]+)/move/$", views.folder_move, name="folder_move"
    ),
    re_path(
        rf"{USER}folders/(?P<pk>[0-9]+)/delete/$",
        views.folder_delete,
        name="folder_delete",
    ),
]
