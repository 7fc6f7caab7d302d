from django.urls import path

# stories.urls registers the "text" converter these addresses use; they are
# read before it.
import stories.urls  # noqa: F401
from stories.blocking import views

app_name = "blocking"

urlpatterns = [
    path("users/<text:username>/blocked/", views.blocked_list, name="blocked_list"),
    path("users/<text:username>/muted/", views.muted_list, name="muted_list"),
    path("users/<text:username>/block/", views.user_block, name="user_block"),
    path("users/<text:username>/unblock/", views.user_unblock, name="user_unblock"),
    path("users/<text:username>/mute/", views.user_mute, name="user_mute"),
    path("users/<text:username>/unmute/", views.user_unmute, name="user_unmute"),
]
