"""API of reports: viewsets registered on the /api/v1/ router, and extra API paths."""

from netweave.reports import api_notes, api_report

# (prefix, viewset, basename) triples registered on the router in netweave/api.py.
ROUTES: list = [*api_report.ROUTES, *api_notes.ROUTES]
# Extra paths under /api/v1/ that are not router viewsets.
URLS: list = [*api_report.URLS, *api_notes.URLS]
