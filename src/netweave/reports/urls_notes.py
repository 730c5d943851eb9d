"""Pages of a network's learning notes."""

from django.urls import path

from netweave.reports import views_notes as views

urlpatterns: list = [
    path("notes/", views.note_list, name="notes"),
    path("notes/new/", views.note_create, name="note_new"),
    path("notes/<int:pk>/", views.note_detail, name="note"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
]
