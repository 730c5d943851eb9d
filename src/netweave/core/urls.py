from django.urls import path

from netweave.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "networks/<slug:network>/export/<slug:kind>.<str:fmt>",
        views.network_export,
        name="network_export",
    ),
    path("networks/<slug:network>/audit/", views.network_audit, name="network_audit"),
    path(
        "accounts/invitation/<uidb64>/<token>/", views.accept_invitation, name="accept_invitation"
    ),
]
