"""The coordinated feedback: the printable page, the PDF and the DOCX say the same."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from pypdf import PdfReader

from netweave.consultations import services
from netweave.consultations.tests.factories import comment, make_consultation, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthesised(personas):
    """Three organisations in three sectors commented; two recommendations, one objection."""
    ngo = member(personas, "Обшорон Water Users", "civil-society")
    consultation = make_consultation(personas)
    a = comment(consultation, personas.org_a, text="Poverty maps need district data.")
    b = comment(consultation, personas.org_b, section=1, kind="concern", text="Tariffs rise.")
    c = comment(consultation, ngo, section=1, kind="suggestion", text="Лучше льготный тариф.")
    services.endorse_comment(b, organisation=ngo)
    services.create_recommendation(
        consultation, text="Publish poverty data by district.", comments=[a]
    )
    rec = services.create_recommendation(
        consultation,
        text="Protect poor households from tariff rises.",
        section=consultation.sections.last(),
        comments=[b, c],
    )
    services.record_dissent(rec, organisation=personas.org_a, note="Subsidies distort.")
    services.close_consultation(consultation)
    services.publish_synthesis(consultation, note="Coordinated by the secretariat.")
    return consultation


def url(consultation, name):
    return reverse(name, kwargs={"network": "testnet", "uid": consultation.uid})


def test_printable_page_shows_support_by_sector(personas, client, synthesised):
    client.force_login(personas.fiona)
    response = client.get(url(synthesised, "consultations:feedback"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Protect poor households from tariff rises." in page
    assert 'id="support-by-sector"' in page
    assert "Government" in page and "National or local NGO and civil society" in page
    assert "Subsidies distort." in page
    assert "Лучше льготный тариф." in page


def test_pdf_holds_the_recommendations_and_the_annex(personas, client, synthesised):
    """pypdf reads the recommendations, the objection and every comment back from the PDF."""
    client.force_login(personas.olga)
    response = client.get(url(synthesised, "consultations:feedback_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "Global Reconstruction and Development Bank",
        "Publish poverty data by district.",
        "Protect poor households from tariff rises.",
        "Support by sector",
        "Subsidies distort.",
        "Annex: all comments",
        "Poverty maps need district data.",
        "Лучше льготный тариф.",
        "Обшорон Water Users",
    ):
        assert expected in text, expected
    assert "@example.org" not in text  # no personal or organisational contact details


def test_docx_holds_the_recommendations_and_the_annex(personas, client, synthesised):
    client.force_login(personas.fiona)
    response = client.get(url(synthesised, "consultations:feedback_docx"))
    assert response.status_code == 200
    word = WordDocument(io.BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Protect poor households from tariff rises." in text
    assert "Annex: all comments" in text
    assert "Tariffs rise." in text
    assert word.tables[0].rows[0].cells[0].text == "Recommendation"


def test_feedback_is_missing_before_publication_for_members(personas, client):
    consultation = make_consultation(personas)
    services.create_recommendation(consultation, text="Draft advice.")
    client.force_login(personas.alice)
    assert client.get(url(consultation, "consultations:feedback")).status_code == 404
    assert client.get(url(consultation, "consultations:feedback_pdf")).status_code == 404
    client.force_login(personas.sam)
    assert client.get(url(consultation, "consultations:feedback")).status_code == 200
