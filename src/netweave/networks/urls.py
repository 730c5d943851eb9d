from django.urls import path

from netweave.networks import views

app_name = "networks"

urlpatterns = [
    path("", views.network_detail, name="detail"),
    path("edit/", views.network_edit, name="edit"),
    path("milestones/", views.milestone_record, name="milestone_record"),
    path("members/", views.member_list, name="member_list"),
    path("members/export.<str:fmt>", views.member_export, name="member_export"),
    path("members/<slug:organisation>/", views.member_detail, name="member_detail"),
    path("members/<slug:organisation>/leave/", views.member_leave, name="member_leave"),
    path("members/<slug:organisation>/seat/", views.member_seat, name="member_seat"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/assign/", views.role_assign, name="role_assign"),
    path("roles/invite/", views.role_invite, name="role_invite"),
    path("roles/remove/", views.role_remove, name="role_remove"),
]
