"""The seeded sector taxonomy. Names are marked for translation and shown through gettext."""

from django.utils.translation import gettext_noop as _

# (slug, name, sphere, colour): colours from a palette that stays distinct for the
# common forms of colour blindness.
SECTORS = [
    ("government", _("Government"), "public", "#1f77b4"),
    ("parliament", _("Parliament"), "public", "#aec7e8"),
    ("un-agency", _("UN agency"), "public", "#17becf"),
    ("donor", _("Donor"), "public", "#9467bd"),
    ("academia", _("Academia and research"), "civil_society", "#8c564b"),
    ("international-ngo", _("International NGO"), "civil_society", "#ff7f0e"),
    ("civil-society", _("National or local NGO and civil society"), "civil_society", "#2ca02c"),
    ("private-sector", _("Private sector"), "private", "#d62728"),
    ("media", _("Media"), "private", "#e377c2"),
    ("womens-organisation", _("Women's organisation"), "civil_society", "#bcbd22"),
    ("community-leaders", _("Community and religious leaders"), "civil_society", "#98df8a"),
    ("farmer-group", _("Farmer group or cooperative"), "private", "#c49c94"),
    ("financial-services", _("Financial service provider"), "private", "#ffbb78"),
    ("other", _("Other"), "civil_society", "#7f7f7f"),
]


def ensure_sectors(sector_model=None) -> None:
    """Create or refresh the seeded sectors (used by the data migration and by tests
    whose database was flushed, which removes migration-seeded rows)."""
    if sector_model is None:
        from netweave.directory.models import Sector as sector_model
    if sector_model.objects.filter(slug__in=[row[0] for row in SECTORS]).count() == len(SECTORS):
        return
    for position, (slug, name, sphere, colour) in enumerate(SECTORS):
        sector_model.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "sphere": sphere, "colour": colour, "position": position},
        )
