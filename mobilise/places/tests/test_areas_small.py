"""The area loader on small hand-made lookups: what each row makes, reloads that change nothing,
and bad rows that stop the load naming the file and line."""

import shutil

import pytest

from mobilise.places import services
from mobilise.places.models import Place, PlaceMember
from mobilise.places.sources import SHIPPED_GEO_DIR

pytestmark = pytest.mark.django_db

FILES = {
    "lad13_nuts315.csv": (
        "LAD13CD,LAD13CDO,LAD13NM,NUTS315CD,NUTS315NM,NUTS215CD,NUTS215NM,NUT115CD,NUTS115NM,FID\n"
        "E06000001,00EB,Hartlepool,UKC11,Hartlepool and Stockton-on-Tees,UKC1,Tees Valley and Durham,UKC,North East (England),1\n"
        "E06000004,00EF,Stockton-on-Tees,UKC11,Hartlepool and Stockton-on-Tees,UKC1,Tees Valley and Durham,UKC,North East (England),2\n"
        "S12000017,,Highland,UKM61,Caithness and Sutherland and Ross and Cromarty,UKM6,Highlands and Islands,UKM,Scotland,3\n"
    ),
    "lad18_nuts318.csv": (
        "LAD18CD,LAD18NM,LAU118CD,LAU118NM,NUTS318CD,NUTS318NM,NUTS218CD,NUTS218NM,NUTS118CD,NUTS118NM,FID\n"
        "E06000001,Hartlepool,E06000001,Hartlepool,UKC11,Hartlepool and Stockton-on-Tees,UKC1,Tees Valley and Durham,UKC,North East (England),1\n"
        "E06000004,Stockton-on-Tees,E06000004,Stockton-on-Tees,UKC11,Hartlepool and Stockton-on-Tees,UKC1,Tees Valley and Durham,UKC,North East (England),2\n"
        "S12000017,Highland,S30000001,Caithness,UKM61,Caithness and Sutherland and Ross and Cromarty,UKM6,Highlands and Islands,UKM,Scotland,3\n"
        "S12000017,Highland,S30000002,Inverness,UKM62,Inverness and Nairn and Moray,UKM6,Highlands and Islands,UKM,Scotland,4\n"
    ),
    "lad23_itl21.csv": (
        "LAD23CD,LAD23NM,LAU121CD,LAU121NM,ITL321CD,ITL321NM,ITL221CD,ITL221NM,ITL121CD,ITL121NM,ObjectId\n"
        "E06000001,Hartlepool,E06000001,Hartlepool,TLC11,Hartlepool and Stockton-on-Tees,TLC1,Tees Valley and Durham,TLC,North East (England),1\n"
        "E06000004,Stockton-on-Tees,E06000004,Stockton-on-Tees,TLC11,Hartlepool and Stockton-on-Tees,TLC1,Tees Valley and Durham,TLC,North East (England),2\n"
    ),
    "lad25_itl25.csv": (
        "ITL125CD,ITL125NM,ITL225CD,ITL225NM,ITL325CD,ITL325NM,LAU125CD,LAU125NM,LAD25CD,LAD25NM,ObjectId\n"
        "TLC,North East (England),TLC3,Tees Valley,TLC31,Hartlepool and Stockton-on-Tees,E06000001,Hartlepool,E06000001,Hartlepool,1\n"
        "TLC,North East (England),TLC3,Tees Valley,TLC31,Hartlepool and Stockton-on-Tees,E06000004,Stockton-on-Tees,E06000004,Stockton-on-Tees,2\n"
    ),
    "nuts315_to_nuts318.csv": (
        "NUTS315CD,NUTS315NM,NUTS318CD,NUTS318NM,FID\n"
        "UKC11,Hartlepool and Stockton-on-Tees,UKC11,Hartlepool and Stockton-on-Tees,1\n"
        "UKM61,Caithness and Sutherland and Ross and Cromarty,UKM61,Caithness,2\n"
        "UKM61,Caithness and Sutherland and Ross and Cromarty,UKM62,Inverness,3\n"
    ),
    "combined_authorities.csv": (
        "code,name,mysociety,valid_from,valid_to,successor,members\n"
        "E47000006,Tees Valley,TVCA,2016,,,E06000001;E06000004\n"
    ),
}


@pytest.fixture
def data_dir(tmp_path):
    root = tmp_path / "geo"
    shutil.copytree(SHIPPED_GEO_DIR, root, ignore=shutil.ignore_patterns("itl"))
    (root / "itl").mkdir()
    for name, text in FILES.items():
        (root / "itl" / name).write_text(text)
    return root


def test_each_row_makes_its_areas_once_and_a_reload_changes_nothing(data_dir):
    first = services.places_load(path=data_dir)
    areas = Place.objects.exclude(vintage=None).order_by("code")
    assert [p.code for p in areas] == [
        "TLC-21", "TLC-25", "TLC1-21", "TLC11-21", "TLC3-25", "TLC31-25",
        "UKC-13", "UKC-16", "UKC1-13", "UKC1-16", "UKC11-13", "UKC11-16",
        "UKM-13", "UKM-16", "UKM6-13", "UKM6-16", "UKM61-13", "UKM61-16", "UKM62-16",
    ]  # fmt: skip
    assert first.by_kind["itl3"] == 2 and first.by_kind["combined"] == 1
    # Highland is split between two NUTS 3 areas in 2016: a part of each, whole in 2013.
    links = dict(
        PlaceMember.objects.filter(member__code="S12000017").values_list("area__code", "whole")
    )
    assert links == {"UKM61-13": True, "UKM61-16": False, "UKM62-16": False}
    assert sorted(Place.objects.get(code="UKM61-13").successors.values_list("code", flat=True)) == [
        "UKM61-16",
        "UKM62-16",
    ]
    assert list(Place.objects.get(code="UKM6-13").successors.values_list("code", flat=True)) == [
        "UKM6-16"
    ]
    tees = Place.objects.get(code="E47000006")
    assert tees.kind == "combined" and tees.members.count() == 2 and tees.boundary

    before = (Place.objects.count(), PlaceMember.objects.count())
    again = services.places_load(path=data_dir)
    assert (again.created, again.updated, again.member_links_added) == (0, 0, 0)
    assert (Place.objects.count(), PlaceMember.objects.count()) == before


def test_a_folder_without_lookups_loads_local_authorities_only(data_dir):
    shutil.rmtree(data_dir / "itl")
    services.places_load(path=data_dir)
    assert not Place.objects.filter(kind__in=Place.GROUPED_KINDS).exists()
    assert Place.objects.filter(code="E06000001").exists()


def test_a_bad_area_code_stops_the_load_naming_file_and_line(data_dir):
    file = data_dir / "itl" / "lad23_itl21.csv"
    file.write_text(file.read_text().replace("TLC11,Hartlepool", "XX11,Hartlepool", 1))
    with pytest.raises(
        services.PlacesDataError, match=r"lad23_itl21\.csv: line 2: ITL321CD 'XX11'"
    ):
        services.places_load(path=data_dir)
    assert Place.objects.count() == 0


def test_an_unknown_member_stops_the_load(data_dir):
    file = data_dir / "itl" / "combined_authorities.csv"
    file.write_text(file.read_text().replace("E06000004", "E06009999"))
    with pytest.raises(
        services.PlacesDataError,
        match=r"combined_authorities\.csv: E47000006 \(Tees Valley\): member authorities not loaded: E06009999",
    ):
        services.places_load(path=data_dir)
    assert Place.objects.count() == 0


def test_a_name_that_changes_within_a_file_is_refused(data_dir):
    file = data_dir / "itl" / "lad25_itl25.csv"
    file.write_text(
        file.read_text().replace(
            "TLC3,Tees Valley,TLC31,Hartlepool and Stockton-on-Tees,E06000004",
            "TLC3,Tees Valley,TLC31,Hartlepool,E06000004",
        )
    )
    with pytest.raises(
        services.PlacesDataError, match=r"lad25_itl25\.csv: line 3: TLC31 is called"
    ):
        services.places_load(path=data_dir)
