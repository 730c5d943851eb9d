"""API of surveys: viewsets registered on the /api/v1/ router, and extra API paths."""

# (prefix, viewset, basename) triples registered on the router in netweave/api.py.
ROUTES: list = []
# Extra paths under /api/v1/ that are not router viewsets.
URLS: list = []
