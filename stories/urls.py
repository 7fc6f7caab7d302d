from django.urls import path, register_converter
from django.urls.converters import get_converters

from archive.text import TextConverter
from stories import views
from stories.feeds import TagFeed
from stories.pseuds import views as pseud_views

app_name = "stories"

# Names in addresses (tags, people) never hold control characters: those match nothing.
# The sub-apps' addresses with names, included before these, may have registered it.
if "text" not in get_converters():
    register_converter(TextConverter, "text")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("works/", views.WorkListView.as_view(), name="work_list"),
    path("works/new/", views.work_create, name="work_create"),
    path("works/search", views.WorkSearchView.as_view(), name="work_search"),
    path("works/search/", views.WorkSearchView.as_view()),
    # AO3's addresses for reading, which its tools match, have no trailing
    # slash; the slashed forms this archive used before answer 301.
    path("works/<int:pk>", views.work_detail, name="work_detail"),
    path("works/<int:pk>/", views.slash_dropped),
    path("works/<int:pk>/edit/", views.work_edit, name="work_edit"),
    path("works/<int:pk>/delete/", views.work_delete, name="work_delete"),
    path("works/<int:pk>/post/", views.work_post, name="work_post"),
    path("works/<int:pk>/navigate", views.work_navigate, name="work_navigate"),
    path("works/<int:pk>/navigate/", views.slash_dropped),
    path("works/<int:pk>/hide/", views.work_hide, name="work_hide"),
    path("works/<int:pk>/creators/", views.work_creators, name="work_creators"),
    path(
        "works/<int:pk>/creators/<int:user_pk>/remove/",
        views.work_creator_remove,
        name="work_creator_remove",
    ),
    path(
        "invitations/<int:pk>/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<int:pk>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("preferences/hidden/", views.hidden_list, name="hidden_list"),
    path(
        "works/<int:work_pk>/chapters/new/", views.chapter_create, name="chapter_create"
    ),
    path(
        "works/<int:work_pk>/chapters/manage/",
        views.chapters_reorder,
        name="chapter_reorder",
    ),
    path(
        "works/<int:work_pk>/chapters/<int:pk>",
        views.chapter_detail,
        name="chapter_detail",
    ),
    path("works/<int:work_pk>/chapters/<int:pk>/", views.slash_dropped),
    path(
        "works/<int:work_pk>/chapters/<int:pk>/edit/",
        views.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<int:work_pk>/chapters/<int:pk>/delete/",
        views.chapter_delete,
        name="chapter_delete",
    ),
    path(
        "works/<int:work_pk>/chapters/<int:pk>/comments/",
        views.comment_create,
        name="comment_create",
    ),
    # AO3's short address of a chapter, which its tools are given.
    path("chapters/<int:pk>", views.chapter_address, name="chapter_address"),
    path("comments/<int:pk>/", views.comment_detail, name="comment_detail"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("fandoms/", views.FandomListView.as_view(), name="fandom_list"),
    path("users/<text:username>/", views.UserDetailView.as_view(), name="user_detail"),
    # AO3's address of a pseud, which its tools read as a work's creator.
    path(
        "users/<text:username>/pseuds/<text:pseud>",
        pseud_views.pseud_detail,
        name="pseud_detail",
    ),
    path(
        "users/<text:username>/invitations/",
        views.invitation_list,
        name="invitation_list",
    ),
    path("tags/autocomplete/", views.tag_autocomplete, name="tag_autocomplete"),
    path("tags/<text:slug>/works/", views.TagWorksView.as_view(), name="tag_works"),
    path("tags/<text:slug>/feed.atom", TagFeed(), name="tag_feed"),
]
