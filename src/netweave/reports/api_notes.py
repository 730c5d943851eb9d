"""API: see the module docstring of netweave.reports.api."""

ROUTES: list = []
URLS: list = []
