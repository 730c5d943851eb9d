from django.urls import path

from netweave.meetings.views import calendar as views

urlpatterns = [
    path("", views.meeting_calendar, name="calendar"),
    path("new/", views.meeting_create, name="create"),
    path("calendar.ics", views.network_feed, name="network_feed"),
    path("feeds/reset/", views.feed_reset, name="feed_reset"),
    path("feeds/<str:token>.ics", views.person_feed, name="person_feed"),
    path("<uuid:uid>/", views.meeting_detail, name="detail"),
    path("<uuid:uid>/edit/", views.meeting_update, name="update"),
    path("<uuid:uid>/event.ics", views.meeting_event, name="event"),
    path("<uuid:uid>/invite/", views.meeting_invite, name="invite"),
    path("<uuid:uid>/register/", views.meeting_register, name="register"),
]
