"""Pages of a network's learning notes."""

urlpatterns: list = []
