from django.urls import path

from netweave.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("cofinancing/", views.cofinancing, name="cofinancing"),
    path("exchange-rates/", views.exchange_rates, name="rates"),
    path("<uuid:uid>/", views.activity_detail, name="detail"),
    path("<uuid:uid>/edit/", views.activity_edit, name="edit"),
    path("<uuid:uid>/participants/", views.participation_add, name="participation_add"),
    path(
        "<uuid:uid>/participants/remove/",
        views.participation_remove,
        name="participation_remove",
    ),
    path("<uuid:uid>/contributions/", views.contribution_add, name="contribution_add"),
    path(
        "<uuid:uid>/contributions/<uuid:contribution>/remove/",
        views.contribution_remove,
        name="contribution_remove",
    ),
    path("<uuid:uid>/outputs/", views.output_add, name="output_add"),
    path("<uuid:uid>/outputs/<uuid:output>/file/", views.output_file, name="output_file"),
]
