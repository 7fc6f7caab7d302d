from django.urls import path, register_converter
from django.urls.converters import get_converters

from archive.text import TextConverter
from stories.api import docs, views

app_name = "api"

# Names in addresses (tags, people) never hold control characters.
if "text" not in get_converters():
    register_converter(TextConverter, "text")

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    path("works/", views.WorkList.as_view(), name="work_list"),
    path("works/search/", views.WorkSearch.as_view(), name="work_search"),
    path("works/<int:pk>/", views.WorkDetail.as_view(), name="work_detail"),
    path(
        "works/<int:work_pk>/chapters/<int:pk>/",
        views.ChapterDetail.as_view(),
        name="chapter_detail",
    ),
    path(
        "works/<int:pk>/bookmarks/",
        views.WorkBookmarks.as_view(),
        name="work_bookmarks",
    ),
    path("tags/", views.TagList.as_view(), name="tag_list"),
    path("tags/<text:slug>/", views.TagDetail.as_view(), name="tag_detail"),
    path("tags/<text:slug>/works/", views.TagWorks.as_view(), name="tag_works"),
    path("users/<text:username>/", views.UserDetail.as_view(), name="user_detail"),
    path("users/<text:username>/works/", views.UserWorks.as_view(), name="user_works"),
    path(
        "users/<text:username>/series/",
        views.UserSeries.as_view(),
        name="user_series",
    ),
    path(
        "users/<text:username>/bookmarks/",
        views.UserBookmarks.as_view(),
        name="user_bookmarks",
    ),
    path("series/<int:pk>/", views.SeriesDetail.as_view(), name="series_detail"),
    path("bookmarks/<int:pk>/", views.BookmarkDetail.as_view(), name="bookmark_detail"),
]
