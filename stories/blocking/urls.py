app_name = "blocking"

urlpatterns = []
