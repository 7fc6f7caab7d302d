app_name = "opds"

urlpatterns = []
