"""Installation-wide pages of the programme learning team (under /programme/)."""

app_name = "programme"

urlpatterns: list = []
