from django.urls import path

from netweave.influence import views_mapping as views

urlpatterns = [
    path("mapping/", views.goal_list, name="map_goal_list"),
    path("mapping/new/", views.goal_create, name="map_goal_create"),
    path("mapping/<uuid:uid>/", views.goal_detail, name="map_goal_detail"),
    path("mapping/<uuid:uid>/edit/", views.goal_edit, name="map_goal_edit"),
    path("mapping/<uuid:uid>/assess/", views.assess, name="map_assess"),
    path(
        "mapping/<uuid:uid>/assessments/<slug:organisation>/<str:day>/delete/",
        views.assessment_delete,
        name="map_assessment_delete",
    ),
]
