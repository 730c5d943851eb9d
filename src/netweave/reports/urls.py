"""Pages of a network's reports and learning notes (under /networks/<slug>/reports/)."""

from netweave.reports import urls_notes, urls_report

app_name = "reports"

urlpatterns = [*urls_report.urlpatterns, *urls_notes.urlpatterns]
