"""API of influence: viewsets registered on the /api/v1/ router, and extra API paths."""

from netweave.influence import api_mapping, api_outcomes

# (prefix, viewset, basename) triples registered on the router in netweave/api.py.
ROUTES: list = []
ROUTES.extend(api_outcomes.ROUTES)
ROUTES.extend(api_mapping.ROUTES)
# Extra paths under /api/v1/ that are not router viewsets.
URLS: list = []
