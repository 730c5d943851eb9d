"""A report as a file: standalone HTML, PDF (WeasyPrint) and XLSX (openpyxl).

All three read the same ``Report`` (``services.build_report``); HTML and PDF share the
body template with the report page, so the page, the file and the print say the same.
Nothing is fetched from elsewhere: styles are inline and charts are inline SVG.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.core.exports import neutralise
from netweave.reports.report import Figure, Records, Report, Section

FORMATS = ("html", "pdf", "xlsx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def content_type(fmt: str) -> str:
    return CONTENT_TYPES[fmt]


def filename(report: Report, fmt: str) -> str:
    """``water-sanitation-report-2015.pdf``."""
    return file_name(report.network.slug, report.year, fmt)


def file_name(slug: str, year: int, fmt: str) -> str:
    return f"{slug}-report-{year}.{fmt}"


def render_html(report: Report) -> str:
    """A self-contained HTML document (inline styles and charts, no external files)."""
    return render_to_string(
        "reports/document.html", {"report": report, "annex_open": False, "pdf": False}
    )


def render_pdf(report: Report) -> bytes:
    """The report laid out on A4 pages by WeasyPrint, the annex shown in full."""
    import weasyprint

    html = render_to_string(
        "reports/document.html", {"report": report, "annex_open": True, "pdf": True}
    )
    # Only data: URLs; a report never loads anything from the network or the disk. No
    # base URL either: with one, an SVG's <use href="#id"> would be resolved as a file.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def render(report: Report, fmt: str) -> bytes:
    """The report as the bytes of a file in ``fmt`` (html, pdf or xlsx)."""
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    raise ValueError(f"Unknown report format {fmt!r}. Choose one of: {', '.join(FORMATS)}.")


# XLSX ------------------------------------------------------------------------------------

SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
WIDTH_MIN, WIDTH_MAX = 8, 60


class SheetNames:
    """Valid, unique sheet names: ≤ 31 characters, none of []:*?/\\, no quote at the ends."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def __call__(self, wanted: str) -> str:
        base = " ".join(_SHEET_FORBIDDEN.sub(" ", str(wanted)).split()).strip("' ")
        base = base or "Sheet"
        name = base[:SHEET_NAME_MAX].rstrip("' ")
        number = 2
        while name.casefold() in self.taken:
            suffix = f" ({number})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip("' ") + suffix
            number += 1
        self.taken.add(name.casefold())
        return name


def xlsx_value(value: Any) -> Any:
    """A cell value: numbers and dates stay themselves, text cannot start a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date | dt.time):
        return value
    return neutralise(str(value))


class SheetWriter:
    """Appends rows to a worksheet and remembers how wide each column should be."""

    def __init__(self, sheet: Any) -> None:
        from openpyxl.styles import Font

        self.sheet = sheet
        self.widths: dict[int, int] = {}
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=14)

    def row(
        self, values: list[Any], *, bold: bool = False, title: bool = False, measure: bool = True
    ) -> int:
        self.sheet.append([xlsx_value(v) for v in values])
        number = self.sheet.max_row
        for index, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=number, column=index)
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if title:
                cell.font = self.title_font
            elif bold:
                cell.font = self.bold
            if measure and not title:
                width = max((len(line) for line in str(cell.value or "").splitlines()), default=0)
                self.widths[index] = max(self.widths.get(index, 0), width)
        return number

    def blank(self) -> None:
        self.sheet.append([])

    def table(self, records: Records) -> int:
        """Write a titled table; returns the row number of its header."""
        self.row([records.title], bold=True, measure=False)
        header = self.row(list(records.columns), bold=True)
        for row in records.rows:
            self.row(list(row))
        if not records.rows:
            self.row([_("No records.")])
        return header

    def finish(self) -> None:
        from openpyxl.utils import get_column_letter

        for index, width in self.widths.items():
            size = min(WIDTH_MAX, max(WIDTH_MIN, width + 2))
            self.sheet.column_dimensions[get_column_letter(index)].width = size


def render_xlsx(report: Report) -> bytes:
    """A workbook: a summary, one sheet per section, one annex sheet per traced figure."""
    from openpyxl import Workbook

    book = Workbook()
    names = SheetNames()
    summary = SheetWriter(book.active)
    summary.sheet.title = names(_("Summary"))
    section_sheets = [(section, names(section.heading)) for section in report.sections]
    annex: list[tuple[Section, Figure, str]] = []
    for section in report.sections:
        for figure in section.figures:
            if figure.records is not None:
                label = _("Annex %(number)d %(figure)s") % {
                    "number": len(annex) + 1,
                    "figure": figure.label,
                }
                annex.append((section, figure, names(label)))

    write_summary(summary, report, section_sheets, annex)
    annex_of = {(s.key, f.key): name for s, f, name in annex}
    for section, name in section_sheets:
        write_section(SheetWriter(book.create_sheet(name)), section, annex_of)
    for section, figure, name in annex:
        write_annex(SheetWriter(book.create_sheet(name)), section, figure)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def link(cell: Any, sheet_name: str) -> None:
    escaped = sheet_name.replace("'", "''")
    cell.hyperlink = f"#'{escaped}'!A1"
    cell.style = "Hyperlink"


def wrap(cell: Any) -> None:
    from openpyxl.styles import Alignment

    cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_summary(
    out: SheetWriter,
    report: Report,
    sections: list[tuple[Section, str]],
    annex: list[tuple[Section, Figure, str]],
) -> None:
    out.row([report.title], title=True)
    out.blank()
    out.row([_("Network"), report.network.name])
    out.row([_("Year"), report.year])
    out.row([_("Generated"), report.generated])
    for row in range(3, 6):
        out.sheet.cell(row=row, column=1).font = out.bold
    if report.introduction:
        out.blank()
        number = out.row([_("Introduction"), report.introduction], measure=False)
        wrap(out.sheet.cell(row=number, column=2))
    out.blank()
    out.row([_("Section"), _("Sheet")], bold=True)
    for section, name in sections:
        number = out.row([section.heading, name])
        link(out.sheet.cell(row=number, column=2), name)
    if annex:
        out.blank()
        out.row([_("Annex: the records behind the figures"), _("Sheet"), _("Records")], bold=True)
        for section, figure, name in annex:
            records = figure.records
            number = out.row(
                [f"{section.heading} — {figure.label}", name, len(records) if records else 0]
            )
            link(out.sheet.cell(row=number, column=2), name)
    if report.closing:
        out.blank()
        number = out.row([_("Closing words"), report.closing], measure=False)
        wrap(out.sheet.cell(row=number, column=2))
    out.finish()
    out.sheet.column_dimensions["B"].width = WIDTH_MAX


def write_section(out: SheetWriter, section: Section, annex_of: dict[tuple[str, str], str]) -> None:
    out.row([section.heading], title=True)
    if section.text:
        out.row([section.text], measure=False)
    out.blank()
    header = out.row(
        [_("Figure"), _("Value"), _("Unit"), _("Note"), _("Records")],
        bold=True,
    )
    for figure in section.figures:
        annex_name = annex_of.get((section.key, figure.key), "")
        number = out.row([figure.label, figure.value, figure.unit, figure.note, annex_name])
        if annex_name:
            link(out.sheet.cell(row=number, column=5), annex_name)
    if not section.figures:
        out.row([_("No figures.")])
    out.sheet.freeze_panes = out.sheet.cell(row=header + 1, column=1)
    for chart in section.charts:
        out.blank()
        out.table(
            Records(
                title=chart.title,
                columns=[_("Category"), *chart.series.keys()],
                rows=[
                    [category, *(values[i] for values in chart.series.values())]
                    for i, category in enumerate(chart.categories)
                ],
            )
        )
    for table in section.tables:
        out.blank()
        out.table(table)
    if section.notes:
        out.blank()
        out.row([_("Notes")], bold=True)
        for note in section.notes:
            out.row([note], measure=False)
    out.finish()


def write_annex(out: SheetWriter, section: Section, figure: Figure) -> None:
    from netweave.reports.templatetags.reports import figure_value

    assert figure.records is not None  # noqa: S101 — only traced figures get an annex sheet
    out.row([f"{section.heading} — {figure.label}: {figure_value(figure)}"], title=True)
    out.blank()
    header = out.table(figure.records)
    out.sheet.freeze_panes = out.sheet.cell(row=header + 1, column=1)
    if figure.records.rows and figure.records.columns:
        from openpyxl.utils import get_column_letter

        last = get_column_letter(len(figure.records.columns))
        out.sheet.auto_filter.ref = f"A{header}:{last}{header + len(figure.records.rows)}"
    out.finish()
