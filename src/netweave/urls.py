from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

urlpatterns = [
    path("", include("netweave.core.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("networks/<slug:network>/", include("netweave.networks.urls")),
    path("networks/<slug:network>/", include("netweave.directory.urls")),
    path("networks/<slug:network>/imports/", include("netweave.imports.urls")),
    path("networks/<slug:network>/meetings/", include("netweave.meetings.urls")),
    path("networks/<slug:network>/governance/", include("netweave.governance.urls")),
    path("networks/<slug:network>/activities/", include("netweave.activities.urls")),
    path("networks/<slug:network>/partnerships/", include("netweave.partnerships.urls")),
    path("networks/<slug:network>/library/", include("netweave.library.urls")),
    path("networks/<slug:network>/consultations/", include("netweave.consultations.urls")),
    path("networks/<slug:network>/influence/", include("netweave.influence.urls")),
    path("networks/<slug:network>/surveys/", include("netweave.surveys.urls")),
    path("networks/<slug:network>/analysis/", include("netweave.analysis.urls")),
    path("networks/<slug:network>/reports/", include("netweave.reports.urls")),
    path("directory/", include("netweave.directory.global_urls")),
    path("programme/", include("netweave.reports.programme_urls")),
    path("api/v1/", include("netweave.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]
