app_name = "series"

urlpatterns = []
