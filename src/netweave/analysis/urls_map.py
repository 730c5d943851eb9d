"""The analysis dashboard, the network map, its pictures and the progress endpoint."""

from django.urls import path

from netweave.analysis import views

urlpatterns: list = [
    path("", views.analysis_dashboard, name="dashboard"),
    path("map/", views.analysis_map, name="map"),
    path("map.json", views.analysis_map_json, name="map_json"),
    path("map.svg", views.analysis_map_svg, name="map_svg"),
    path("map.png", views.analysis_map_png, name="map_png"),
    path("status/", views.analysis_status, name="status"),
]
