"""The coordinated feedback as a file: PDF (WeasyPrint) and DOCX (python-docx).

Both are built from ``services.feedback``, as the printable page is, so the three say the
same. Comments are attributed to organisations; no personal contact detail is included.
"""

from __future__ import annotations

import io

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from netweave.consultations import services
from netweave.consultations.models import Consultation


def _refuse_fetch(url: str, *args, **kwargs):
    """The PDF never loads anything from elsewhere: its styles are given to it."""
    raise ValueError(f"no external resources in the feedback PDF: {url}")


def feedback_pdf(consultation: Consultation) -> bytes:
    import weasyprint

    html = render_to_string(
        "consultations/feedback_pdf.html",
        {"doc": services.feedback(consultation), "consultation": consultation},
    )
    stylesheet = finders.find("css/consultations.css")
    stylesheets = [weasyprint.CSS(filename=stylesheet)] if stylesheet else []
    document = weasyprint.HTML(string=html, base_url="/", url_fetcher=_refuse_fetch)
    return document.write_pdf(stylesheets=stylesheets)


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def feedback_download(consultation: Consultation, ext: str) -> HttpResponse:
    """The feedback as an attachment (``ext`` is ``pdf`` or ``docx``), for pages and API."""
    if ext == "pdf":
        content, content_type = feedback_pdf(consultation), "application/pdf"
    else:
        content, content_type = feedback_docx(consultation), DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    name = f"consultation-feedback-{consultation.opens:%Y-%m-%d}-{str(consultation.uid)[:8]}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _date(value) -> str:
    return formats.date_format(value, "DATETIME_FORMAT") if value else "—"


def feedback_docx(consultation: Consultation) -> bytes:
    from docx import Document

    doc = services.feedback(consultation)
    c = doc.consultation
    word = Document()
    word.add_heading(_("Coordinated feedback: %(title)s") % {"title": c.title}, level=0)
    word.add_paragraph(_("Owner: %(owner)s") % {"owner": c.owner.display_name})
    word.add_paragraph(
        _("Open for comments from %(opens)s to %(closes)s (%(tz)s)")
        % {"opens": _date(c.local_opens), "closes": _date(c.local_closes), "tz": c.time_zone}
    )
    word.add_paragraph(
        _("%(commenting)d of %(invited)d invited organisations commented.")
        % {"commenting": doc.commenting_count, "invited": doc.invited_count}
    )
    if c.synthesis_note:
        word.add_paragraph(c.synthesis_note)

    word.add_heading(_("Recommendations"), level=1)
    for number, rec in enumerate(doc.recommendations, start=1):
        word.add_heading(f"{number}. {rec.text}", level=2)
        if rec.section:
            word.add_paragraph(_("Section: %(heading)s") % {"heading": rec.section.heading})
        if rec.support.flagged:
            word.add_paragraph(_("No comment supports this recommendation."))
        names = ", ".join(org.display_name for org in rec.support.organisations) or "—"
        word.add_paragraph(_("Backed by: %(names)s") % {"names": names})
        for dissent in rec.dissents.all():
            word.add_paragraph(
                _("Objection of %(org)s: %(note)s")
                % {"org": dissent.organisation.display_name, "note": dissent.note or "—"}
            )
        word.add_paragraph(
            _("Owner's response: %(response)s") % {"response": rec.get_response_display()}
            + (f" — {rec.response_note}" if rec.response_note else "")
        )

    if doc.sectors:
        word.add_heading(_("Support by sector"), level=1)
        table = word.add_table(rows=1, cols=len(doc.sectors) + 1)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = _("Recommendation")
        for index, sector in enumerate(doc.sectors, start=1):
            table.rows[0].cells[index].text = sector.name
        for number, rec in enumerate(doc.recommendations, start=1):
            cells = table.add_row().cells
            cells[0].text = str(number)
            for index, count in enumerate(rec.sector_counts, start=1):
                cells[index].text = str(count)

    word.add_heading(_("Annex: all comments"), level=1)
    for section in doc.sections:
        word.add_heading(section.heading, level=2)
        comments = list(section.comments.all())
        if not comments:
            word.add_paragraph(_("No comments."))
        for comment in comments:
            word.add_paragraph(
                f"{comment.organisation.display_name} ({comment.get_kind_display()}): "
                f"{comment.text}"
            )
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
