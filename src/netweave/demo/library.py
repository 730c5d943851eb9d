"""The water network's library: a legislation review (a PDF made here, with real text), a
policy brief (a Word file made here), a task group's notes (plain text, for that task group
only) and links to the drinking-water law of 2010 and the tariff methodology.

The files are generated when the demo loads, so search finds words inside them. Every
document is added only when no document of that title exists, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from netweave.activities.models import JointActivity
from netweave.directory.models import Organisation, Topic
from netweave.governance.models import TaskGroup
from netweave.library.models import Document
from netweave.library.services import add_document
from netweave.meetings.models import Meeting
from netweave.networks.models import Network

HUQUQ = "Lawyers' Association «Huquq va Ob»"
ANTIMONOPOLY = "Antimonopoly Service under the Government"
MEWR = "Ministry of Energy and Water Resources"
OBI_POK = "Public Organisation «Obi Pok»"

REVIEW_TEXT = [
    "Review of drinking-water legislation in Central Asia",
    "Prepared for the Legislation task group of the water and sanitation network, 2010.",
    "Five national water laws were compared: who owns the systems, who regulates quality,",
    "how tariffs are set and how consumers are protected.",
    "Findings: the draft law should name one body responsible for drinking-water quality,",
    "require chlorination and regular laboratory testing by every vodokanal,",
    "and let municipalities contract private operators under public supervision.",
    "Recommendation: align quality standards with the Protocol on Water and Health.",
]
BRIEF_PARAGRAPHS = [
    "Hand washing with soap in rural schools",
    "Only a third of rural schools have a working washbasin. Diarrhoeal disease keeps "
    "children out of class for days every term.",
    "The network recommends a washbasin and soap in every school by 2016, financed from "
    "the local budget with support from donors, and hygiene lessons in the curriculum.",
]
NOTES_TEXT = """Tariffs task group — working notes, March 2012

Present: Antimonopoly Service, Khujand Vodokanal, WASH Analytics, Obrasonon.
The cost-recovery study covers six towns. Depreciation of pumps and pipes is the largest
missing item in today's tariffs. Next step: a draft national tariff methodology for the
steering committee, with a lifeline block for poor households.
"""


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF holding ``lines`` as real text (Helvetica), built by hand."""
    content = ["BT", "/F1 11 Tf", "14 TL", "50 790 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content.append(f"({escaped.encode('latin-1', 'replace').decode('latin-1')}) Tj T*")
    content.append("ET")
    stream = "\n".join(content).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for paragraph in paragraphs[1:]:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _org(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


def _topics(*slugs: str) -> list[Topic]:
    return list(Topic.objects.filter(slug__in=slugs))


def _specs(network: Network) -> list[dict[str, Any]]:
    legislation = TaskGroup.objects.filter(network=network, name="Legislation").first()
    tariffs = TaskGroup.objects.filter(network=network, name="Tariffs").first()
    review = JointActivity.objects.filter(
        network=network, title="Review of drinking-water legislation in the region"
    ).first()
    first_meeting = Meeting.objects.filter(network=network).order_by("start").first()
    return [
        {
            "title": "Review of drinking-water legislation in the region",
            "description": "Water laws of five Central Asian countries compared, as input to "
            "the draft law on drinking water.",
            "kind": "research",
            "language": "en",
            "date": dt.date(2010, 12, 15),
            "author_organisation": _org(HUQUQ),
            "topics": _topics("drinking-water-legislation"),
            "file": SimpleUploadedFile("legislation-review-2010.pdf", _pdf(REVIEW_TEXT)),
            "task_groups": [legislation] if legislation else [],
            "activities": [review] if review else [],
            "meetings": [first_meeting] if first_meeting else [],
            "visibility": "public",
        },
        {
            "title": "Law on drinking water and drinking-water supply (2010)",
            "description": "The law adopted in December 2010, to which the network contributed "
            "through its Legislation task group.",
            "kind": "legislation",
            "language": "ru",
            "date": dt.date(2010, 12, 29),
            "author_organisation": _org(MEWR),
            "topics": _topics("drinking-water-legislation"),
            "url": "https://example.org/legislation/drinking-water-law-2010",
            "task_groups": [legislation] if legislation else [],
            "visibility": "public",
        },
        {
            "title": "National methodology for calculating water-supply tariffs",
            "description": "The methodology the Antimonopoly Service adopted after the network's "
            "cost-recovery study in six towns.",
            "kind": "legislation",
            "language": "ru",
            "date": dt.date(2013, 9, 1),
            "author_organisation": _org(ANTIMONOPOLY),
            "topics": _topics("tariffs"),
            "url": "https://example.org/regulation/water-tariff-methodology-2013",
            "task_groups": [tariffs] if tariffs else [],
            "visibility": "network",
        },
        {
            "title": "Policy brief: hand washing in rural schools",
            "description": "Why every rural school needs a washbasin and soap, and who pays.",
            "kind": "policy_brief",
            "language": "en",
            "date": dt.date(2014, 5, 20),
            "author_organisation": _org(OBI_POK),
            "topics": _topics("hygiene-promotion"),
            "file": SimpleUploadedFile("hand-washing-brief.docx", _docx(BRIEF_PARAGRAPHS)),
            "visibility": "network",
        },
        {
            "title": "Tariffs task group: working notes, March 2012",
            "description": "Notes of the task group's meeting on the cost-recovery study.",
            "kind": "minutes",
            "language": "en",
            "date": dt.date(2012, 3, 14),
            "author_organisation": _org(ANTIMONOPOLY),
            "topics": _topics("tariffs"),
            "file": SimpleUploadedFile("tariffs-notes-2012-03.txt", NOTES_TEXT.encode("utf-8")),
            "visibility": "task_group" if tariffs else "network",
            "task_group": tariffs,
        },
    ]


def load_library() -> int:
    """Add the water network's demo documents that are missing; returns how many were added."""
    network = Network.objects.filter(slug="water-sanitation").first()
    if network is None:
        return 0
    existing = set(Document.objects.filter(network=network).values_list("title", flat=True))
    added = 0
    with transaction.atomic():
        for spec in _specs(network):
            if spec["title"] in existing:
                continue
            add_document(network, acting_user=None, **spec)
            added += 1
    return added
