"""Pages of the report itself: index of years, the report, downloads, the template."""

from django.urls import path

from netweave.reports import views

urlpatterns: list = [
    path("", views.report_index, name="index"),
    path("template/", views.template_edit, name="template"),
    path("<int:year>/", views.report_detail, name="report"),
    path("<int:year>/download.<str:fmt>", views.report_download, name="download"),
]
