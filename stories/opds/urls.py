from django.urls import path, register_converter
from django.urls.converters import get_converters

from archive.text import TextConverter
from stories.opds import views

app_name = "opds"

# Names in addresses never hold control characters (stories/urls.py).
if "text" not in get_converters():
    register_converter(TextConverter, "text")

urlpatterns = [
    path("opds/", views.root, name="root"),
    path("opds/signin", views.signin, name="signin"),
    path("opds/search.xml", views.search_description_view, name="search_description"),
    path("opds/search/", views.search, name="search"),
    path("opds/works/", views.work_list, name="work_list"),
    path("opds/fandoms/", views.fandom_list, name="fandom_list"),
    path("opds/tags/<text:slug>/", views.tag_works, name="tag_works"),
    path("opds/users/<text:username>/", views.user_works, name="user_works"),
]
