from django.urls import path

from netweave.library import views

app_name = "library"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("add/", views.document_create, name="create"),
    path("<uuid:uid>/", views.document_detail, name="detail"),
    path("<uuid:uid>/edit/", views.document_edit, name="edit"),
    path("<uuid:uid>/delete/", views.document_delete, name="delete"),
    path("<uuid:uid>/download/", views.document_download, name="download"),
    path("<uuid:uid>/attach/", views.document_attach, name="attach"),
    path("<uuid:uid>/detach/", views.document_detach, name="detach"),
]
