from django.urls import path

from netweave.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.task_group_list, name="task_group_list"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<uuid:uid>/", views.request_detail, name="request_detail"),
    path("task-groups/new/", views.task_group_create, name="task_group_create"),
    path("task-groups/<uuid:uid>/", views.task_group_detail, name="task_group_detail"),
    path("task-groups/<uuid:uid>/edit/", views.task_group_update, name="task_group_update"),
    path("task-groups/<uuid:uid>/join/", views.task_group_join, name="task_group_join"),
    path("task-groups/<uuid:uid>/join/<uuid:join>/", views.join_decide, name="join_decide"),
    path(
        "task-groups/<uuid:uid>/members/<slug:organisation>/people/",
        views.member_people,
        name="member_people",
    ),
    path("task-groups/<uuid:uid>/close/", views.task_group_close, name="task_group_close"),
    path("task-groups/<uuid:uid>/deliverables/", views.deliverable_add, name="deliverable_add"),
    path(
        "task-groups/<uuid:uid>/deliverables/<uuid:deliverable>/",
        views.deliverable_fulfil,
        name="deliverable_fulfil",
    ),
    path("documents/<uuid:uid>/", views.document_download, name="document_download"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<uuid:uid>/", views.body_detail, name="body_detail"),
    path("bodies/<uuid:uid>/edit/", views.body_update, name="body_update"),
    path("bodies/<uuid:uid>/seats/new/", views.seat_add, name="seat_add"),
    path("bodies/<uuid:uid>/seats/<uuid:seat>/edit/", views.seat_update, name="seat_update"),
    path("bodies/<uuid:uid>/seats/<uuid:seat>/end/", views.seat_end, name="seat_end"),
    path("bodies/<uuid:uid>/seats/<uuid:seat>/replace/", views.seat_replace, name="seat_replace"),
]
