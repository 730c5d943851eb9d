from django.urls import path

from netweave.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<uuid:uid>/", views.import_detail, name="detail"),
    path("<uuid:uid>/options/", views.import_options, name="options"),
    path("<uuid:uid>/confirm/", views.import_confirm, name="confirm"),
    path("<uuid:uid>/undo/", views.import_undo, name="undo"),
    path("<uuid:uid>/discard/", views.import_discard, name="discard"),
]
