"""The stocktake PDF is a tagged PDF/UA document: screen-reader users read its structure."""

import io

import pikepdf
import pytest

from mobilise.assurance import stocktake

from .factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _structure_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element in the structure tree."""
    found: list[pikepdf.Dictionary] = []
    seen: set[tuple[int, int]] = set()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if "/S" in node and isinstance(node.S, pikepdf.Name):
            found.append(node)
        if "/K" in node:
            stack.append(node.K)
    return found


def tagged_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def assert_tagged_pdf_ua(data: bytes, title: str) -> list[str]:
    """The checks a PDF/UA reader relies on, shared with the browser journey; returns the
    figures' alternative texts."""
    pdf = tagged_pdf(data)
    root = pdf.Root
    assert "/StructTreeRoot" in root
    assert bool(root.MarkInfo.Marked) is True
    assert str(root.Lang).startswith("en")
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    with pdf.open_metadata() as meta:
        dc_title = meta.get("dc:title", "")
        assert meta.get("pdfuaid:part") == "1"  # it declares PDF/UA-1
    info_title = str(pdf.docinfo.get("/Title", ""))
    assert title in dc_title or title in info_title
    elements = _structure_elements(pdf)
    types = {str(e.S)[1:] for e in elements}
    assert {"H1", "H2", "Table", "TH"} <= types, types
    # Charts are figures with alternative text.
    alts = [str(e.get("/Alt", "")).strip() for e in elements if e.S == "/Figure"]
    assert all(alts), "a figure has no /Alt"
    return alts


def test_the_pdf_is_tagged_with_a_title_a_language_headings_and_table_headers(borough):
    mission = borough["mission"]
    AssessmentFactory(mission=mission, outcome=borough["outcomes"][0], rating="amber")
    today = borough["meeting"].starts_at.date()
    facts = stocktake.gather(mission, today.replace(day=1), today)
    pdf = stocktake.render_pdf(facts, stocktake.render_html(facts))

    alts = assert_tagged_pdf_ua(pdf, "Clean air and net zero travel in Camden")
    assert any("against its trajectory" in alt for alt in alts)
