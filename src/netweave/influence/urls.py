from netweave.influence import urls_mapping, urls_outcomes

app_name = "influence"

urlpatterns = [*urls_outcomes.urlpatterns, *urls_mapping.urlpatterns]
