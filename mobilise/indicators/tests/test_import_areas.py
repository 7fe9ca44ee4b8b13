"""Names and codes of ITL/NUTS areas and combined authorities, across classifications.

A name is often shared by several classifications ("East Derbyshire" is a NUTS 3 area in 2013
and 2016 and an ITL 3 area in 2021 and 2025) and sometimes by a council ("Derby" the unitary
authority and the NUTS 3 area). The file's other names decide: a file of NUTS 2013 names goes to
NUTS 2013 areas, a file of councils to councils. A name no other name can settle is one error.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mobilise.indicators.importing import Kind, import_upload
from mobilise.indicators.models import Observation
from mobilise.places.models import Place
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

META = "indicators:\n  gva:\n    title: Gross value added\n"
HEADER = "indicator,area name,period,value\n"

# code, ons_code, name, kind, vintage, valid_from, valid_to
AREAS = [
    ("UKF11-13", "UKF11", "Derby", "nuts3", 2013, 2015, 2017),
    ("UKF12-13", "UKF12", "East Derbyshire", "nuts3", 2013, 2015, 2017),
    ("UKF22-13", "UKF22", "Leicestershire CC and Rutland", "nuts3", 2013, 2015, 2017),
    ("UKM27-13", "UKM27", "Perth & Kinross and Stirling", "nuts3", 2013, 2015, 2017),
    ("UKM6-13", "UKM6", "Highlands and Islands", "nuts2", 2013, 2015, 2017),
    ("UKC99-13", "UKC99", "Old Area", "nuts3", 2013, 2015, 2017),  # only in NUTS 2013
    ("UKF11-16", "UKF11", "Derby", "nuts3", 2016, 2018, 2020),
    ("UKF12-16", "UKF12", "East Derbyshire", "nuts3", 2016, 2018, 2020),
    ("UKF22-16", "UKF22", "Leicestershire CC and Rutland", "nuts3", 2016, 2018, 2020),
    ("UKM77-16", "UKM77", "Perth and Kinross, and Stirling", "nuts3", 2016, 2018, 2020),
    ("UKM6-16", "UKM6", "Highlands and Islands", "nuts2", 2016, 2018, 2020),
    ("TLF11-21", "TLF11", "Derby", "itl3", 2021, 2021, 2024),
    ("TLF12-21", "TLF12", "East Derbyshire", "itl3", 2021, 2021, 2024),
    ("TLF22-21", "TLF22", "Leicestershire CC and Rutland", "itl3", 2021, 2021, 2024),
    ("TLF11-25", "TLF11", "Derby", "itl3", 2025, 2025, None),
    ("TLF12-25", "TLF12", "East Derbyshire", "itl3", 2025, 2025, None),
]


@pytest.fixture
def world():
    made = {
        "E06000015": PlaceFactory(code="E06000015", name="Derby"),
        "E09000007": PlaceFactory(code="E09000007", name="Camden"),
        "E07000035": PlaceFactory(code="E07000035", name="Derbyshire Dales", kind="district"),
        "E47000001": PlaceFactory(code="E47000001", name="Greater Manchester", kind="combined"),
        "E61000001": PlaceFactory(
            code="E61000001", name="Greater London Authority", kind="combined"
        ),
    }
    for code, ons, name, kind, vintage, start, end in AREAS:
        made[code] = PlaceFactory(
            code=code,
            ons_code=ons,
            name=name,
            kind=kind,
            vintage=vintage,
            valid_from=start,
            valid_to=end,
        )
    return made


def rows(names: list[str], years=range(2013, 2021)) -> str:
    return HEADER + "".join(f"gva,{n},{y},{i + 1}\n" for y in years for i, n in enumerate(names))


def imported(text: str):
    return import_upload(io.BytesIO(text.encode()), name="gva.csv", meta_text=META)


def codes_written() -> set[str]:
    return set(Observation.objects.values_list("place__code", flat=True))


def test_a_file_of_nuts_2013_names_goes_to_nuts_2013_areas_whatever_the_year(world):
    # "Old Area" is only a NUTS 2013 name: the file is in NUTS 2013, so "Derby" is the NUTS 3
    # area, not the council, and the 2018-2020 rows stay on the same areas.
    names = ["Derby", "East Derbyshire", "Leicestershire CC and Rutland", "Old Area"]
    report = imported(rows([*names, "Perth & Kinross and Stirling", "Highlands and Islands"]))
    assert report.ok, report.lines()
    assert codes_written() == {
        "UKF11-13", "UKF12-13", "UKF22-13", "UKC99-13", "UKM27-13", "UKM6-13"
    }  # fmt: skip
    assert Observation.objects.count() == 6 * 8


def test_written_forms_of_one_name_are_one_area(world):
    # NUTS 2016 writes "Perth and Kinross, and Stirling"; "&" and the comma do not matter, so
    # a file of NUTS 2013 and 2016 names alike goes to NUTS 2016, which has them all.
    report = imported(rows(["Derby", "Perth & Kinross and Stirling", "Highlands and Islands"]))
    assert report.ok, report.lines()
    assert codes_written() == {"UKF11-16", "UKM77-16", "UKM6-16"}


def test_a_file_of_councils_keeps_derby_the_council(world):
    report = imported(rows(["Derby", "Camden", "Derbyshire Dales"]))
    assert report.ok, report.lines()
    assert codes_written() == {"E06000015", "E09000007", "E07000035"}


def test_names_in_every_classification_go_to_the_newest_one_that_has_them_all(world):
    # East Derbyshire and Leicestershire CC and Rutland are both in NUTS 2013, NUTS 2016 and
    # ITL 2021 (only East Derbyshire is in ITL 2025): ITL 2021, for every year, so each
    # area's series stays on one place.
    report = imported(rows(["East Derbyshire", "Leicestershire CC and Rutland"]))
    assert report.ok, report.lines()
    assert codes_written() == {"TLF12-21", "TLF22-21"}


def test_a_name_nothing_settles_is_one_error_naming_every_candidate(world):
    report = imported(HEADER + "gva,Derby,2022,1\ngva,Derby,2023,2\n")
    assert not report.ok and not report.written
    (problem,) = report.errors
    assert problem.kind == Kind.UNKNOWN_PLACE
    assert problem.count == 2
    assert "could be any of" in problem.message
    assert "E06000015" in problem.message and "TLF11" in problem.message
    assert Observation.objects.count() == 0


def test_itl_and_nuts_codes_as_published(world):
    text = "indicator,geocode,period,value\ngva,TLF12,2022,1\ngva,UKF22,2016,2\n"
    report = imported(text)
    assert report.ok, report.lines()
    # A code used by two classifications goes to the newest of them.
    assert codes_written() == {"TLF12-25", "UKF22-16"}


def test_combined_authorities_by_name_and_code(world):
    text = (
        "indicator,area name,period,value\n"
        "gva,Greater Manchester,2022,1\n"
        "gva,Greater London,2022,2\n"
    )
    report = imported(text)
    assert report.ok, report.lines()
    assert codes_written() == {"E47000001", "E61000001"}
    report = imported("indicator,geocode,period,value\ngva,E47000001,2023,1\n")
    assert report.ok, report.lines()


def test_the_command_imports_an_area_file_with_no_flag(world, tmp_path):
    (tmp_path / "gva.csv").write_text(
        rows(["Derby", "East Derbyshire", "Perth & Kinross and Stirling"])
    )
    (tmp_path / "gva.yaml").write_text(META)
    out = io.StringIO()
    call_command("indicators_import", str(tmp_path / "gva.csv"), stdout=out)
    assert Observation.objects.filter(place__kind=Place.Kind.NUTS3).count() == 3 * 8


def test_the_command_reports_a_true_ambiguity_once(world, tmp_path):
    (tmp_path / "gva.csv").write_text(
        HEADER + "".join(f"gva,Derby,{y},1\n" for y in range(2021, 2025))
    )
    (tmp_path / "gva.yaml").write_text(META)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("indicators_import", str(tmp_path / "gva.csv"), stderr=err)
    assert err.getvalue().count("could be any of") == 1
