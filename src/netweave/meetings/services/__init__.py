"""Meeting services, one module per part of a meeting's life; import them from here.

- ``meetings``: creating meetings, invitations, registrations, reminders, attendance
- ``agenda``: agenda items, members' offers and votes, the agenda builder
- ``followup``: check-in, minutes, decisions, action items and their follow-up
"""

from netweave.meetings.services.agenda import *  # noqa: F403
from netweave.meetings.services.followup import *  # noqa: F403
from netweave.meetings.services.meetings import *  # noqa: F403
