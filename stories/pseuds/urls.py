from django.urls import path, register_converter
from django.urls.converters import get_converters

from archive.text import TextConverter
from stories.pseuds import views

app_name = "pseuds"

if "text" not in get_converters():
    register_converter(TextConverter, "text")

# A pseud's own page is AO3's address, /users/<user>/pseuds/<pseud> (no
# slash), named stories:pseud_detail as before.
urlpatterns = [
    path("users/<text:username>/pseuds/", views.pseud_list, name="pseud_list"),
    path("users/<text:username>/pseuds/new/", views.pseud_create, name="pseud_create"),
    path(
        "users/<text:username>/pseuds/<text:pseud>/edit/",
        views.pseud_edit,
        name="pseud_edit",
    ),
    path(
        "users/<text:username>/pseuds/<text:pseud>/delete/",
        views.pseud_delete,
        name="pseud_delete",
    ),
]
