from django.urls import path

from netweave.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.partnership_create, name="create"),
    path("by-sector/", views.contribution_overview, name="overview"),
    path("arrangement-types/", views.arrangement_list, name="arrangement_list"),
    path("<uuid:uid>/", views.partnership_detail, name="detail"),
    path("<uuid:uid>/edit/", views.partnership_edit, name="edit"),
    path("<uuid:uid>/agreement/", views.agreement_download, name="agreement"),
    path("<uuid:uid>/partners/", views.partner_add, name="partner_add"),
    path(
        "<uuid:uid>/partners/<uuid:partner>/remove/",
        views.partner_remove,
        name="partner_remove",
    ),
    path("<uuid:uid>/contributions/", views.contribution_add, name="contribution_add"),
    path(
        "<uuid:uid>/contributions/<uuid:contribution>/remove/",
        views.contribution_remove,
        name="contribution_remove",
    ),
    path("<uuid:uid>/placement/", views.placement_record, name="placement"),
    path("<uuid:uid>/health/", views.round_open, name="round_open"),
    path("<uuid:uid>/health/<uuid:round_uid>/", views.health_answer, name="health_answer"),
]
