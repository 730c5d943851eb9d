"""Helpers that build governance records for tests, through the services where it matters."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from netweave.governance import services
from netweave.governance.models import MemberRequest, TaskGroup


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% test\n", content_type="application/pdf")


def zipped(name: str, members: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue())


def make_group(personas: Any, name: str = "Tariffs", lead: Any = None) -> TaskGroup:
    return services.create_task_group(personas.network, name=name, lead=lead or personas.org_a)


def make_request(personas: Any, title: str = "Help with tariffs", **kwargs: Any) -> MemberRequest:
    kwargs.setdefault("organisation", personas.org_a)
    return services.raise_request(personas.network, title=title, **kwargs)
