from django.urls import path

from netweave.analysis import views_influence

urlpatterns: list = [
    path(
        "influence/<uuid:goal>/",
        views_influence.influence_paths,
        name="influence_paths",
    ),
]
