"""A theory of change drawn as an SVG diagram, and the same content as an ordered outline.

Pure Python (no Django), so it can be tested and reused anywhere. Both functions take any objects
with the attributes they read: nodes with ``id``, ``kind`` and ``title``; links with ``source_id``,
``target_id`` (and ``rationale`` for the outline). Model instances and the small dataclasses below
both fit.

The diagram reads left to right: one column per stage (inputs → activities → outputs → outcomes →
impact) with arrows for the links. Assumptions sit in a row beneath, numbered A1, A2…; the steps
that rely on them carry those numbers, which stays legible where connector lines to the row would
cross every column. Links that skip a column, run backwards or stay in one column are routed
through the gaps and a lane under the columns so that no arrow passes behind a box.

Every piece of user text is escaped, the SVG has ``role="img"`` with a title and description, and
colours are set with presentation attributes (the site's CSP forbids inline ``style``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

STAGES = ("input", "activity", "output", "outcome", "impact")
ASSUMPTION = "assumption"

DEFAULT_LABELS = {
    "input": "Inputs",
    "activity": "Activities",
    "output": "Outputs",
    "outcome": "Outcomes",
    "impact": "Impact",
    "assumption": "Assumptions",
    # "%s" becomes the assumption numbers, e.g. "Relies on A1, A3".
    "relies_on": "Relies on %s",
    # The letter that numbers assumptions: A1, A2…
    "assumption_prefix": "A",
}

TEXT = "#0b0c0c"
LINE = "#505a5f"
# (border, fill) for each kind. Borders are at least 3:1 against white (WCAG 1.4.11, non-text
# contrast); the near-black text is well over 4.5:1 on every fill. Colour is never the only cue:
# each column has a heading and assumptions have a dashed border and a number.
PALETTE = {
    "input": ("#1d70b8", "#e8f1f8"),
    "activity": ("#00703c", "#e5f1eb"),
    "output": ("#4c2c92", "#ede9f4"),
    "outcome": ("#a0210f", "#f9e8e5"),
    "impact": ("#0b0c0c", "#fff7bf"),
    "assumption": ("#505a5f", "#f3f2f1"),
}

# Geometry, in SVG user units (pixels at natural size). Five columns come to 952 wide, inside the
# 960px GOV.UK page width, so the diagram is shown at full size with 16px text on a desktop.
MARGIN = 4
COL_W = 160
COL_GAP = 36
HEADER_H = 40
PAD_X = 8
PAD_Y = 8
FONT = 16
LINE_H = 20
SMALL_FONT = 14
SMALL_LINE_H = 18
ROW_GAP = 20  # room for a short arrow between neighbours in a column
MAX_LINES = 6
LANE_GAP = 10
CORNER = 6

# Advance widths of Arial (and its metric twins Liberation Sans and Helvetica) in ems, enough to
# wrap titles without a font engine. Anything missing is treated as a wide-ish 0.6 em.
_WIDTHS: dict[str, float] = {" ": 0.278, "i": 0.222, "j": 0.222, "l": 0.222, "f": 0.278, "t": 0.278}
_WIDTHS.update(dict.fromkeys("abdeghnopqu0123456789£$", 0.556))
_WIDTHS.update(dict.fromkeys("ckszvxy", 0.5))
_WIDTHS.update({"r": 0.333, "m": 0.833, "w": 0.722})
_WIDTHS.update(dict.fromkeys("ABEKPSVXY", 0.667))
_WIDTHS.update(dict.fromkeys("CDHNRUw", 0.722))
_WIDTHS.update(dict.fromkeys("GOQ", 0.778))
_WIDTHS.update(
    {"F": 0.611, "T": 0.611, "Z": 0.611, "L": 0.556, "J": 0.5, "I": 0.278, "M": 0.833, "W": 0.944}
)
_WIDTHS.update(dict.fromkeys(".,:;!|'’‘", 0.25))
_WIDTHS.update(dict.fromkeys('-()[]/"“”', 0.333))
_WIDTHS.update({"&": 0.667, "%": 0.889, "–": 0.556, "—": 1.0, "…": 1.0})


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    em = sum(_WIDTHS.get(ch, 1.0 if ord(ch) >= 0x2E80 else 0.6) for ch in text)
    return em * size * (1.07 if bold else 1.0)


def wrap(text: str, width: float, size: float = FONT, max_lines: int = MAX_LINES) -> list[str]:
    """Break ``text`` into lines no wider than ``width``; an over-long last line ends with "…"."""
    lines: list[str] = []
    current = ""
    for word in " ".join(str(text).split()).split(" "):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        # A word longer than the line (a URL, a long compound) is broken wherever it must be.
        while text_width(word, size) > width:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1].rstrip()
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines or [""]


@dataclass(frozen=True)
class DiagramNode:
    id: Any
    kind: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class DiagramLink:
    source_id: Any
    target_id: Any
    rationale: str = ""


# ---------------------------------------------------------------------------------------------
# Outline: the same theory of change as nested lists, the accessible equivalent of the diagram.


@dataclass
class OutlineItem:
    node: Any
    leads_to: list[tuple[Any, Any]] = field(default_factory=list)  # (target node, link)
    relies_on: list[tuple[Any, Any]] = field(default_factory=list)  # (assumption node, link)
    underpins: list[tuple[Any, Any]] = field(
        default_factory=list
    )  # for an assumption: (node, link)


@dataclass
class OutlineStage:
    kind: str
    items: list[OutlineItem]


@dataclass
class Outline:
    stages: list[OutlineStage]
    assumptions: list[OutlineItem]
    # Assumption id -> its number (1, 2…), the same numbers the diagram shows as A1, A2…
    numbers: dict[Any, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.stages or self.assumptions)


def _stage_rank(kind: str) -> int:
    return STAGES.index(kind) if kind in STAGES else len(STAGES)


def assumptions_in_order(nodes: Iterable[Any], links: Iterable[Any]) -> list[Any]:
    """Assumptions ordered by the earliest stage they underpin, then as given.

    The diagram places each assumption under that stage, so numbering them in this order makes
    A1, A2… read left to right there, and the list uses the same numbers.
    """
    nodes = list(nodes)
    kind_of = {n.id: n.kind for n in nodes}
    earliest: dict[Any, int] = {}
    for link in links:
        if kind_of.get(link.source_id) == ASSUMPTION and kind_of.get(link.target_id) in STAGES:
            rank = _stage_rank(kind_of[link.target_id])
            earliest[link.source_id] = min(rank, earliest.get(link.source_id, rank))
    assumptions = [n for n in nodes if n.kind == ASSUMPTION]
    return sorted(assumptions, key=lambda n: earliest.get(n.id, len(STAGES)))


def links_in_flow_order(nodes: Iterable[Any], links: Iterable[Any]) -> list[Any]:
    """Links sorted by where their source sits in the flow (stage, then position), then target."""
    nodes = list(nodes)
    position = {n.id: (_stage_rank(n.kind), i) for i, n in enumerate(nodes)}
    far = (len(STAGES) + 1, 0)
    return sorted(
        links, key=lambda k: (position.get(k.source_id, far), position.get(k.target_id, far))
    )


def outline(nodes: Iterable[Any], links: Iterable[Any]) -> Outline:
    """Stages in order (only those with steps), each step with what it leads to and relies on;
    then the assumptions with the steps they underpin. Steps keep the order they are given in."""
    nodes = [n for n in nodes if n.kind in STAGES or n.kind == ASSUMPTION]
    links = list(links)
    position = {n.id: i for i, n in enumerate(nodes)}
    items = {n.id: OutlineItem(node=n) for n in nodes}
    for link in links:
        source, target = items.get(link.source_id), items.get(link.target_id)
        if source is None or target is None:
            continue
        if source.node.kind == ASSUMPTION:
            source.underpins.append((target.node, link))
            target.relies_on.append((source.node, link))
        else:
            source.leads_to.append((target.node, link))

    def by_flow(pair: tuple[Any, Any]) -> tuple[int, int]:
        return (_stage_rank(pair[0].kind), position[pair[0].id])

    for item in items.values():
        item.leads_to.sort(key=by_flow)
        item.relies_on.sort(key=by_flow)
        item.underpins.sort(key=by_flow)
    stages = [
        OutlineStage(kind=kind, items=[items[n.id] for n in nodes if n.kind == kind])
        for kind in STAGES
        if any(n.kind == kind for n in nodes)
    ]
    assumptions = [items[n.id] for n in assumptions_in_order(nodes, links)]
    numbers = {item.node.id: i for i, item in enumerate(assumptions, start=1)}
    return Outline(stages=stages, assumptions=assumptions, numbers=numbers)


_BECAUSE = re.compile(r"^\s*because\b[\s,:]*", re.IGNORECASE)


def because(rationale: str | None) -> str:
    """A rationale ready to follow the word "because": people often start it with "because" too."""
    return _BECAUSE.sub("", rationale or "").strip()


# ---------------------------------------------------------------------------------------------
# Diagram


@dataclass
class _Box:
    node: Any
    kind: str
    x: float
    y: float
    w: float
    h: float
    lines: list[str]
    badge: list[str] = field(default_factory=list)  # "Relies on A1, A3", wrapped
    number: str = ""  # "A1" for assumptions

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def _box_height(lines: int, badge_lines: int, number: bool) -> float:
    height = 2 * PAD_Y + lines * LINE_H
    if badge_lines:
        height += badge_lines * SMALL_LINE_H + 2
    if number:
        height += SMALL_LINE_H
    return height


def _rounded(points: Sequence[tuple[float, float]], radius: float = CORNER) -> str:
    """An SVG path through ``points`` with the corners rounded off."""
    out = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for i in range(1, len(points) - 1):
        (x0, y0), (x1, y1), (x2, y2) = points[i - 1], points[i], points[i + 1]
        d_in = max(abs(x1 - x0), abs(y1 - y0))
        d_out = max(abs(x2 - x1), abs(y2 - y1))
        r = min(radius, d_in / 2, d_out / 2)
        if r <= 0:
            continue
        ax = x1 - (x1 - x0) / d_in * r if d_in else x1
        ay = y1 - (y1 - y0) / d_in * r if d_in else y1
        bx = x1 + (x2 - x1) / d_out * r if d_out else x1
        by = y1 + (y2 - y1) / d_out * r if d_out else y1
        out.append(f"L{ax:.1f},{ay:.1f} Q{x1:.1f},{y1:.1f} {bx:.1f},{by:.1f}")
    out.append(f"L{points[-1][0]:.1f},{points[-1][1]:.1f}")
    return " ".join(out)


def _ports(count: int, box: _Box) -> list[float]:
    """``count`` y positions spread down one side of ``box``, clear of its rounded corners."""
    inner_top, inner_h = box.y + 6, box.h - 12
    return [inner_top + inner_h * (i + 1) / (count + 1) for i in range(count)]


def render_svg(
    nodes: Iterable[Any],
    links: Iterable[Any],
    *,
    title: str,
    description: str = "",
    labels: Mapping[str, str] | None = None,
    id_prefix: str = "toc",
) -> str:
    """The diagram as an SVG string, or "" when there are no steps to draw."""
    labels = {**DEFAULT_LABELS, **(labels or {})}
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", id_prefix) or "toc"
    nodes = list(nodes)
    links = list(links)
    stage_nodes = {kind: [n for n in nodes if n.kind == kind] for kind in STAGES}
    columns = [kind for kind in STAGES if stage_nodes[kind]]
    assumptions = assumptions_in_order(nodes, links)
    if not columns and not assumptions:
        return ""
    kind_of = {n.id: n.kind for n in nodes if n.kind in STAGES or n.kind == ASSUMPTION}
    links = [
        link
        for link in links
        if link.source_id in kind_of
        and link.target_id in kind_of
        and link.source_id != link.target_id
    ]

    numbers = {
        n.id: f"{labels['assumption_prefix']}{i}" for i, n in enumerate(assumptions, start=1)
    }
    relies: dict[Any, list[str]] = {}
    for link in links:
        if kind_of[link.source_id] == ASSUMPTION and kind_of[link.target_id] != ASSUMPTION:
            relies.setdefault(link.target_id, []).append(numbers[link.source_id])
    for key in relies:
        relies[key] = sorted(
            set(relies[key]), key=lambda s: int(s[len(labels["assumption_prefix"]) :])
        )

    text_w = COL_W - 2 * PAD_X
    col_x = {kind: MARGIN + i * (COL_W + COL_GAP) for i, kind in enumerate(columns)}

    # Stage columns, each centred on the tallest.
    boxes: dict[Any, _Box] = {}
    col_heights = {}
    for kind in columns:
        made = []
        for node in stage_nodes[kind]:
            badge = []
            if node.id in relies:
                badge = wrap(
                    labels["relies_on"] % ", ".join(relies[node.id]), text_w, SMALL_FONT, 3
                )
            lines = wrap(node.title, text_w)
            height = _box_height(len(lines), len(badge), False)
            made.append(_Box(node, kind, col_x[kind], 0, COL_W, height, lines, badge))
        col_heights[kind] = sum(b.h for b in made) + ROW_GAP * (len(made) - 1)
        for box in made:
            boxes[box.node.id] = box
    main_h = max(col_heights.values(), default=0)
    for kind in columns:
        y = HEADER_H + (main_h - col_heights[kind]) / 2
        for node in stage_nodes[kind]:
            box = boxes[node.id]
            box.y = y
            y += box.h + ROW_GAP
    main_bottom = HEADER_H + main_h

    # Links between stage steps. Forward links to the next column are curves across the gap;
    # the rest are routed through the gaps and a lane of their own beneath the columns.
    col_index = {kind: i for i, kind in enumerate(columns)}
    stage_links = [
        link
        for link in links
        if kind_of[link.source_id] in STAGES and kind_of[link.target_id] in STAGES
    ]
    right_side: dict[Any, list[tuple[float, Any, str]]] = {}
    left_side: dict[Any, list[tuple[float, Any, str]]] = {}
    routes = []
    lanes = 0
    row_of = {n.id: i for kind in columns for i, n in enumerate(stage_nodes[kind])}
    pairs = {(link.source_id, link.target_id) for link in stage_links}
    for link in stage_links:
        s, t = boxes[link.source_id], boxes[link.target_id]
        step = col_index[t.kind] - col_index[s.kind]
        if step == 1:
            shape = "curve"
        elif step == 0 and abs(row_of[s.node.id] - row_of[t.node.id]) == 1:
            # Neighbours in a column: a short straight arrow across the gap between them reads
            # better than a loop out into the gap beside the column, where other arrows run.
            routes.append((link, "stack", step))
            continue
        elif step == 0:
            shape = "same"
        else:
            shape = "lane"
            lanes += 1
        # Which side each end uses: forward links leave on the right and arrive on the left;
        # same-column links use the right side at both ends; backward ones leave on the left.
        s_side = left_side if step < 0 else right_side
        t_side = left_side if step > 0 else right_side
        sort_key_s = t.cy if shape != "lane" else main_bottom + 1000
        sort_key_t = s.cy if shape != "lane" else main_bottom + 1000
        s_side.setdefault(s.node.id, []).append((sort_key_s, link, "out"))
        t_side.setdefault(t.node.id, []).append((sort_key_t, link, "in"))
        routes.append((link, shape, step))
    port: dict[tuple[int, str], float] = {}
    for side in (right_side, left_side):
        for node_id, entries in side.items():
            entries.sort(key=lambda e: e[0])
            for y, (_key, link, end) in zip(
                _ports(len(entries), boxes[node_id]), entries, strict=True
            ):
                port[(id(link), end)] = y

    lane_top = main_bottom + (16 if lanes else 0)
    paths: list[str] = []
    max_x = MARGIN + len(columns) * (COL_W + COL_GAP) - COL_GAP
    # Vertical runs share the gaps between columns: each takes the next free track, counted in
    # from the side of the gap it hugs, so parallel runs never sit on top of each other.
    tracks: dict[tuple[float, str], int] = {}

    def track(edge_x: float, side: str) -> float:
        n = tracks.get((edge_x, side), 0)
        tracks[(edge_x, side)] = n + 1
        step_ = 5 + (n % 3) * 5
        return edge_x + step_ if side == "right_of" else edge_x - step_

    # Shorter lane routes get the lanes nearest the columns so their runs do not cross longer ones.
    lane_order = sorted(
        (r for r in routes if r[1] == "lane"),
        key=lambda r: abs(boxes[r[0].target_id].x - boxes[r[0].source_id].x),
    )
    lane_of = {id(r[0]): i for i, r in enumerate(lane_order)}
    for link, shape, step in routes:
        s, t = boxes[link.source_id], boxes[link.target_id]
        if shape == "stack":
            # Both ways between the same neighbours: side by side rather than on top of each other.
            shift = 12 if (link.target_id, link.source_id) in pairs else 0
            cx = s.x + s.w / 2 + (shift if s.y < t.y else -shift)
            y0, y1 = (s.y + s.h, t.y) if s.y < t.y else (s.y, t.y + t.h)
            paths.append(f"M{cx:.1f},{y0:.1f} L{cx:.1f},{y1:.1f}")
            continue
        sy, ty = port[(id(link), "out")], port[(id(link), "in")]
        if shape == "curve":
            x0, x1 = s.x + s.w, t.x
            dx = (x1 - x0) / 2
            paths.append(
                f"M{x0:.1f},{sy:.1f} C{x0 + dx:.1f},{sy:.1f} {x1 - dx:.1f},{ty:.1f} {x1:.1f},{ty:.1f}"
            )
        elif shape == "same":
            x0 = s.x + s.w
            gx = track(x0, "right_of")
            max_x = max(max_x, gx + 2)
            paths.append(_rounded([(x0, sy), (gx, sy), (gx, ty), (x0, ty)]))
        else:
            lane_y = lane_top + lane_of[id(link)] * LANE_GAP
            if step > 0:
                x0, x1 = s.x + s.w, t.x
                g0, g1 = track(x0, "right_of"), track(x1, "left_of")
            else:
                x0, x1 = s.x, t.x + t.w
                g0, g1 = track(x0, "left_of"), track(x1, "right_of")
            paths.append(
                _rounded([(x0, sy), (g0, sy), (g0, lane_y), (g1, lane_y), (g1, ty), (x1, ty)])
            )
    if lanes:
        main_bottom = lane_top + (lanes - 1) * LANE_GAP + 8

    # Assumptions: a row (or rows) beneath, each placed near the earliest step it underpins.
    assumption_boxes: list[_Box] = []
    height = main_bottom + MARGIN
    width = max_x + MARGIN
    if assumptions:
        first_target_col: dict[Any, int] = {}
        for link in links:
            if link.source_id in numbers and link.target_id in boxes:
                col = col_index[boxes[link.target_id].kind]
                first_target_col[link.source_id] = min(
                    col, first_target_col.get(link.source_id, col)
                )
        ordered = sorted(assumptions, key=lambda n: first_target_col.get(n.id, len(columns)))
        per_row = max(len(columns), min(len(assumptions), 3))
        # Each assumption goes under the column of the earliest step it underpins when that slot is
        # free, else the next one along; a full row starts another.
        rows: list[list[tuple[int, Any]]] = [[]]
        for node in ordered:
            want = min(first_target_col.get(node.id, 0), per_row - 1)
            prev = rows[-1][-1][0] if rows[-1] else -1
            slot = max(want, prev + 1)
            if slot >= per_row:
                rows.append([])
                slot = want
            rows[-1].append((slot, node))
        top = (main_bottom + 28) if columns else 0
        row_top = top + HEADER_H
        for placed in rows:
            row = []
            for slot, node in placed:
                lines = wrap(node.title, text_w)
                row.append(
                    _Box(
                        node,
                        ASSUMPTION,
                        MARGIN + slot * (COL_W + COL_GAP),
                        row_top,
                        COL_W,
                        _box_height(len(lines), 0, True),
                        lines,
                        number=numbers[node.id],
                    )
                )
            row_h = max(b.h for b in row)
            for box in row:
                box.h = row_h  # boxes in a row line up, which reads as a row
            assumption_boxes.extend(row)
            row_top += row_h + ROW_GAP
        width = max(width, MARGIN + per_row * (COL_W + COL_GAP) - COL_GAP + MARGIN)
        height = row_top - ROW_GAP + MARGIN
        assumptions_header_y = top

    def attr(value: Any) -> str:
        return escape(str(value), quote=True)

    out: list[str] = []
    title_id, desc_id, arrow_id = f"{prefix}-title", f"{prefix}-desc", f"{prefix}-arrow"
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'font-family="Arial, Helvetica, sans-serif">'
    )
    out.append(f'<title id="{title_id}">{attr(title)}</title>')
    out.append(f'<desc id="{desc_id}">{attr(description)}</desc>')
    out.append(
        f'<defs><marker id="{arrow_id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="5" '
        f'markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/></marker></defs>'
    )

    def header(x: float, y: float, kind: str, width_: float) -> None:
        border = PALETTE[kind][0]
        out.append(
            f'<text x="{x:.1f}" y="{y + 20:.1f}" font-size="17" font-weight="bold" fill="{TEXT}">{attr(labels[kind])}</text>'
        )
        out.append(
            f'<rect x="{x:.1f}" y="{y + 28:.1f}" width="{width_:.1f}" height="4" fill="{border}"/>'
        )

    for kind in columns:
        header(col_x[kind], 0, kind, COL_W)
    if assumption_boxes:
        row_width = max(b.x + b.w for b in assumption_boxes) - MARGIN
        header(MARGIN, assumptions_header_y, ASSUMPTION, row_width)

    out.append(f'<g fill="none" stroke="{LINE}" stroke-width="2" marker-end="url(#{arrow_id})">')
    out.extend(f'<path d="{d}"/>' for d in paths)
    out.append("</g>")

    for box in [*boxes.values(), *assumption_boxes]:
        border, fill = PALETTE[box.kind]
        dash = ' stroke-dasharray="6 4"' if box.kind == ASSUMPTION else ""
        out.append(f"<g><title>{attr(box.node.title)}</title>")
        out.append(
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="4" '
            f'fill="{fill}" stroke="{border}" stroke-width="2"{dash}/>'
        )
        y = box.y + PAD_Y
        if box.number:
            out.append(
                f'<text x="{box.x + PAD_X:.1f}" y="{y + 13:.1f}" font-size="{SMALL_FONT}" font-weight="bold" '
                f'fill="{TEXT}">{attr(box.number)}</text>'
            )
            y += SMALL_LINE_H
        out.append(f'<text font-size="{FONT}" fill="{TEXT}">')
        for i, line in enumerate(box.lines):
            out.append(
                f'<tspan x="{box.x + PAD_X:.1f}" y="{y + 15 + i * LINE_H:.1f}">{attr(line)}</tspan>'
            )
        out.append("</text>")
        if box.badge:
            by = y + len(box.lines) * LINE_H + 2
            out.append(f'<text font-size="{SMALL_FONT}" font-style="italic" fill="{TEXT}">')
            for i, line in enumerate(box.badge):
                out.append(
                    f'<tspan x="{box.x + PAD_X:.1f}" y="{by + 13 + i * SMALL_LINE_H:.1f}">{attr(line)}</tspan>'
                )
            out.append("</text>")
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
