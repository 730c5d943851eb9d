from django.urls import path

from netweave.directory import views

app_name = "directory"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/export.<str:fmt>", views.organisation_export, name="organisation_export"),
    # Before the profile's pattern: "new" reads as a slug too (services never make it one).
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_update, name="organisation_update"),
    path("people/", views.person_list, name="person_list"),
    path("people/export.<str:fmt>", views.person_export, name="person_export"),
    path(
        "people/organisations/",
        views.organisation_suggestions,
        name="organisation_suggestions",
    ),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<uuid:uid>/", views.person_detail, name="person_detail"),
    path("people/<uuid:uid>/edit/", views.person_update, name="person_update"),
    path(
        "people/<uuid:uid>/personal-data.json",
        views.person_personal_data,
        name="person_personal_data",
    ),
    path("people/<uuid:uid>/erase/", views.person_erase, name="person_erase"),
]
