"""The report rendered as standalone HTML, PDF and XLSX, from a report built by hand."""

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace
from urllib import request

import openpyxl
import pypdf
import pytest
from django.utils import translation

from netweave.reports import render
from netweave.reports.render import SheetNames
from netweave.reports.report import Chart, Figure, Records, Report, Section
from netweave.reports.templatetags.reports import figure_value, records_table

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def sample_report(network=None, *, title: str = "Annual report 2015") -> Report:
    """Two sections, three traced figures, two charts, an extra table and Cyrillic names."""
    network = network or SimpleNamespace(name="Water network", slug="water")
    members = Records(
        "Member organisations at year end",
        ["Organisation", "Sector", "Joined"],
        [
            ["Aqua NGO", "Civil society", dt.date(2015, 3, 1)],
            ["Ministry of Water", "Government", dt.date(2014, 1, 5)],
            ["Водоканал Душанбе", "Utility", dt.date(2015, 6, 30)],
        ],
    )
    joined = Records("Joined in 2015", ["Organisation", "Joined"], members.rows[::2])
    contributions = Records(
        "Contributions",
        ["Activity", "Organisation", "Amount", "Currency"],
        [
            ["Pilot filters", "Aqua NGO", Decimal("100000.50"), "EUR"],
            ["Pilot filters", "=HYPERLINK(1)", Decimal("25000"), "EUR"],
        ],
    )
    membership = Section(
        key="membership",
        heading="Membership",
        text="We grew <b>well</b>.\n\nThree members at year end.",
        figures=[
            Figure("members_total", "Members at year end", 3, records=members),
            Figure("members_joined", "Members who joined", 2, records=joined),
            Figure("government_share", "Share of government", Decimal("33.3"), "%", note="of 3"),
            Figure("retention", "Retention", None),
        ],
        charts=[
            Chart(
                "sectors",
                "Members by sector",
                "hbar",
                ["Civil society", "Government", "Utility"],
                {"Members": [1, 1, 1]},
            )
        ],
        notes=["Counted on 31 December."],
    )
    activities = Section(
        key="activities",
        heading="Joint activities",
        figures=[
            Figure(
                "cofinancing",
                "Co-financing",
                Decimal("125000.50"),
                "EUR",
                records=contributions,
            )
        ],
        charts=[
            Chart(
                "by_year",
                "Co-financing by year",
                "stacked",
                ["2013", "2014", "2015"],
                {"Money": [1000, 2000, 3000], "In kind": [0, 500, 250]},
            )
        ],
        tables=[Records("Activities", ["Title", "Status"], [["Pilot filters", "completed"]])],
        image_svg='<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" '
        'role="img"><title>Map</title><circle cx="5" cy="5" r="4"/></svg>',
        image_title="The network map",
    )
    return Report(
        network=network,
        year=2015,
        title=title,
        introduction="An introduction.",
        closing="Thanks to every member.",
        sections=[membership, activities],
        generated=dt.datetime(2016, 1, 2, 10, 30, tzinfo=dt.UTC),
    )


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), text.replace("\xa0", " ")


# HTML ------------------------------------------------------------------------------------


def test_html_links_each_traced_figure_to_its_annex_entry():
    """A figure with records links to #records-<section>-<figure>, which holds its table."""
    html = render.render_html(sample_report())
    for section, figure in [
        ("membership", "members_total"),
        ("membership", "members_joined"),
        ("activities", "cofinancing"),
    ]:
        assert f'href="#records-{section}-{figure}"' in html
        assert f'id="records-{section}-{figure}"' in html
        assert f'id="figure-{section}-{figure}"' in html
    assert 'href="#records-membership-government_share"' not in html
    assert 'id="records-membership-government_share"' not in html
    annex = html[html.index('id="records-membership-members_total"') :]
    assert annex.index("Ministry of Water") < annex.index('id="records-membership-members_joined"')


def test_html_annex_is_closed_on_screen():
    """The records are folded away in the HTML until a reader opens them."""
    html = render.render_html(sample_report())
    assert html.count("<details>") == 3
    assert "<details open>" not in html


def test_html_is_self_contained():
    """The standalone HTML loads nothing: no stylesheet link, script or external source."""
    html = render.render_html(sample_report())
    assert "<link" not in html and "<script" not in html
    assert not re.search(r'\s(src|href)="(https?:)?//', html)
    assert html.count("<svg") == 3  # two charts and the map


def test_html_escapes_text_and_keeps_paragraphs():
    """A section's text is escaped, its blank lines become paragraphs."""
    html = render.render_html(sample_report())
    assert "We grew &lt;b&gt;well&lt;/b&gt;." in html
    assert "<p>Three members at year end.</p>" in html


def test_html_shows_values_with_units_and_a_dash_for_none():
    """Values are formatted with their units; a figure that cannot be computed shows a dash."""
    html = render.render_html(sample_report())
    assert "33.3%" in html
    assert "125,000.5\xa0EUR" in html
    assert re.search(r"Retention</th>\s*<td class=\"num\">–</td>", html)


def test_html_follows_the_active_language_and_direction():
    """lang and dir come from the active language; Arabic is laid out right to left."""
    with translation.override("ru"):
        html = render.render_html(sample_report())
    assert '<html lang="ru" dir="ltr">' in html
    assert "Водоканал Душанбе" in html
    with translation.override("ar"):
        html = render.render_html(sample_report())
    assert '<html lang="ar" dir="rtl">' in html


def test_a_report_without_records_has_no_annex():
    """With no traced figure there is no annex heading and no link to it."""
    report = sample_report()
    for section in report.sections:
        for figure in section.figures:
            figure.records = None
    html = render.render_html(report)
    assert 'id="annex"' not in html and 'href="#annex"' not in html


def test_records_table_marks_numeric_columns_and_empty_tables():
    """Numeric columns are aligned as numbers; an empty table says it has no records."""
    html = str(records_table(Records("T", ["Name", "Amount"], [["a", 1], ["b", None], ["c", 2.5]])))
    assert '<th scope="col" class="num">Amount</th>' in html
    assert '<th scope="col">Name</th>' in html
    assert '<td class="num">–</td>' in html
    assert "No records." in str(records_table(Records("T", ["Name"], [])))


def test_records_table_keeps_years_ungrouped():
    """A year or a small count reads 2009, not 2,009; large numbers are grouped."""
    with translation.override("en"):
        html = str(records_table(Records("T", ["Year", "Amount"], [[2009, 12500]])))
    assert '<td class="num">2009</td>' in html
    assert '<td class="num">12,500</td>' in html


def test_figure_value_puts_units_after_localised_numbers():
    """figure_value: grouped digits, the unit after a no-break space, % glued, None a dash."""
    with translation.override("en"):
        assert figure_value(Figure("a", "A", 12500, "EUR")) == "12,500\xa0EUR"
        assert figure_value(Figure("a", "A", 45.5, "%")) == "45.5%"
        assert figure_value(Figure("a", "A", None, "%")) == "–"
        assert figure_value(7, "days") == "7\xa0days"
    with translation.override("ru"):
        assert figure_value(Figure("a", "A", 45.5, "%")) == "45,5%"


# PDF -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf() -> tuple[int, str]:
    with translation.override("en"):
        return pdf_text(render.render_pdf(sample_report()))


def test_pdf_has_headings_values_and_annex_rows(pdf):
    """The PDF's text holds the title, headings, figure values and the annex rows."""
    _pages, text = pdf
    for expected in [
        "Annual report 2015",
        "Membership",
        "Joint activities",
        "Members at year end",
        "33.3%",
        "125,000.5 EUR",
        "Annex: the records behind the figures",
        "Ministry of Water",
        "100,000.5",
        "Pilot filters",
        "Members by sector",
        "Thanks to every member.",
    ]:
        assert expected in text, expected


def test_pdf_starts_each_section_and_the_annex_on_a_new_page(pdf):
    """Title page, one page per section, the annex: four pages."""
    pages, _text = pdf
    assert 4 <= pages <= 5


def test_pdf_page_numbers_and_contents_point_to_pages(pdf):
    """Pages are numbered "n / N" and the contents give each section's page."""
    pages, text = pdf
    assert f"1 / {pages}" in text and f"{pages} / {pages}" in text
    assert re.search(r"Membership \.+\s*2", text)


def test_pdf_keeps_cyrillic_text():
    """Cyrillic names come back from the PDF's text exactly as written."""
    report = sample_report(title="Годовой отчёт 2015")
    report.sections[0].heading = "Членство"
    with translation.override("ru"):
        _pages, text = pdf_text(render.render_pdf(report))
    assert "Годовой отчёт 2015" in text
    assert "Членство" in text
    assert "Водоканал Душанбе" in text


def test_pdf_fetches_nothing(monkeypatch):
    """An external image in the map is refused, not downloaded, and the PDF still renders."""

    def refuse(*args, **kwargs):
        raise AssertionError("the PDF tried to fetch a URL")

    monkeypatch.setattr(request.OpenerDirector, "open", refuse)
    report = sample_report()
    report.sections[1].image_svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<image href="https://example.org/tracker.png" width="10" height="10"/></svg>'
    )
    assert render.render_pdf(report).startswith(b"%PDF")


# XLSX ------------------------------------------------------------------------------------


@pytest.fixture
def workbook() -> openpyxl.Workbook:
    with translation.override("en"):
        return openpyxl.load_workbook(io.BytesIO(render.render_xlsx(sample_report())))


def rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_has_a_summary_a_sheet_per_section_and_annex_sheets(workbook):
    """Summary, the two sections, one annex sheet per traced figure."""
    assert workbook.sheetnames == [
        "Summary",
        "Membership",
        "Joint activities",
        "Annex 1 Members at year end",
        "Annex 2 Members who joined",
        "Annex 3 Co-financing",
    ]


def test_xlsx_summary_names_network_year_and_date(workbook):
    """The summary holds the title, the network, the year as a number and the date."""
    values = rows(workbook["Summary"])
    assert values[0][0] == "Annual report 2015"
    assert ("Network", "Water network") in [r[:2] for r in values]
    assert ("Year", 2015) in [r[:2] for r in values]
    generated = next(r[1] for r in values if r[0] == "Generated")
    assert generated.replace(tzinfo=dt.UTC) == dt.datetime(2016, 1, 2, 10, 30, tzinfo=dt.UTC)
    contents = [r for r in values if r[1] == "Membership"]
    assert contents and workbook["Summary"]["A3"].font.bold


def test_xlsx_section_sheet_lists_figures_as_numbers(workbook):
    """Figures are label, value, unit, note, annex sheet; values are numbers, not text."""
    values = rows(workbook["Membership"])
    header = values.index(("Figure", "Value", "Unit", "Note", "Records"))
    figures = values[header + 1 : header + 5]
    assert figures[0][:2] == ("Members at year end", 3)
    assert figures[0][4] == "Annex 1 Members at year end"
    assert figures[2][:4] == ("Share of government", 33.3, "%", "of 3")
    assert figures[3][:2] == ("Retention", None)
    assert all(cell.font.bold for cell in workbook["Membership"][header + 1][:5])
    link = workbook["Membership"].cell(row=header + 2, column=5).hyperlink
    assert link is not None and "Annex 1 Members at year end" in (link.location or link.target)
    # The chart's data follows as a table.
    assert ("Category", "Members") in [r[:2] for r in values]
    assert ("Government", 1) in [r[:2] for r in values]


def test_xlsx_section_sheet_holds_its_extra_tables(workbook):
    """A section's extra table follows its figures, with its header."""
    values = rows(workbook["Joint activities"])
    assert ("Title", "Status") in [r[:2] for r in values]
    assert ("Pilot filters", "completed") in [r[:2] for r in values]
    money = [r for r in values if r[0] in {"2013", "2014", "2015"}]
    assert sum(r[1] for r in money) == 6000 and sum(r[2] for r in money) == 750


def test_xlsx_annex_sheets_hold_the_records_with_dates_and_numbers(workbook):
    """Annex rows keep dates as dates and amounts as numbers; their totals match the figure."""
    members = rows(workbook["Annex 1 Members at year end"])
    header = members.index(("Organisation", "Sector", "Joined"))
    assert [(name, sector, joined.date()) for name, sector, joined in members[header + 1 :]] == [
        ("Aqua NGO", "Civil society", dt.date(2015, 3, 1)),
        ("Ministry of Water", "Government", dt.date(2014, 1, 5)),
        ("Водоканал Душанбе", "Utility", dt.date(2015, 6, 30)),
    ]
    sheet = workbook["Annex 1 Members at year end"]
    assert sheet.cell(row=header + 2, column=3).is_date
    money = rows(workbook["Annex 3 Co-financing"])
    header = money.index(("Activity", "Organisation", "Amount", "Currency"))
    assert sum(row[2] for row in money[header + 1 :]) == pytest.approx(125000.5)


def test_xlsx_text_never_becomes_a_formula(workbook):
    """A name that starts like a formula is written as text."""
    sheet = workbook["Annex 3 Co-financing"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    suspicious = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert suspicious and all(cell.data_type == "s" for cell in suspicious)
    assert all(not str(cell.value).startswith("=") for cell in suspicious)


def test_sheet_names_are_valid_and_unique():
    """Sheet names lose []:*?/\\, are cut to 31 characters and made unique."""
    names = SheetNames()
    assert names("Q1/Q2 [draft]: *what?*") == "Q1 Q2 draft what"
    long = names("Members at year end, by sector and by region of the country")
    assert len(long) <= 31
    again = names("Members at year end, by sector and by region of the country")
    assert again != long and len(again) <= 31 and again.endswith("(2)")
    assert names("membership") == "membership"
    assert names("MEMBERSHIP") == "MEMBERSHIP (2)"
    assert names("''") == "Sheet"


# Nothing personal --------------------------------------------------------------------------


def test_renderers_add_no_e_mail_address():
    """Renderers add nothing personal: no e-mail address appears in any format."""
    report = sample_report()
    html = render.render_html(report)
    assert not EMAIL.search(html)
    _pages, text = pdf_text(render.render_pdf(report))
    assert not EMAIL.search(text)
    book = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(report)))
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert not any(EMAIL.search(c) for c in cells)


def test_content_types_and_file_names():
    """Each format has its content type and a file name from the network and year."""
    report = sample_report()
    assert render.content_type("pdf") == "application/pdf"
    assert render.content_type("xlsx").endswith("spreadsheetml.sheet")
    assert render.content_type("html").startswith("text/html")
    assert render.filename(report, "xlsx") == "water-report-2015.xlsx"
    with pytest.raises(ValueError, match="Unknown report format"):
        render.render(report, "docx")


# The real report ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_real_report_of_a_small_network_renders_in_every_format():
    """build_report on a small network renders to HTML, PDF and XLSX, without contacts."""
    from netweave.directory.tests.factories import OrganisationFactory, sector
    from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
    from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
    from netweave.reports.services import build_report

    network = NetworkFactory(slug="small", name="Small network")
    government = OrganisationFactory(name="Ministry of Water", sector=sector("government"))
    ngo = OrganisationFactory(name="Aqua NGO")
    MembershipFactory(network=network, organisation=government, joined=dt.date(2014, 2, 1))
    MembershipFactory(network=network, organisation=ngo, joined=dt.date(2015, 5, 1))
    meeting = MeetingFactory(
        network=network, start=dt.datetime(2015, 6, 3, 9, tzinfo=dt.UTC), title="Roundtable"
    )
    AttendanceFactory(meeting=meeting, person__organisation=government)
    AttendanceFactory(meeting=meeting, person__organisation=ngo)

    report = build_report(network, 2015)
    assert report.sections
    traced = [(s.key, f.key) for s in report.sections for f in s.figures if f.records is not None]

    html = render.render_html(report)
    for section_key, figure_key in traced:
        assert f'href="#records-{section_key}-{figure_key}"' in html
        assert f'id="records-{section_key}-{figure_key}"' in html
    assert "Ministry of Water" in html

    _pages, text = pdf_text(render.render_pdf(report))
    for section in report.sections:
        assert " ".join(section.heading.split()) in " ".join(text.split())
    assert "Ministry of Water" in text

    book = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(report)))
    assert book.sheetnames[0] == "Summary"
    assert len(book.sheetnames) == 1 + len(report.sections) + len(traced)
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]

    for output in (html, text, *cells):
        assert "@example.org" not in output
        assert "+992 37 000 0000" not in output
