"""The report pages: who reads them, the years, the report, and its downloads.

The section builders are replaced by two small sections with hand-computable figures
(``fake_sections``), so these tests check the pages, not the figures.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

import netweave.reports.sections  # noqa: F401  (the real sections are registered first)
from netweave.core.models import ExportLog
from netweave.networks.models import Membership
from netweave.networks.tests.factories import MembershipFactory
from netweave.reports import registry
from netweave.reports.report import Chart, Figure, Records, Section

pytestmark = pytest.mark.django_db

MEMBER_LABEL = "Members at the end of the year"


def build_members(network, year: int) -> Section:
    """Members at 31 December of ``year``, with the organisations behind the count."""
    end = dt.date(year, 12, 31)
    rows = list(
        Membership.objects.filter(network=network, joined__lte=end)
        .exclude(left__lte=end)
        .order_by("organisation__name")
        .values_list("organisation__name", "joined")
    )
    return Section(
        key="members",
        heading="Members",
        figures=[
            Figure(
                "members_total",
                MEMBER_LABEL,
                len(rows),
                records=Records("Members", ["Organisation", "Joined"], [list(r) for r in rows]),
            )
        ],
        charts=[Chart("growth", "Growth", "bar", [str(year)], {"Members": [float(len(rows))]})],
    )


def build_money(network, year: int) -> Section:
    return Section(
        key="money",
        heading="Money",
        figures=[Figure("cofinancing", "Co-financing", 1500, unit="EUR", note="demo")],
    )


def install_fake_sections(monkeypatch) -> None:
    """Two sections in place of the real ones: members (order 10) and money (order 20)."""
    fake = {}
    for key, heading, order, figures, build in (
        ("members", "Members", 10, {"members_total": MEMBER_LABEL}, build_members),
        ("money", "Money", 20, {"cofinancing": "Co-financing"}, build_money),
    ):
        fake[key] = registry.SectionType(key, heading, order, figures, build)
    monkeypatch.setattr(registry, "_SECTIONS", fake)
    cache.clear()


@pytest.fixture
def fake_sections(monkeypatch):
    install_fake_sections(monkeypatch)
    yield
    cache.clear()


def url(personas, name: str = "reports:report", **kwargs) -> str:
    return reverse(name, kwargs={"network": personas.network.slug, **kwargs})


# Who reads what ----------------------------------------------------------------------------
EXPECTED = {
    "facilitator": 200,
    "steering": 200,
    "focal_point": 403,
    "other_focal_point": 403,
    "observer": 403,
    "outsider": 404,
    "other_facilitator": 404,
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("reports:index", {}),
        ("reports:report", {"year": 2015}),
        ("reports:download", {"year": 2015, "fmt": "html"}),
    ],
)
def test_who_reads_the_report(personas, client, fake_sections, role, name, kwargs):
    """Facilitator and steering committee read; other roles 403; no role 404."""
    client.force_login(personas.by_role()[role])
    assert client.get(url(personas, name, **kwargs)).status_code == EXPECTED[role]


def test_no_role_is_404_even_in_a_public_network(personas, client, fake_sections):
    """A public network shows its pages to all, but not its report."""
    personas.network.visibility = "public"
    personas.network.save()
    for user in (personas.charlie, personas.frank):
        client.force_login(user)
        assert client.get(url(personas, year=2015)).status_code == 404
        assert client.get(url(personas, "reports:index")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(personas, client, fake_sections):
    response = client.get(url(personas, year=2015))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_template_is_for_facilitators(personas, client, fake_sections):
    """Steering reads the report but may not change its template; the link shows accordingly."""
    client.force_login(personas.sam)
    assert client.get(url(personas, "reports:template")).status_code == 403
    assert url(personas, "reports:template") not in client.get(url(personas, year=2015)).text
    client.force_login(personas.fiona)
    assert client.get(url(personas, "reports:template")).status_code == 200
    assert url(personas, "reports:template") in client.get(url(personas, year=2015)).text


# The pages ---------------------------------------------------------------------------------
def test_index_lists_the_years_from_the_launch(personas, client, fake_sections):
    """The network launched in November 2009: every year from then to this year has a link."""
    client.force_login(personas.fiona)
    page = client.get(url(personas, "reports:index")).text
    this_year = timezone.localdate().year
    for year in (2009, 2015, this_year):
        assert url(personas, year=year) in page
    assert url(personas, year=2008) not in page
    assert url(personas, "reports:notes") in page
    assert url(personas, "reports:template") in page


def test_report_shows_sections_figures_and_downloads(personas, client, fake_sections):
    """Both members joined in June 2010: none at the end of 2009, two at the end of 2015."""
    client.force_login(personas.fiona)
    with translation.override("en"):
        page = client.get(url(personas, year=2015)).text
    assert 'id="section-members"' in page and 'id="section-money"' in page
    assert page.index('id="section-members"') < page.index('id="section-money"')
    assert 'href="#records-members-members_total"' in page
    assert "Alpha Water Institute" in page and "Beta Ministry" in page
    assert "1,500" in page
    for fmt in ("pdf", "xlsx", "html"):
        assert url(personas, "reports:download", year=2015, fmt=fmt) in page
    assert url(personas, year=2014) in page  # the year switcher
    response = client.get(url(personas, year=2009))
    assert response.context["report"].section("members").figure("members_total").value == 0


def test_a_year_outside_the_network_life_is_404_with_the_years(personas, client, fake_sections):
    client.force_login(personas.fiona)
    this_year = timezone.localdate().year
    for year in (2008, this_year + 1):
        response = client.get(url(personas, year=year))
        assert response.status_code == 404
        assert f"choose a year from 2009 to {this_year}" in response.text
        assert url(personas, year=2015) in response.text
    assert client.get(url(personas, "reports:download", year=2008, fmt="pdf")).status_code == 404


def test_an_unknown_format_is_404(personas, client, fake_sections):
    client.force_login(personas.fiona)
    assert client.get(url(personas, "reports:download", year=2015, fmt="docx")).status_code == 404


def test_page_queries_do_not_grow_with_the_members(
    personas, client, fake_sections, django_assert_num_queries
):
    """The same number of queries with 2 members and with 50."""
    client.force_login(personas.fiona)
    # 9 queries: session, user, network, roles, years (first membership), the template's
    # time (cache key), the template (report build), the members section's one query,
    # years again for the switcher
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(9):
        assert client.get(url(personas, year=2015)).status_code == 200
    MembershipFactory.create_batch(48, network=personas.network, joined=dt.date(2012, 1, 1))
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(9):
        page = client.get(url(personas, year=2015))
    assert page.context["report"].section("members").figure("members_total").value == 50


def test_index_queries_do_not_grow_with_the_years(
    personas, client, fake_sections, django_assert_num_queries
):
    """5 queries: session, user, network, roles, the first membership (the years)."""
    client.force_login(personas.fiona)
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(5):
        client.get(url(personas, "reports:index"))
    MembershipFactory(network=personas.network, joined=dt.date(1995, 1, 1))
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(5):
        page = client.get(url(personas, "reports:index")).text
    assert url(personas, year=1995) in page


def test_the_report_is_cached_until_the_data_changes(personas, client, fake_sections):
    """A second look reads the cached report; a new member makes a new one."""
    client.force_login(personas.fiona)
    first = client.get(url(personas, year=2015)).context["report"]
    again = client.get(url(personas, year=2015)).context["report"]
    assert again.generated == first.generated
    MembershipFactory(network=personas.network, joined=dt.date(2011, 1, 1))
    fresh = client.get(url(personas, year=2015)).context["report"]
    assert fresh.section("members").figure("members_total").value == 3


# Downloads ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fmt,content_type,start",
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("html", "text/html; charset=utf-8", b"<!doctype html"),
    ],
)
def test_downloads_are_attachments_and_audited(
    personas, client, fake_sections, fmt, content_type, start
):
    """Each download names its file, refuses sniffing and is written to the export log."""
    client.force_login(personas.sam)
    response = client.get(url(personas, "reports:download", year=2015, fmt=fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="testnet-report-2015.{fmt}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content[:20].lower().startswith(start.lower())
    (entry,) = ExportLog.objects.all()
    assert (entry.network, entry.user, entry.kind, entry.format, entry.source) == (
        personas.network,
        personas.sam,
        "report",
        fmt,
        "web",
    )
    assert entry.filters == {"year": "2015"}


def test_the_xlsx_download_holds_the_figures(personas, client, fake_sections):
    client.force_login(personas.fiona)
    response = client.get(url(personas, "reports:download", year=2015, fmt="xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert MEMBER_LABEL in values
    assert "Alpha Water Institute" in values


def test_refused_downloads_leave_no_trace(personas, client, fake_sections):
    client.force_login(personas.alice)
    assert client.get(url(personas, "reports:download", year=2015, fmt="pdf")).status_code == 403
    assert not ExportLog.objects.exists()
