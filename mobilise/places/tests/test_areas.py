"""ITL, NUTS and combined-authority areas loaded from the shipped lookups: counts per
classification, parents, members, successors, dissolved boundaries and an idempotent reload."""

from collections import Counter

import pytest

from mobilise.places import geo, services
from mobilise.places.models import Place, PlaceMember
from mobilise.places.sources import SHIPPED_GEO_DIR

pytestmark = pytest.mark.django_db

Kind = Place.Kind


def counts(kind_prefix: str) -> dict:
    rows = Place.objects.filter(kind__startswith=kind_prefix).values_list("kind", "vintage")
    return Counter(rows)


def test_each_classification_has_the_areas_ons_publishes(shipped_places):
    itl = counts("itl")
    assert (itl[("itl3", 2021)], itl[("itl2", 2021)], itl[("itl1", 2021)]) == (179, 41, 12)
    assert (itl[("itl3", 2025)], itl[("itl2", 2025)], itl[("itl1", 2025)]) == (182, 46, 12)
    nuts = counts("nuts")
    assert (nuts[("nuts3", 2016)], nuts[("nuts2", 2016)], nuts[("nuts1", 2016)]) == (179, 41, 12)
    assert (nuts[("nuts3", 2013)], nuts[("nuts2", 2013)], nuts[("nuts1", 2013)]) == (173, 40, 12)
    assert Place.objects.filter(kind=Kind.COMBINED).count() == 18


def test_same_code_in_two_classifications_is_two_places(shipped_places):
    old, new = Place.objects.get(code="TLF22-21"), Place.objects.get(code="TLF22-25")
    assert old.ons_code == new.ons_code == "TLF22"
    assert (old.vintage, old.valid_from, old.valid_to) == (2021, 2021, 2024)
    assert (new.vintage, new.valid_from, new.valid_to) == (2025, 2025, None)
    assert old.name == new.name == "Leicestershire CC and Rutland"
    assert old.published_code == "TLF22" and old.vintage_label == "ITL 2021"
    assert not Place.objects.filter(code="TLC11-25").exists()  # recoded TLC31 in 2025


def test_parents_run_itl3_itl2_itl1_nation(shipped_places):
    tlc11 = Place.objects.get(code="TLC11-21")
    assert tlc11.parent.code == "TLC1-21"
    assert tlc11.parent.parent.code == "TLC-21"
    assert tlc11.parent.parent.parent.code == "E92000001"  # England
    assert Place.objects.get(code="TLM-25").parent.code == "K02000001"  # Scotland: in the UK


def test_members(shipped_places):
    tlc11 = Place.objects.get(code="TLC11-21")
    assert sorted(m.name for m in tlc11.members.all()) == ["Hartlepool", "Stockton-on-Tees"]
    gm = Place.objects.get(name="Greater Manchester", kind=Kind.COMBINED)
    assert gm.members.count() == 10
    assert "Manchester" in {m.name for m in gm.members.all()}
    gla = Place.objects.get(code="E61000001")
    assert gla.members.count() == 33 and gla.parent.code == "E12000007"
    # Highland is split between three ITL 3 areas of 2021: a part, not a whole member.
    link = PlaceMember.objects.get(area__code="TLM61-21", member__code="S12000017")
    assert link.whole is False


def test_successors_across_classifications(shipped_places):
    def succ(code):
        return sorted(Place.objects.get(code=code).successors.values_list("code", flat=True))

    # Scottish NUTS 3 codes changed between 2013 and 2016 (ONS crosswalk).
    assert succ("UKM22-13") == ["UKM72-16"]
    assert succ("UKF22-16") == ["TLF22-21"]  # NUTS 2016 → ITL 2021: UK → TL
    assert succ("TLC11-21") == ["TLC31-25"]  # recoded in 2025
    assert succ("TLD12-21") == ["TLD13-25", "TLD14-25"]  # East Cumbria split
    assert succ("E47000011") == ["E47000014"]  # North of Tyne → North East
    # Recoded by ITL: by shared authorities, after the 2019 Dorset mergers.
    assert succ("UKK22-16") == ["TLK24-21", "TLK25-21"]  # Dorset CC: Christchurch went to BCP
    assert succ("UKN10-16") == ["TLN0A-21"]  # Derry City and Strabane
    assert succ("TLM61-21") == ["TLM20-25"]  # Highland, split in 2021, whole in 2025
    # Every area of a classification that was replaced has a successor.
    retired = Place.objects.filter(vintage__in=[2013, 2016, 2021], successors__isnull=True)
    assert not retired.exclude(ons_code__startswith="UKN0", vintage=2013).exists()


def test_dissolved_boundaries_cover_their_members(shipped_places):
    for code in ("TLC11-21", "E47000001", "TLC-25", "UKF22-16"):
        area = Place.objects.get(code=code)
        members = list(area.members.all()) or [
            m for kid in area.children.all() for m in kid.members.all()
        ]
        if not members:  # level 1: through its level 2 and 3 areas
            members = list(Place.objects.filter(member_of__parent__parent=area).distinct())
        assert area.boundary and area.bbox
        box = geo.bbox_union(m.bbox for m in members)
        assert box == pytest.approx(area.bbox)


def test_reload_changes_nothing(shipped_places):
    before = Place.objects.count(), PlaceMember.objects.count()
    summary = services.places_load(path=SHIPPED_GEO_DIR)
    assert summary.created == 0 and summary.updated == 0
    assert summary.member_links_added == summary.member_links_removed == 0
    assert summary.successor_links_added == summary.successor_links_removed == 0
    assert (Place.objects.count(), PlaceMember.objects.count()) == before
