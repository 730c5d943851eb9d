from django.urls import path

from netweave.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("new/", views.round_create, name="round_create"),
    path("results/", views.results_page, name="results"),
    path("<uuid:uid>/", views.round_detail, name="round_detail"),
    path("<uuid:uid>/open/", views.round_open, name="round_open"),
    path("<uuid:uid>/close/", views.round_close, name="round_close"),
    path("<uuid:uid>/rate/", views.rate, name="rate"),
]
