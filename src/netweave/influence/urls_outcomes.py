from django.urls import path

from netweave.influence import views_outcomes as views

urlpatterns: list = [
    path("outcomes/", views.outcome_list, name="outcome_list"),
    path("outcomes/new/", views.outcome_create, name="outcome_create"),
    path("outcomes/<uuid:uid>/", views.outcome_detail, name="outcome_detail"),
    path("outcomes/<uuid:uid>/edit/", views.outcome_edit, name="outcome_edit"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<uuid:uid>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<uuid:uid>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<uuid:uid>/values/", views.value_create, name="value_create"),
    path("indicators/<uuid:uid>/values/<uuid:value>/", views.value_edit, name="value_edit"),
    path(
        "indicators/<uuid:uid>/values/<uuid:value>/delete/",
        views.value_delete,
        name="value_delete",
    ),
]
