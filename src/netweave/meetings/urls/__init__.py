from netweave.meetings.urls.agenda import urlpatterns as agenda
from netweave.meetings.urls.calendar import urlpatterns as calendar
from netweave.meetings.urls.day import urlpatterns as day

app_name = "meetings"

urlpatterns = calendar + agenda + day
