"""The still picture of the map: a pure function from the analysis JSON to SVG (and PNG)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from netweave.analysis import svg

SVG = "{http://www.w3.org/2000/svg}"


def _result(count: int = 5, *, ties: list[tuple[int, int, float]] | None = None) -> dict:
    sectors = ["government", "academia", None]
    nodes = [
        {
            "id": 100 + i,
            "label": f"Org {i}",
            "sector": sectors[i % 3],
            "sector_name": {"government": "Government", "academia": "Academia"}.get(sectors[i % 3]),
            "community": i % 2,
            "degree": i,
            "betweenness": i / 10,
            "x": i / max(count - 1, 1),
            "y": (i * 7 % count) / count,
        }
        for i in range(count)
    ]
    if ties is None:
        ties = [(100 + i, 100 + i + 1, float(i + 1)) for i in range(count - 1)]
    edges = [{"source": a, "target": b, "weight": w} for a, b, w in ties]
    return {"nodes": nodes, "edge_list": edges, "level": "organisation"}


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))  # noqa: S314 — the code under test wrote it


def _group(root: ET.Element, name: str) -> ET.Element:
    found = [g for g in root.iter(f"{SVG}g") if g.get("class") == name]
    assert len(found) == 1, name
    return found[0]


class TestRenderSvg:
    def test_one_circle_per_node_and_one_line_per_edge(self):
        """The picture holds exactly the result's nodes and edges."""
        root = _parse(svg.render_svg(_result(6), title="Map"))
        assert len(_group(root, "nodes").findall(f"{SVG}circle")) == 6
        assert len(_group(root, "edges").findall(f"{SVG}line")) == 5

    def test_edges_to_nodes_not_drawn_are_left_out(self):
        """An edge whose end is not among the nodes (filtered out) draws no line."""
        result = _result(3, ties=[(100, 101, 1.0), (101, 999, 2.0)])
        root = _parse(svg.render_svg(result))
        assert len(_group(root, "edges").findall(f"{SVG}line")) == 1

    def test_labels_and_titles_are_escaped(self):
        """Markup in a label is text in the picture, never markup."""
        result = _result(2)
        result["nodes"][0]["label"] = '<script>alert("x")</script> & Co'
        text = svg.render_svg(result, title='Water & "sanitation" <net>')
        root = _parse(text)  # well-formed despite the markup
        assert "<script>" not in text
        labels = [t.text for t in _group(root, "labels").findall(f"{SVG}text")]
        assert '<script>alert("x")</script> & Co' in labels
        assert root.find(f"{SVG}title").text == 'Water & "sanitation" <net>'

    def test_legend_lists_sectors_with_their_colours(self):
        """Colour by sector: one legend entry per sector, with the sector's own colour."""
        colours = {"government": "#112233", "academia": "#445566"}
        names = {"government": "Gouvernement", "academia": "Recherche"}
        root = _parse(
            svg.render_svg(
                _result(6), sector_colours=colours, sector_names=names, no_sector_label="Aucun"
            )
        )
        legend = _group(root, "legend")
        assert [t.text for t in legend.findall(f"{SVG}text")] == [
            "Gouvernement",
            "Recherche",
            "Aucun",
        ]
        fills = {c.get("fill") for c in _group(root, "nodes").findall(f"{SVG}circle")}
        assert fills == {"#112233", "#445566", svg.NO_SECTOR_COLOUR}

    def test_colour_by_community(self):
        """Colour by community: one palette colour and legend entry per community."""
        root = _parse(svg.render_svg(_result(6), colour_by="community"))
        legend = [t.text for t in _group(root, "legend").findall(f"{SVG}text")]
        assert legend == ["Community 1", "Community 2"]
        fills = {c.get("fill") for c in _group(root, "nodes").findall(f"{SVG}circle")}
        assert fills == {svg.PALETTE[0], svg.PALETTE[1]}

    def test_size_follows_the_chosen_metric(self):
        """The node with the largest metric value gets the largest circle."""
        root = _parse(svg.render_svg(_result(5), size_by="betweenness"))
        circles = _group(root, "nodes").findall(f"{SVG}circle")
        radii = {c.get("data-id"): float(c.get("r")) for c in circles}
        assert max(radii, key=radii.get) == "104"
        assert radii["100"] == svg.MIN_RADIUS

    def test_bad_colours_are_not_written_into_the_picture(self):
        """A sector colour that is not #rrggbb falls back to the neutral colour."""
        result = _result(1)
        result["nodes"][0]["sector"] = "government"
        text = svg.render_svg(result, sector_colours={"government": 'red" onload="x'})
        assert "onload" not in text

    def test_empty_network(self):
        """A network with no members still gives a valid, empty picture."""
        root = _parse(svg.render_svg({"nodes": [], "edge_list": []}))
        assert _group(root, "nodes").findall(f"{SVG}circle") == []

    def test_same_positions_and_missing_values(self):
        """Nodes with equal or missing coordinates and metrics are drawn, not divided by 0."""
        result = {"nodes": [{"id": 1}, {"id": 2, "x": None, "y": "a", "degree": None}]}
        root = _parse(svg.render_svg(result))
        assert len(_group(root, "nodes").findall(f"{SVG}circle")) == 2


class TestRenderPng:
    def test_png_of_the_same_picture(self):
        """The PNG is a real image of the picture's size (drawn at twice the scale)."""
        from PIL import Image

        data = svg.render_png(_result(6), title="Map")
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        image = Image.open(io.BytesIO(data))
        assert image.size == ((svg.WIDTH + svg.LEGEND_WIDTH) * 2, (svg.HEIGHT + 56) * 2)
