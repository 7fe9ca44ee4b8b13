"""The theory of change diagram (SVG) and outline: pure Python, no database."""

import re
import xml.etree.ElementTree as ET

from mobilise.missions.toc_diagram import (
    DiagramLink,
    DiagramNode,
    because,
    outline,
    render_svg,
    text_width,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"


def _example():
    nodes = [
        DiagramNode(1, "impact", "Cleaner air"),
        DiagramNode(2, "input", "Budget"),
        DiagramNode(3, "activity", "School streets"),
        DiagramNode(4, "output", "20 closures"),
        DiagramNode(5, "outcome", "More walking"),
        DiagramNode(6, "assumption", "Parents agree"),
        DiagramNode(7, "activity", "Cycle lanes"),
        DiagramNode(8, "assumption", "Funding lasts"),
    ]
    links = [
        DiagramLink(5, 1, "less traffic"),
        DiagramLink(2, 3, "pays for it"),
        DiagramLink(3, 4),
        DiagramLink(4, 5, "Because streets are calm"),
        DiagramLink(6, 5),
        DiagramLink(2, 7),
        DiagramLink(8, 3),
        DiagramLink(2, 5),  # skips two columns
        DiagramLink(5, 3),  # runs backwards
        DiagramLink(3, 7),  # stays in its column
    ]
    return nodes, links


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_diagram_is_well_formed_accessible_svg():
    nodes, links = _example()
    svg = render_svg(
        nodes, links, title="Theory of change for Clean air", description="As a list below."
    )
    root = ET.fromstring(svg)  # raises if the markup is not well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Theory of change for Clean air"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    # The site's CSP forbids inline styles: presentation attributes only.
    assert not re.search(r"\sstyle=", svg)
    assert "<script" not in svg


def test_diagram_contains_every_node_and_an_arrow_per_stage_link():
    nodes, links = _example()
    svg = render_svg(nodes, links, title="t")
    drawn = " ".join(_texts(svg))
    for node in nodes:
        assert node.title in drawn
    root = ET.fromstring(svg)
    arrows = [p for g in root.iter(f"{SVG}g") if g.get("marker-end") for p in g.iter(f"{SVG}path")]
    stage_links = [k for k in links if k.source_id not in (6, 8)]
    assert len(arrows) == len(stage_links)
    # Assumptions are numbered, and the steps that rely on them say so.
    assert "A1" in drawn and "A2" in drawn
    assert "Relies on A" in drawn


def test_diagram_escapes_user_text():
    nodes = [
        DiagramNode(1, "activity", '<script>alert("x")</script> & more'),
        DiagramNode(2, "output", "Fine"),
        DiagramNode(3, "assumption", "</svg><img src=x onerror=alert(1)>"),
    ]
    svg = render_svg(
        nodes, [DiagramLink(1, 2), DiagramLink(3, 2)], title="<b>Title</b>", description='"quoted"'
    )
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;/svg&gt;&lt;img" in svg
    assert "&lt;b&gt;Title&lt;/b&gt;" in svg
    ET.fromstring(svg)
    assert '<script>alert("x")</script> & more' in "".join(_texts(svg))


def test_column_order_follows_the_stages_whatever_the_input_order():
    nodes, links = _example()
    svg = render_svg(nodes, links, title="t")
    positions = [
        svg.index(f">{label}<")
        for label in ("Inputs", "Activities", "Outputs", "Outcomes", "Impact")
    ]
    assert positions == sorted(positions)
    x = {
        label: float(re.search(rf'<text x="([\d.]+)"[^>]*>{label}<', svg).group(1))
        for label in ("Inputs", "Impact")
    }
    assert x["Inputs"] < x["Impact"]
    # Assumptions sit in a row beneath the stage columns.
    y_assumptions = float(
        re.search(r'<text x="[\d.]+" y="([\d.]+)"[^>]*>Assumptions<', svg).group(1)
    )
    y_inputs = float(re.search(r'<text x="[\d.]+" y="([\d.]+)"[^>]*>Inputs<', svg).group(1))
    assert y_assumptions > y_inputs


def test_empty_theory_of_change_draws_nothing():
    assert render_svg([], [], title="t") == ""


def test_labels_can_be_translated_and_ids_are_prefixed():
    svg = render_svg(
        [DiagramNode(1, "input", "Arian"), DiagramNode(2, "assumption", "Tybiaeth")],
        [DiagramLink(2, 1)],
        title="t",
        labels={
            "input": "Mewnbynnau",
            "assumption": "Rhagdybiaethau",
            "relies_on": "Yn dibynnu ar %s",
            "assumption_prefix": "R",
        },
        id_prefix="toc-7",
    )
    assert "Mewnbynnau" in svg and "Rhagdybiaethau" in svg and "Yn dibynnu ar R1" in svg
    assert 'id="toc-7-title"' in svg and "url(#toc-7-arrow)" in svg


def test_self_links_and_links_to_unknown_nodes_are_ignored():
    svg = render_svg(
        [DiagramNode(1, "input", "A")], [DiagramLink(1, 1), DiagramLink(1, 99)], title="t"
    )
    assert "<path d=" not in svg.split("</defs>")[1]


def test_long_titles_wrap_within_the_box_and_very_long_ones_are_shortened():
    lines = wrap("Build protected cycle lanes along every main corridor in the borough", 144)
    assert len(lines) > 1
    assert all(text_width(line, 16) <= 144 for line in lines)
    lines = wrap("word " * 200, 144, max_lines=6)
    assert len(lines) == 6 and lines[-1].endswith("…")
    assert wrap("Supercalifragilisticexpialidocious-and-then-some", 60)[0] != ""
    assert all(
        text_width(line, 16) <= 60 for line in wrap("Supercalifragilisticexpialidocious", 60)
    )


def test_outline_lists_stages_in_order_with_what_each_step_leads_to():
    nodes, links = _example()
    result = outline(nodes, links)
    assert [s.kind for s in result.stages] == ["input", "activity", "output", "outcome", "impact"]
    activities = result.stages[1].items
    assert [i.node.title for i in activities] == ["School streets", "Cycle lanes"]  # as given
    budget = result.stages[0].items[0]
    # What a step leads to is listed in flow order: activities before outcomes.
    assert [t.title for t, _link in budget.leads_to] == [
        "School streets",
        "Cycle lanes",
        "More walking",
    ]
    assert budget.leads_to[0][1].rationale == "pays for it"
    walking = result.stages[3].items[0]
    assert [a.title for a, _link in walking.relies_on] == ["Parents agree"]
    # Assumptions come last, numbered by the earliest stage they underpin (as the diagram draws them).
    assert [i.node.title for i in result.assumptions] == ["Funding lasts", "Parents agree"]
    assert result.numbers == {8: 1, 6: 2}
    assert [t.title for t, _link in result.assumptions[1].underpins] == ["More walking"]


def test_outline_of_nothing_is_falsy():
    assert not outline([], [])


def test_because_drops_a_leading_because():
    assert because("Because streets are calm") == "streets are calm"
    assert because("because, quite simply, it works") == "quite simply, it works"
    assert because("becauseway") == "becauseway"
    assert because(None) == ""
