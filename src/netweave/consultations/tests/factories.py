"""Helpers that build consultations for tests, through the services where it matters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from netweave.consultations import services
from netweave.consultations.models import Comment, Consultation, Status
from netweave.directory.models import Organisation
from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.networks.tests.factories import MembershipFactory


def bank() -> Any:
    """The owner: a development bank that is not a member of the network."""
    existing = Organisation.objects.filter(slug="grdb").first()
    return existing or OrganisationFactory(
        name="Global Reconstruction and Development Bank",
        acronym="GRDB",
        slug="grdb",
        sector=sector("donor"),
    )


def member(personas: Any, name: str, sector_slug: str) -> Any:
    organisation = OrganisationFactory(name=name, sector=sector(sector_slug))
    MembershipFactory(network=personas.network, organisation=organisation)
    return organisation


def make_consultation(
    personas: Any,
    *,
    owner: Any = None,
    title: str = "Poverty diagnostic of water supply and sanitation",
    headings: tuple[str, ...] = ("Access and poverty", "Tariffs and affordability"),
    status: str = Status.OPEN,
    opens: dt.datetime | None = None,
    closes: dt.datetime | None = None,
    **kwargs: Any,
) -> Consultation:
    now = timezone.now()
    consultation = services.create_consultation(
        personas.network,
        owner=owner or bank(),
        title=title,
        opens=opens or now - dt.timedelta(days=1),
        closes=closes or now + dt.timedelta(days=14),
        time_zone=kwargs.pop("time_zone", "Asia/Dushanbe"),
        sections=[{"heading": heading, "body": f"<p>About {heading}.</p>"} for heading in headings],
        **kwargs,
    )
    if status != Status.DRAFT:
        Consultation.objects.filter(pk=consultation.pk).update(status=status)
        consultation.refresh_from_db()
    return consultation


def comment(
    consultation: Consultation, organisation: Any, *, section: int = 0, kind: str = "support",
    text: str = "We agree with the findings.",
) -> Comment:  # fmt: skip
    return services.add_comment(
        consultation,
        section=list(consultation.sections.all())[section],
        organisation=organisation,
        kind=kind,
        text=text,
    )
