"""Installation-wide pages of the programme learning team (under /programme/)."""

from django.urls import path

from netweave.reports import views_programme as views

app_name = "programme"

urlpatterns: list = [
    path("", views.comparison, name="index"),
    path("notes/", views.note_search, name="notes"),
]
