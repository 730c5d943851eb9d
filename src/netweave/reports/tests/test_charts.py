"""Charts drawn as inline SVG: well formed, accessible, deterministic, any script."""

import re

import pytest
from defusedxml import ElementTree as ET
from django.utils import translation

from netweave.reports.charts import PALETTE, chart_svg
from netweave.reports.report import Chart

SVG = "{http://www.w3.org/2000/svg}"


def chart(kind: str = "bar", **changes) -> Chart:
    values = {
        "key": "sectors",
        "title": "Members by sector",
        "kind": kind,
        "categories": ["Government", "Civil society", "Private sector"],
        "series": {"2014": [2, 3, 1], "2015": [3, 5, 2]},
    }
    values.update(changes)
    return Chart(**values)


@pytest.mark.parametrize("kind", ["bar", "hbar", "stacked", "line"])
def test_every_kind_is_an_inline_svg_with_role_and_title(kind):
    """Each kind gives well-formed SVG with no prolog, role="img" and the chart's title."""
    svg = chart_svg(chart(kind))
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<metadata" not in svg
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Members by sector"
    assert root.get("aria-labelledby") == title.get("id")
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Government" in texts and "Civil society" in texts


def test_output_is_deterministic():
    """The same chart gives the same bytes (fixed hash salt, no date)."""
    assert chart_svg(chart()) == chart_svg(chart())


def test_series_use_the_colour_blind_safe_palette():
    """The first two series are drawn in the palette's first two colours."""
    svg = chart_svg(chart()).lower()
    assert PALETTE[0].lower() in svg and PALETTE[1].lower() in svg


def test_bar_labels_show_localised_values():
    """Bars carry their values, grouped as the active language groups thousands."""
    big = chart(series={"Money": [1500, 250000, 0]})
    with translation.override("en"):
        assert "250,000" in chart_svg(big)
    with translation.override("ru"):
        assert "250\xa0000" in chart_svg(big)


def test_cyrillic_labels_are_kept_as_text():
    """Cyrillic categories and title come out as text, not as boxes or paths."""
    svg = chart_svg(chart(title="Члены по секторам", categories=["Государство", "НКО", "Бизнес"]))
    root = ET.fromstring(svg)
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Государство" in texts and "НКО" in texts
    assert root.find(f"{SVG}title").text == "Члены по секторам"


def test_markup_in_labels_is_escaped():
    """A title or category holding markup is text in the SVG, never an element."""
    svg = chart_svg(chart(title="<script>alert(1)</script>", categories=["<b>x</b>", "y", "z"]))
    assert "<script" not in svg and "<b>" not in svg
    ET.fromstring(svg)


def test_dollar_signs_are_not_mathematics():
    """A "$" in a label is drawn as a dollar sign, not parsed as a formula."""
    svg = chart_svg(chart(categories=["$5 grants", "$10 loans", "other"]))
    assert "$5 grants" in svg


def test_ids_differ_between_charts_and_references_resolve():
    """Two charts on one page share no id, and each chart's url(#…) points inside itself."""
    first = chart_svg(chart())
    second = chart_svg(chart("line", key="growth", title="Growth"))
    ids = [set(re.findall(r'\bid="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    for svg, own in zip((first, second), ids, strict=True):
        assert set(re.findall(r"url\(#([^)]+)\)", svg)) <= own


def test_markers_are_referenced_with_a_plain_href():
    """Markers and ticks use SVG 2's href, which survives HTML parsing into the PDF."""
    svg = chart_svg(chart("line"))
    assert '<use href="#' in svg and "xlink:href" not in svg


def test_an_empty_chart_says_so():
    """A chart without categories or series says there is no data instead of failing."""
    svg = chart_svg(chart(categories=[], series={}))
    assert "No data for this chart." in svg


def test_missing_values_are_drawn_as_zero():
    """A None in a series does not break the drawing."""
    svg = chart_svg(chart("stacked", series={"a": [1, None, 2], "b": [0, 1, None]}))
    ET.fromstring(svg)


def test_many_long_categories_are_wrapped():
    """Long category names are wrapped onto several lines instead of overlapping."""
    long = "A very long category name that would overlap its neighbours"
    svg = chart_svg(chart("hbar", categories=[long, "short", "other"], series={"n": [1, 2, 3]}))
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert long not in texts
    assert any(text.startswith("A very long") for text in texts)
