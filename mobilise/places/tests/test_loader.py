"""The loader on the shipped boundaries: counts, parents, years, successors, idempotence."""

from collections import Counter

import pytest

from mobilise.places import geo, services
from mobilise.places.models import Place
from mobilise.places.sources import SHIPPED_GEO_DIR

pytestmark = pytest.mark.django_db

Kind = Place.Kind


@pytest.fixture
def places(shipped_places):
    """Every place by code, without boundaries (reading 450 of them takes seconds)."""
    rows = list(Place.objects.defer("boundary"))
    by_id = {p.pk: p for p in rows}
    for p in rows:  # parents from memory, so walking up costs no queries
        p.parent = by_id.get(p.parent_id)
    return {p.code: p for p in rows}


def chain(place: Place) -> list[str]:
    codes = []
    while place.parent_id:
        place = place.parent
        codes.append(place.code)
    return codes


def test_counts_by_kind_are_those_of_the_uk(shipped_places, places):
    kinds = Counter(p.kind for p in places.values())
    assert kinds[Kind.UK] == 1
    assert kinds[Kind.NATION] == 4
    assert kinds[Kind.REGION] == 9
    assert kinds[Kind.COUNTY] == 27  # 2014's counties; 21 still in use
    current = Counter(p.kind for p in places.values() if p.is_current)
    assert current[Kind.COUNTY] == 21
    # 361 local authorities in use in 2025 (164 districts, the rest single tier).
    assert current[Kind.DISTRICT] == 164
    assert current[Kind.UNITARY] + current[Kind.DISTRICT] == 361
    assert shipped_places.created == len(places)
    assert shipped_places.by_kind[Kind.REGION] == 9


def test_nations_and_regions_hang_from_the_uk(places):
    assert places["K02000001"].parent is None
    for nation in ("E92000001", "W92000004", "S92000003", "N92000002"):
        assert places[nation].kind == Kind.NATION
        assert places[nation].parent.code == "K02000001"
    regions = [p for p in places.values() if p.kind == Kind.REGION]
    assert {r.code for r in regions} == {f"E1200000{i}" for i in range(1, 10)}
    assert all(r.parent.code == "E92000001" for r in regions)


@pytest.mark.parametrize(
    ("code", "kind", "expected_chain"),
    [
        ("E09000022", Kind.UNITARY, ["E12000007", "E92000001", "K02000001"]),  # Lambeth → London
        (
            "E07000178",
            Kind.DISTRICT,
            ["E10000025", "E12000008", "E92000001", "K02000001"],
        ),  # Oxford → Oxfordshire
        ("E08000025", Kind.UNITARY, ["E12000005", "E92000001", "K02000001"]),  # Birmingham
        ("W06000015", Kind.UNITARY, ["W92000004", "K02000001"]),  # Cardiff
        ("S12000036", Kind.UNITARY, ["S92000003", "K02000001"]),  # City of Edinburgh
        ("N09000003", Kind.UNITARY, ["N92000002", "K02000001"]),  # Belfast
        # Codes newer than the 2014 lookup get their parents through changes.csv.
        (
            "E06000060",
            Kind.UNITARY,
            ["E12000008", "E92000001", "K02000001"],
        ),  # Buckinghamshire, 2020
        ("E06000058", Kind.UNITARY, ["E12000009", "E92000001", "K02000001"]),  # BCP, 2019
        (
            "E06000062",
            Kind.UNITARY,
            ["E12000004", "E92000001", "K02000001"],
        ),  # West Northamptonshire
        (
            "E07000244",
            Kind.DISTRICT,
            ["E10000029", "E12000006", "E92000001", "K02000001"],
        ),  # East Suffolk → Suffolk
        ("E08000038", Kind.UNITARY, ["E12000003", "E92000001", "K02000001"]),  # Barnsley, 2025 code
        ("E10000014", Kind.COUNTY, ["E12000008", "E92000001", "K02000001"]),  # Hampshire
    ],
)
def test_known_parents(places, code, kind, expected_chain):
    assert places[code].kind == kind
    assert chain(places[code]) == expected_chain


def test_every_local_authority_lies_inside_its_parent(shipped_places):
    # The parents come from lookups and changes.csv; the geography must agree with them.
    boundaries = dict(
        Place.objects.filter(kind__in=[Kind.REGION, Kind.COUNTY]).values_list("pk", "boundary")
    )
    local = Place.objects.filter(kind__in=Place.LOCAL_AUTHORITY_KINDS, code__startswith="E")
    checked = 0
    for code, parent_id, boundary in local.values_list("code", "parent_id", "boundary"):
        assert geo.contains(boundaries[parent_id], geo.interior_point(boundary)), code
        checked += 1
    assert checked > 300


def test_years_come_from_the_topology(places):
    lambeth = places["E09000022"]
    assert (lambeth.valid_from, lambeth.valid_to) == (None, None)
    assert (places["E06000060"].valid_from, places["E06000060"].valid_to) == (2020, None)
    assert (places["E07000004"].valid_from, places["E07000004"].valid_to) == (
        None,
        2019,
    )  # Aylesbury Vale
    assert (places["E10000002"].valid_from, places["E10000002"].valid_to) == (
        None,
        2019,
    )  # Buckinghamshire CC
    assert (places["E07000246"].valid_from, places["E07000246"].valid_to) == (
        2019,
        2022,
    )  # Somerset West and Taunton


def test_scottish_2019_codes_missing_upstream_are_added(places):
    assert places["S12000049"].name == "Glasgow City"
    assert places["S12000049"].valid_from == 2019 and places["S12000049"].is_current
    assert places["S12000046"].valid_to == 2018
    assert places["S12000049"].boundary == places["S12000046"].boundary


def test_successors(places):
    def successors(code):
        return sorted(places[code].successors.values_list("code", flat=True))

    assert successors("E07000004") == ["E06000060"]  # Aylesbury Vale → Buckinghamshire
    assert successors("E10000002") == ["E06000060"]  # the county too
    assert successors("E10000021") == ["E06000061", "E06000062"]  # Northamptonshire
    assert successors("S12000015") == ["S12000047"]  # Fife's new code
    assert successors("E09000022") == []
    assert sorted(places["E06000066"].predecessors.values_list("code", flat=True)) == [
        "E07000187",
        "E07000188",
        "E07000189",
        "E07000246",
        "E10000027",
    ]


def test_boundaries_and_bboxes(places):
    lambeth = Place.objects.get(code="E09000022")
    assert lambeth.boundary["type"] in ("Polygon", "MultiPolygon")
    lon0, lat0, lon1, lat1 = lambeth.bbox
    assert -0.16 < lon0 < lon1 < -0.07 and 51.40 < lat0 < lat1 < 51.52
    assert places["W92000004"].name_cy == "Cymru"
    assert places["W06000015"].name_cy == "Caerdydd"


def test_reload_is_idempotent(shipped_places):
    before = Place.objects.count()
    summary = services.places_load(path=SHIPPED_GEO_DIR)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, before)
    assert summary.successor_links_added == summary.successor_links_removed == 0
    assert Place.objects.count() == before


def test_reload_puts_back_a_changed_name_and_leaves_other_places_alone(shipped_places):
    Place.objects.filter(code="E09000022").update(name="Lambeth (edited)", parent=None)
    Place.objects.create(code="E99999999", name="Not in the files", kind=Kind.UNITARY)
    summary = services.places_load(path=SHIPPED_GEO_DIR)
    assert (summary.created, summary.updated) == (0, 1)
    lambeth = Place.objects.get(code="E09000022")
    assert lambeth.name == "Lambeth"
    assert lambeth.parent.code == "E12000007"
    assert Place.objects.filter(code="E99999999").exists()  # missions may point at it


def test_mobilise_places_load_prints_a_summary(shipped_places, capsys, monkeypatch):
    from django.db import connections

    from mobilise.cli import main

    # run_from_argv closes every connection when a command ends; on PostgreSQL that would end
    # this module's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    main(["mobilise", "places", "load", "--path", str(SHIPPED_GEO_DIR)])
    out = capsys.readouterr().out
    assert "0 created, 0 updated" in out
    assert "Region: 9" in out
    assert "District (lower tier): 204 (40 retired)" in out
