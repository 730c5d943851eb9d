"""The seeded spectrum of arrangement types. Texts are marked for translation and shown
through gettext until a facilitator edits them."""

from django.utils.translation import gettext_noop as _

# (slug, name, description, accountability, risk, accountability level, risk level)
ARRANGEMENT_TYPES = [
    (
        "network",
        _("Network"),
        _("Organisations share information and learning; each keeps its own plans."),
        _("Each member answers only to itself; the network answers for its conversations."),
        _("Low: little is pooled, so little is lost if a member walks away."),
        1,
        1,
    ),
    (
        "alliance",
        _("Alliance"),
        _("Organisations align their work and speak together on an agreed agenda."),
        _("Members answer to each other for the positions taken in the alliance's name."),
        _("Moderate: a member's conduct can damage the others' reputation."),
        2,
        2,
    ),
    (
        "partnership",
        _("Partnership"),
        _(
            "Organisations of different sectors pool resources for shared goals and share "
            "the risks and benefits."
        ),
        _("Partners answer to each other for what they committed, under a written agreement."),
        _("Shared: resources and reputations are pooled; the agreement says who carries what."),
        3,
        3,
    ),
    (
        "consortium",
        _("Consortium"),
        _(
            "Organisations deliver one programme together, usually under a lead that holds "
            "the contract with a funder."
        ),
        _("The lead answers to the funder; the members answer to the lead under sub-agreements."),
        _("High for the lead, which carries the contract; contractual for the members."),
        4,
        4,
    ),
    (
        "joint-venture",
        _("Joint venture"),
        _("Organisations create a new entity that they own together."),
        _(
            "Through the new entity's governance: its board answers to the owners and the "
            "regulator."
        ),
        _("Highest: capital is committed and liabilities are shared by the owners."),
        5,
        5,
    ),
]


def ensure_arrangement_types(model=None) -> None:
    """Create the seeded types that are missing; edited ones stay as they are."""
    if model is None:
        from netweave.partnerships.models import ArrangementType as model
    for position, (slug, name, description, accountability, risk, acc, rsk) in enumerate(
        ARRANGEMENT_TYPES
    ):
        model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "position": position,
                "description": description,
                "accountability": accountability,
                "risk": risk,
                "accountability_level": acc,
                "risk_level": rsk,
            },
        )
