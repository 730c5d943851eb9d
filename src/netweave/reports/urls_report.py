"""Pages of the report itself: index of years, the report, downloads, the template."""

urlpatterns: list = []
