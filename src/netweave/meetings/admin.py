from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from netweave.meetings.models import Attendance, Meeting


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "network", "kind", "start", "venue"]
    list_filter = ["network", "kind"]
    search_fields = ["title"]
    date_hierarchy = "start"
    inlines = [AttendanceInline]
