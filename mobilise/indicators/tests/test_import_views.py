"""The upload page: who may use it, what a bad file shows, and what a good one does."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path

from mobilise import urls as root_urls
from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory, mission_lead
from mobilise.indicators import views_import
from mobilise.indicators.models import Indicator, Observation
from mobilise.places.tests.factories import PlaceFactory

# The project's URLs with the upload page added, as the lead wires it in indicators/urls.py.
urlpatterns = [
    path("indicators/import/", views_import.upload, name="indicator_import_test"),
    *root_urls.urlpatterns,
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/indicators/import/"
META = b"indicators:\n  co2:\n    title: Carbon dioxide\n    unit: kt CO2\n    polarity: lower\n"
GOOD = b"indicator,geocode,period,value\nco2,E09000007,2019,10.5\nco2,E09000007,2020,9.5\n"
BAD = b"indicator,geocode,period,value\nco2,E09000007,2019,ten\nco2,E09999999,2020,9.5\n"


@pytest.fixture
def camden():
    return PlaceFactory(code="E09000007", name="Camden")


@pytest.fixture
def lead_client(client, camden):
    """A lead of Camden's council: they may import Camden's figures."""
    client.force_login(mission_lead(OrganisationFactory(name="Camden Council", home_place=camden)))
    return client


def post(client, data: bytes, *, meta: bytes | None = META, **extra):
    form = {
        "data_file": SimpleUploadedFile("co2.csv", data, content_type="text/csv"),
        "format": "auto",
    }
    if meta is not None:
        form["meta_file"] = SimpleUploadedFile("co2.yaml", meta, content_type="application/yaml")
    form.update(extra)
    return client.post(URL, form)


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("roles", [[Role.RESIDENT], [Role.PARTNER], [Role.COUNCIL_MEMBER]])
def test_people_who_are_not_mission_leads_are_refused(client, camden, roles):
    client.force_login(UserFactory(roles=roles))
    assert client.get(URL).status_code == 403
    assert post(client, GOOD).status_code == 403
    assert not Observation.objects.exists()


def test_platform_admins_may_upload(client):
    client.force_login(UserFactory(roles=[Role.PLATFORM_ADMIN]))
    assert client.get(URL).status_code == 200


def test_a_lead_sees_the_form(lead_client):
    html = lead_client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and 'name="data_file"' in html
    assert 'name="format"' in html and 'value="opensdg"' in html


def test_a_good_file_is_imported_and_summarised_after_a_redirect(lead_client, camden, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # a file on disk, as big uploads are
    response = post(lead_client, GOOD)
    assert response.status_code == 302 and response["Location"] == URL
    assert Observation.objects.count() == 2
    html = lead_client.get(URL).content.decode()
    assert "govuk-notification-banner--success" in html
    assert "Carbon dioxide" in html and "co2" in html
    # The summary is shown once; reloading the page does not import or show it again.
    assert "govuk-notification-banner--success" not in lead_client.get(URL).content.decode()

    post(lead_client, GOOD)  # the same file again: nothing changes
    html = lead_client.get(URL).content.decode()
    assert "0 new values, 0 updated, 2 unchanged" in html


def test_a_bad_file_shows_every_problem_and_saves_nothing(lead_client, camden):
    response = post(lead_client, BAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert not Observation.objects.exists() and not Indicator.objects.exists()
    assert "<title>Error:" in html
    assert "govuk-error-summary" in html
    assert "Nothing was saved" in html
    # The table: row, column, value and problem for each.
    rows = re.findall(r'<tr class="govuk-table__row" id="problem-\d+">(.*?)</tr>', html, re.S)
    cells = [re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", row, re.S)[:3] for row in rows]
    assert cells == [["2", "value", "ten"], ["3", "geocode", "E09999999"]]
    # The summary links to each problem in the table.
    assert 'href="#problem-1"' in html and 'href="#problem-2"' in html


def test_dry_run_checks_but_saves_nothing(lead_client, camden):
    response = post(lead_client, GOOD, dry_run="on")
    assert response.status_code == 302 and not Observation.objects.exists()
    assert (
        "Nothing was saved, because you asked only to check it"
        in lead_client.get(URL).content.decode()
    )


def test_form_errors_missing_wrong_type_and_too_large(lead_client, camden, settings):
    response = lead_client.post(URL, {"format": "auto"})
    assert "Select a CSV file to upload" in response.content.decode()

    response = post(
        lead_client, b"%PDF-1.4", meta=None, data_file=SimpleUploadedFile("x.pdf", b"%PDF")
    )
    assert "must be a CSV file" in response.content.decode()

    settings.MOBILISE_INDICATOR_UPLOAD_MAX_BYTES = 50
    response = post(lead_client, GOOD)
    html = response.content.decode()
    assert "must be smaller than 0 MB" not in html  # the limit is never shown as 0
    assert "must be smaller than" in html and "govuk-error-summary" in html
    assert not Observation.objects.exists()


def test_an_open_sdg_upload_with_its_metadata(lead_client, camden):
    data = b"Year,Series,Local authority,GeoCode,Value\n2019,PM,Camden,E12000007,8.9\n2020,PM,Camden,E12000007,7.2\n"
    meta = b"---\nindicator_number: 3.9.1\nindicator_available: Air pollution deaths\ncomputation_units: Percentage (%)\nnational_geographical_coverage: England\n---\n"
    response = lead_client.post(
        URL,
        {
            "data_file": SimpleUploadedFile("pm.csv", data, content_type="text/csv"),
            "meta_file": SimpleUploadedFile("3-9-1.md", meta),
            "format": "opensdg",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="3-9-1")
    assert indicator.title == "Air pollution deaths" and indicator.polarity == "lower"
    assert Observation.objects.filter(place=camden).count() == 2


def test_a_gzipped_upload(lead_client, camden):
    import gzip

    upload = SimpleUploadedFile("co2.csv.gz", gzip.compress(GOOD), content_type="application/gzip")
    response = lead_client.post(
        URL,
        {"data_file": upload, "format": "tidy", "meta_file": SimpleUploadedFile("co2.yaml", META)},
    )
    assert response.status_code == 302 and Observation.objects.count() == 2


def test_replace_removes_values_the_uploaded_file_no_longer_has(lead_client, camden):
    post(lead_client, GOOD)

    response = post(
        lead_client, b"indicator,geocode,period,value\nco2,E09000007,2020,9.5\n", replace="on"
    )

    assert response.status_code == 302
    html = lead_client.get(URL).content.decode()
    assert "1 stored value that the file no longer has was removed." in html
    assert list(Observation.objects.values_list("period", flat=True)) == ["2020"]


def test_580_rows_of_30_unknown_names_show_one_line_per_name(lead_client, camden):
    names = [f"Nowhere {i:02d}" for i in range(29)] + ["Camdon"]
    rows = [f"co2,{name},{year},1" for year in range(2001, 2021) for name in names][:580]
    data = "\n".join(["indicator,area name,period,value", *rows]).encode()
    html = post(lead_client, data).content.decode()
    assert not Observation.objects.exists()
    lines = re.findall(r'<tr class="govuk-table__row" id="problem-\d+">(.*?)</tr>', html, re.S)
    assert len(lines) == 30  # one per name, not one per row
    caption = re.search(r"<caption[^>]*>(.*?)</caption>", html, re.S)[1]
    assert "30 areas not recognised (580 rows)" in caption
    assert "“Nowhere 00” (rows 2, 32, 62, …)" in caption
    cells = re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", lines[0], re.S)
    assert cells[:3] == ["2, 32, 62, 92, 122, 152, …", "area name", "Nowhere 00"]
    assert "(20 rows)" in cells[3]
    assert "Did you mean “Camden”?" in lines[-1]
    # The error summary names the group once, not 580 times.
    summary = re.search(r'class="govuk-error-summary.*?</ul>', html, re.S)[0]
    assert summary.count("<li") == 2 and "30 areas not recognised" in summary


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"indicator,geocode,period,value\nco2,E09000007,2019,1\nco2,E09000007,20", "row 3"),
        (b'indicator,geocode,period,value\nco2,E09000007,2019,"1', "row 2"),
        (b"indicator,geocode,period,value,value\nco2,E09000007,2019,1,2\n", "row 1"),
        (b"indicator,geocode,period,value\nco2,E09000007,2019,1,2\n", "row 2"),
    ],
)
def test_a_file_that_does_not_fit_its_header_is_shown_and_not_saved(
    lead_client, camden, data, where
):
    html = post(lead_client, data).content.decode()
    assert "govuk-error-summary" in html and "Nothing was saved" in html
    assert f"co2.csv, {where}" in html
    assert not Observation.objects.exists() and not Indicator.objects.exists()


def test_warnings_after_a_good_upload_are_grouped_with_their_rows(lead_client, camden):
    data = b"indicator,geocode,period,value\nco2,E09000007,2019,1\n" + b"".join(
        b"co2,K04000001,%d,1\n" % year for year in range(2019, 2024)
    )
    assert post(lead_client, data).status_code == 302
    html = lead_client.get(URL).content.decode()
    assert "co2.csv, rows 3–7, column “geocode”: K04000001" in html
    assert html.count("K04000001") == 1 and "(5 rows)" in html


def test_the_upload_form_says_whether_the_values_can_be_added_up(lead_client, camden):
    page = lead_client.get(URL).content.decode()
    assert "Can the values be added up across places?" in page
    # Worked out from the unit: kt CO2 is a total.
    assert post(lead_client, GOOD).status_code == 302
    assert Indicator.objects.get(code="co2").additive is True
    # The person uploading says otherwise.
    assert post(lead_client, GOOD, additive="no").status_code == 302
    assert Indicator.objects.get(code="co2").additive is False
    assert post(lead_client, GOOD, additive="yes").status_code == 302
    assert Indicator.objects.get(code="co2").additive is True
