from django.urls import path

from netweave.networks import views

app_name = "networks"

urlpatterns = [
    path("", views.network_detail, name="detail"),
    path("roles/", views.role_list, name="role_list"),
]
