"""Who may import what (issue #16, defect 1), and the import history.

A mission lead imports figures only for the places their organisation is responsible for (its
home place and, for a local authority, the places within it); platform data managers (staff,
superusers, platform admins) and the command line import for any place. A file with rows for
other places is refused whole, grouped by place, and nothing is written — "Replace" included.
Every import, refused or not, is recorded and shown on the indicator page.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory, mission_lead
from mobilise.indicators.access import import_scope
from mobilise.indicators.importing import import_observations, import_upload
from mobilise.indicators.models import ImportRecord, Indicator, Observation
from mobilise.places.models import Place
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

URL = "/indicators/import/"
HEADER = b"indicator,geocode,period,value\n"


@pytest.fixture
def world():
    uk = PlaceFactory(code="K02000001", name="United Kingdom", kind=Place.Kind.UK)
    london = PlaceFactory(code="E12000007", name="London", kind=Place.Kind.REGION, parent=uk)
    camden = PlaceFactory(code="E09000007", name="Camden", parent=london)
    islington = PlaceFactory(code="E09000019", name="Islington", parent=london)
    # Camden's figures, as the shared national data set loaded them.
    report = import_observations(
        [
            ("co2-total", "E09000007", "2019", "100"),
            ("co2-total", "E09000007", "2020", "90"),
            ("co2-total", "E09000019", "2019", "80"),
            ("co2-total", "K02000001", "2019", "300000"),
        ],
        indicators={"co2-total": {"title": "Total CO2", "unit": "kt CO2"}},
    )
    assert report.written
    board = OrganisationFactory(name="National Mission Board", home_place=uk)
    council = OrganisationFactory(name="Camden Council", home_place=camden)
    return {
        "uk": uk,
        "camden": camden,
        "islington": islington,
        "board_lead": mission_lead(board, name="Tom Okafor"),
        "camden_lead": mission_lead(council, name="Priya Shah"),
        "board": board,
        "council": council,
    }


def value(code: str, period: str = "2019") -> float:
    return Observation.objects.get(
        series__indicator__code="co2-total", place__code=code, period=period
    ).value


def upload(client, data: bytes, **extra):
    form = {
        "data_file": SimpleUploadedFile("co2.csv", data, content_type="text/csv"),
        "format": "auto",
        **extra,
    }
    return client.post(URL, form)


def test_the_national_boards_lead_cannot_overwrite_camdens_value(client, world):
    client.force_login(world["board_lead"])
    response = upload(client, HEADER + b"co2-total,E09000007,2019,0.001\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "You can import figures only for United Kingdom; 1 row is for Camden (row 2)." in html
    assert value("E09000007") == 100


def test_rows_for_other_places_refuse_the_whole_file_grouped_by_place(client, world):
    client.force_login(world["camden_lead"])
    data = HEADER + (
        b"co2-total,E09000007,2019,1\nco2-total,E09000007,2020,2\n"
        b"co2-total,E09000019,2019,3\nco2-total,E09000019,2020,4\nco2-total,E09000019,2021,5\n"
    )
    html = upload(client, data).content.decode()
    assert (
        "You can import figures only for Camden and places within it; "
        "3 rows are for Islington (rows 4–6)." in html
    )
    # Not even Camden's own rows were written.
    assert value("E09000007") == 100 and value("E09000007", "2020") == 90
    assert value("E09000019") == 80


def test_camdens_lead_can_import_camden(client, world):
    client.force_login(world["camden_lead"])
    html = client.get(URL).content.decode()
    assert "You can import figures for Camden and places within it." in html
    response = upload(client, HEADER + b"co2-total,E09000007,2019,95\n")
    assert response.status_code == 302
    assert value("E09000007") == 95


def test_a_lead_of_a_county_imports_for_its_districts_too(world):
    county = PlaceFactory(code="E10000003", name="Cambridgeshire", kind=Place.Kind.COUNTY)
    district = PlaceFactory(
        code="E07000008", name="Cambridge", kind=Place.Kind.DISTRICT, parent=county
    )
    lead = mission_lead(OrganisationFactory(home_place=county))
    scope = import_scope(lead)
    assert scope.place_ids == {county.pk, district.pk}
    assert import_scope(world["board_lead"]).place_ids == {world["uk"].pk}


@pytest.mark.parametrize(
    "make",
    [
        lambda: UserFactory(roles=[Role.PLATFORM_ADMIN]),
        lambda: UserFactory(is_staff=True),
        lambda: UserFactory(is_superuser=True),
    ],
    ids=["platform admin", "staff", "superuser"],
)
def test_a_data_manager_can_import_anywhere(client, world, make):
    client.force_login(make())
    data = HEADER + b"co2-total,E09000007,2019,1\nco2-total,E09000019,2019,2\n"
    assert upload(client, data).status_code == 302
    assert value("E09000007") == 1 and value("E09000019") == 2


def test_a_lead_without_an_organisation_place_imports_nothing(client, world):
    client.force_login(mission_lead(OrganisationFactory(home_place=None)))
    html = upload(client, HEADER + b"co2-total,E09000007,2019,1\n").content.decode()
    assert "your organisation is based in, and yours has none set" in html
    assert value("E09000007") == 100


def test_replace_by_an_outsider_deletes_nothing(client, world):
    client.force_login(world["board_lead"])
    before = Observation.objects.count()
    # Rows for Camden: refused, and nothing removed.
    upload(client, HEADER + b"co2-total,E09000007,2021,1\n", replace="on")
    assert Observation.objects.count() == before
    # Only the board's own place: the UK's figure is replaced, Camden's and Islington's stay.
    response = upload(client, HEADER + b"co2-total,K02000001,2020,290000\n", replace="on")
    assert response.status_code == 302
    assert value("E09000007") == 100 and value("E09000007", "2020") == 90
    assert value("E09000019") == 80
    assert not Observation.objects.filter(place__code="K02000001", period="2019").exists()
    assert value("K02000001", "2020") == 290000


def test_a_lead_cannot_change_a_shared_indicators_description(world):
    report = import_upload(
        io.BytesIO(HEADER + b"co2-total,E09000007,2019,99\n"),
        name="co2.csv",
        meta_text="indicators:\n  co2-total:\n    title: Hacked\n",
        scope=import_scope(world["camden_lead"]),
        user=world["camden_lead"],
    )
    assert report.written and value("E09000007") == 99
    assert Indicator.objects.get(code="co2-total").title == "Total CO2"
    assert any("was not changed (title)" in p.message for p in report.warnings)


def test_the_command_line_keeps_full_rights_and_is_recorded(tmp_path, world):
    path = tmp_path / "co2.csv"
    path.write_bytes(HEADER + b"co2-total,E09000019,2019,81\n")
    call_command("indicators_import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert value("E09000019") == 81
    record = ImportRecord.objects.order_by("-pk").first()
    assert record.via == ImportRecord.Via.COMMAND and record.user is None
    assert record.files == "co2.csv" and record.updated == 1 and record.ok


def test_every_import_is_recorded_refused_ones_too(client, world):
    client.force_login(world["camden_lead"])
    upload(client, HEADER + b"co2-total,E09000007,2019,95\nco2-total,E09000007,2021,1\n")
    upload(client, HEADER + b"co2-total,E09000019,2019,1\n")
    upload(client, HEADER + b"co2-total,E09000007,2019,1\n", dry_run="on")  # a check, not an import
    done, refused = ImportRecord.objects.filter(via=ImportRecord.Via.SITE).order_by("pk")
    assert ImportRecord.objects.filter(via=ImportRecord.Via.SITE).count() == 2
    assert (done.user, done.organisation, done.files, done.ok) == (
        world["camden_lead"],
        world["council"],
        "co2.csv",
        True,
    )
    assert (done.created, done.updated, done.unchanged, done.removed) == (1, 1, 0, 0)
    line = done.lines.get()
    assert line.indicator.code == "co2-total" and (line.created, line.updated) == (1, 1)
    assert not refused.ok and refused.errors == 1 and refused.created == refused.updated == 0
    assert refused.lines.get().indicator.code == "co2-total"


def test_the_indicator_page_shows_the_imports_to_leads_and_the_date_to_everyone(client, world):
    client.force_login(world["camden_lead"])
    upload(client, HEADER + b"co2-total,E09000007,2019,95\n")
    client.force_login(world["board_lead"])
    upload(client, HEADER + b"co2-total,E09000007,2019,1\n")
    page = "/indicators/co2-total/"
    html = client.get(page).content.decode()
    assert ">Imports</h2>" in html
    assert "Priya Shah" in html and "(Camden Council)" in html
    assert "0 created, 1 updated, 0 unchanged" in html
    assert "Tom Okafor" in html and "Refused" in html
    assert "Platform staff (command line)" in html  # the fixture's load
    client.logout()
    public = client.get(page).content.decode()
    assert "Figures last updated" in public
    assert ">Imports</h2>" not in public and "Priya Shah" not in public
