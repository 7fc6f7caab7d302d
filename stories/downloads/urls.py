from django.urls import path, register_converter

from stories.downloads import views
from stories.downloads.addresses import FORMATS


class FormatConverter:
    regex = "|".join(FORMATS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "download_format")

app_name = "downloads"

urlpatterns = [
    path(
        "downloads/<int:pk>/<str:name>.<download_format:ext>",
        views.download,
        name="download",
    ),
]
