from django.urls import path

from netweave.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/invitation/<uidb64>/<token>/", views.accept_invitation, name="accept_invitation"
    ),
]
