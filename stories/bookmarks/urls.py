app_name = "bookmarks"

urlpatterns = []
