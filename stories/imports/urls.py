from django.urls import path

from stories.imports import views

app_name = "imports"

urlpatterns = [
    path("works/import/", views.work_import, name="work_import"),
]
