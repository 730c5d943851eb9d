"""Check-in, minutes, decisions, action items and the action-item board."""

from django.urls import path

from netweave.meetings.views import day

urlpatterns: list = [
    path("actions/", day.action_board, name="action_board"),
    path("actions/<uuid:action>/status/", day.action_status, name="action_status"),
    path("<uuid:uid>/checkin/", day.checkin, name="checkin"),
    path("<uuid:uid>/checkin/registered/", day.checkin_registered, name="checkin_registered"),
    path("<uuid:uid>/checkin/add/", day.checkin_add, name="checkin_add"),
    path("<uuid:uid>/checkin/<uuid:person>/", day.checkin_toggle, name="checkin_toggle"),
    path("<uuid:uid>/minutes/", day.minutes, name="minutes"),
    path("<uuid:uid>/minutes/statements/", day.statement_add, name="statement_add"),
    path("<uuid:uid>/minutes/statements/remove/", day.statement_remove, name="statement_remove"),
    path("<uuid:uid>/minutes/decisions/", day.decision_add, name="decision_add"),
    path(
        "<uuid:uid>/minutes/decisions/<uuid:decision>/remove/",
        day.decision_remove,
        name="decision_remove",
    ),
    path("<uuid:uid>/minutes/actions/", day.action_add, name="action_add"),
    path("<uuid:uid>/minutes.<str:fmt>", day.minutes_export, name="minutes_export"),
]
