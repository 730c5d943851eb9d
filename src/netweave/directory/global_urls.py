"""Installation-wide addresses of an organisation or a person, resolved to a network page."""

from django.urls import path

from netweave.directory import views

app_name = "directory_global"

urlpatterns = [
    path("organisations/<slug:slug>/", views.organisation_global, name="organisation_global"),
    path("people/<uuid:uid>/", views.person_global, name="person_global"),
]
