from netweave.analysis import urls_influence, urls_map

app_name = "analysis"

urlpatterns = [*urls_map.urlpatterns, *urls_influence.urlpatterns]
