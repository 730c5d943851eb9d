"""Members browsing the network and registering for meetings, for ``locust``.

Each simulated user signs in as one of the focal points that ``netweave seed-scale``
creates (``scale-focal-1`` …), so no two users share an account, then browses the
directory, profiles and meetings and now and then registers someone of their organisation
for an upcoming meeting. See bench/load/run.py for the headless run against gunicorn.

Settings come from the environment: NETWEAVE_LOAD_NETWORK (default scale-1),
NETWEAVE_LOAD_PASSWORD (default netweave-scale), NETWEAVE_LOAD_PREFIX (default scale),
NETWEAVE_LOAD_SESSIONS (a JSON list of session keys to use instead of signing in).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

NETWORK = os.environ.get("NETWEAVE_LOAD_NETWORK", "scale-1")
PASSWORD = os.environ.get("NETWEAVE_LOAD_PASSWORD", "netweave-scale")
PREFIX = os.environ.get("NETWEAVE_LOAD_PREFIX", "scale")
BASE = f"/networks/{NETWORK}"
_sessions_file = os.environ.get("NETWEAVE_LOAD_SESSIONS")
SESSIONS: list[str] = json.loads(Path(_sessions_file).read_text()) if _sessions_file else []
ACCOUNTS = itertools.count(1)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ORGANISATION = re.compile(rf"{BASE}/organisations/([a-z0-9-]+)/")
MEETING = re.compile(rf"{BASE}/meetings/([0-9a-f-]{{36}})/")
PERSON_OPTION = re.compile(r'<option value="(\d+)"')


class Member(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        number = next(ACCOUNTS)
        if SESSIONS:
            # Signed in beforehand (bench/load/run.py): one session per focal point.
            self.client.cookies.set("sessionid", SESSIONS[(number - 1) % len(SESSIONS)])
        else:
            page = self.client.get("/accounts/login/", name="login page")
            self.client.post(
                "/accounts/login/",
                {
                    "username": f"{PREFIX}-focal-{number}",
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                },
                headers={"Referer": self.client.base_url + "/accounts/login/"},
                name="sign in",
            )
        tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).date().isoformat()
        upcoming = self.client.get(
            f"/api/v1/meetings/?network={NETWORK}&from={tomorrow}&page_size=100",
            name="API upcoming meetings",
        ).json()
        self.upcoming = [row["uid"] for row in upcoming.get("results", [])]
        self.organisations: list[str] = []
        self.meetings: list[str] = []

    @task(4)
    def directory(self) -> None:
        page = random.randint(1, 20)
        response = self.client.get(f"{BASE}/organisations/?page={page}", name="directory")
        self.organisations = ORGANISATION.findall(response.text) or self.organisations

    @task(2)
    def directory_filtered(self) -> None:
        sector = random.choice(["civil-society", "government", "international-ngo", "academia"])
        self.client.get(
            f"{BASE}/organisations/?sector={sector}&page={random.randint(1, 3)}",
            name="directory filtered",
        )

    @task(3)
    def organisation(self) -> None:
        if self.organisations:
            slug = random.choice(self.organisations)
            self.client.get(f"{BASE}/organisations/{slug}/", name="organisation")

    @task(2)
    def meetings(self) -> None:
        response = self.client.get(f"{BASE}/meetings/?view=list", name="meetings")
        self.meetings = MEETING.findall(response.text) or self.meetings

    @task(2)
    def meeting(self) -> None:
        if self.meetings:
            uid = random.choice(self.meetings)
            self.client.get(f"{BASE}/meetings/{uid}/", name="meeting")

    @task(1)
    def home(self) -> None:
        self.client.get(f"{BASE}/", name="network home")

    @task(1)
    def api_organisations(self) -> None:
        self.client.get(f"/api/v1/organisations/?network={NETWORK}", name="API organisations")

    @task(2)
    def register(self) -> None:
        if not self.upcoming:
            return
        uid = random.choice(self.upcoming)
        url = f"{BASE}/meetings/{uid}/register/"
        form = self.client.get(url, name="registration form")
        people = PERSON_OPTION.findall(form.text)
        token = CSRF.search(form.text)
        if not people or token is None:
            return
        with self.client.post(
            url,
            {
                "person": random.choice(people),
                "response": random.choice(["yes", "yes", "maybe", "no"]),
                "access_needs": "",
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": self.client.base_url + url},
            name="register",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"registration refused: {response.status_code}")
