app_name = "readings"

urlpatterns = []
