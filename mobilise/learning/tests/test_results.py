import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from mobilise.indicators.models import Indicator
from mobilise.indicators.signals import observations_changed
from mobilise.indicators.tests.factories import ObservationFactory, SeriesFactory
from mobilise.learning.models import Design, Evaluation
from mobilise.places.models import Place

from .factories import PilotFactory

pytestmark = pytest.mark.django_db

# Camden follows a mix of its neighbours until 2016, then falls 8 below it.
TRENDS = {
    "Islington": [60, 59, 58, 57, 56, 55, 54, 53, 52, 51],
    "Hackney": [40, 40, 39, 39, 38, 38, 37, 37, 36, 36],
    "Bromley": [70, 68, 66, 64, 62, 60, 58, 56, 54, 52],
    "Lambeth": [50, 50, 50, 50, 50, 50, 50, 50, 50, 50],
}


@pytest.fixture
def evaluated_world(mission, camden, indicator):
    series = SeriesFactory(indicator=indicator)
    places = []
    for n, (name, values) in enumerate(TRENDS.items()):
        place = Place.objects.create(code=f"E0900010{n}", name=name, kind=Place.Kind.UNITARY)
        places.append(place)
        for i, value in enumerate(values):
            ObservationFactory(series=series, place=place, period=str(2010 + i), value=value)
    for i in range(10):
        mix = (TRENDS["Islington"][i] + TRENDS["Hackney"][i]) / 2
        ObservationFactory(
            series=series, place=camden, period=str(2010 + i), value=mix - (8 if i >= 6 else 0)
        )
    pilot = PilotFactory(mission=mission, places=[camden], indicators=[indicator])
    pilot.start_date = pilot.start_date.replace(year=2016, month=1, day=1)
    pilot.save()
    pilot.comparison_places.set(places)
    return {"pilot": pilot, "series": series}


def _evaluate(client, lead, pilot, capture):
    client.force_login(lead)
    with capture(execute=True):
        response = client.post(reverse("learning:pilot_results", args=[pilot.pk]))
    assert response.status_code == 302


def test_synthetic_control_results_with_chart_table_weights_and_judgement(
    client, lead, evaluated_world, django_capture_on_commit_callbacks
):
    pilot = evaluated_world["pilot"]
    _evaluate(client, lead, pilot, django_capture_on_commit_callbacks)
    evaluation = Evaluation.objects.get(pilot=pilot)
    assert evaluation.status == "done"
    assert evaluation.results["method"] == "synth"
    assert evaluation.results["estimate"] == pytest.approx(-8, abs=1)
    client.logout()
    page = client.get(reverse("learning:pilot_results", args=[pilot.pk])).content.decode()
    assert "Synthetic Camden" in page
    assert 'data-chart="series"><svg' in page  # the chart, drawn on the server, by the table
    assert "Weights of the comparison places" in page and "Hackney" in page
    assert "Evidence of an effect" in page
    assert "p-value" in page
    csv = client.get(reverse("learning:pilot_results_csv", args=[pilot.pk])).content.decode()
    assert csv.lstrip("\ufeff").startswith("period,treated,comparison,gap")
    assert "2019," in csv


def test_difference_in_differences_for_that_design(
    client, lead, evaluated_world, django_capture_on_commit_callbacks
):
    pilot = evaluated_world["pilot"]
    pilot.design = Design.DID
    pilot.save()
    _evaluate(client, lead, pilot, django_capture_on_commit_callbacks)
    results = Evaluation.objects.get(pilot=pilot).results
    assert results["method"] == "did"
    assert results["ci_low"] < results["estimate"] < results["ci_high"]
    page = client.get(reverse("learning:pilot_results", args=[pilot.pk])).content.decode()
    assert "95% confidence interval" in page


def test_interrupted_time_series_when_there_is_no_pool(
    client, lead, evaluated_world, django_capture_on_commit_callbacks
):
    pilot = evaluated_world["pilot"]
    pilot.comparison_places.clear()
    _evaluate(client, lead, pilot, django_capture_on_commit_callbacks)
    assert Evaluation.objects.get(pilot=pilot).results["method"] == "its"
    assert client.get(reverse("learning:pilot_results", args=[pilot.pk])).status_code == 200


def test_no_figures_after_the_start_says_so(client, lead, mission, camden, indicator):
    pilot = PilotFactory(mission=mission, places=[camden], indicators=[indicator])
    series = SeriesFactory(indicator=indicator)
    ObservationFactory(series=series, place=camden, period="2020", value=1)
    from mobilise.learning import services

    services.evaluation_compute(pilot=pilot)
    page = client.get(reverse("learning:pilot_results", args=[pilot.pk])).content.decode()
    assert "no figures for Camden from the pilot" in page


def test_a_reimport_recomputes_the_evaluation(
    client, lead, evaluated_world, django_capture_on_commit_callbacks
):
    pilot = evaluated_world["pilot"]
    _evaluate(client, lead, pilot, django_capture_on_commit_callbacks)
    before = Evaluation.objects.get(pilot=pilot).results["estimate"]
    camden = pilot.treated_places.get()
    evaluated_world["series"].observations.filter(place=camden, time__gte=2016).update(value=0)
    indicator = pilot.indicators.get()
    with django_capture_on_commit_callbacks(execute=True):
        observations_changed.send(sender=Indicator, indicator_ids=[indicator.pk])
    after = Evaluation.objects.get(pilot=pilot).results["estimate"]
    assert after < before - 10


def test_only_leads_evaluate(client, evaluated_world):
    from mobilise.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    url = reverse("learning:pilot_results", args=[evaluated_world["pilot"].pk])
    assert client.post(url).status_code == 403


SVG = "{http://www.w3.org/2000/svg}"


def _chart(page: str, name: str) -> ET.Element:
    found = re.search(rf'data-chart="{name}">(<svg.*?</svg>)</div>', page, re.S)
    assert found, f"no {name} chart"
    return ET.fromstring(found.group(1))


def _lines(svg: ET.Element) -> dict[str, list[tuple[float, float]]]:
    lines: dict[str, list[tuple[float, float]]] = {}
    for polyline in svg.iter(f"{SVG}polyline"):
        points = [tuple(map(float, p.split(","))) for p in polyline.get("points").split()]
        lines.setdefault(polyline.get("data-series"), []).extend(points)
    return lines


def _drawn_as(points: list[tuple[float, float]], values: list[float]) -> None:
    """The points' heights are the values on one linear scale (higher value, higher up)."""
    (_x0, y0), (_x1, y1) = points[0], points[-1]
    scale = (y1 - y0) / (values[-1] - values[0])
    assert scale < 0
    for (_x, y), value in zip(points, values, strict=True):
        assert y == pytest.approx(y0 + (value - values[0]) * scale, abs=0.15)


def test_the_results_are_line_charts_with_the_start_marked_and_the_tables_beside_them(
    client, lead, evaluated_world, django_capture_on_commit_callbacks
):
    pilot = evaluated_world["pilot"]
    _evaluate(client, lead, pilot, django_capture_on_commit_callbacks)
    results = Evaluation.objects.get(pilot=pilot).results
    client.logout()
    page = client.get(reverse("learning:pilot_results", args=[pilot.pk])).content.decode()
    assert "mobilise-coalition-chart" not in page  # no script needed

    svg = _chart(page, "series")
    assert svg.get("role") == "img"
    ids = svg.get("aria-labelledby").split()
    assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == ids
    assert "Nitrogen dioxide: Camden and Synthetic Camden" in svg.find(f"{SVG}title").text
    lines = _lines(svg)
    assert set(lines) == {"Camden", "Synthetic Camden"}
    treated = [row["treated"] for row in results["series"]]
    synthetic = [row["comparison"] for row in results["series"]]
    assert len(lines["Camden"]) == len(lines["Synthetic Camden"]) == 10
    _drawn_as(lines["Camden"], treated)
    _drawn_as(lines["Synthetic Camden"], synthetic)
    # The start (2016) marked by a vertical line between the 2015 and 2016 points.
    marker = svg.find(f"{SVG}line[@class='mobilise-line-chart__marker']")
    assert marker.get("x1") == marker.get("x2")
    assert lines["Camden"][5][0] < float(marker.get("x1")) <= lines["Camden"][6][0]
    assert "Pilot starts (2016)" in ET.tostring(svg, encoding="unicode")
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Year" in texts and "2010" in texts and "2019" in texts
    # The table beside it has the same numbers.
    for row in results["series"]:
        assert f"{row['treated']:,.2f}" in page and f"{row['comparison']:,.2f}" in page

    # The placebo gaps: a thin grey line per comparison place, Camden's gap over them.
    placebos = _chart(page, "placebos")
    gaps = _lines(placebos)
    assert set(gaps) == {*TRENDS, "Camden (the pilot)"}
    assert all(len(points) == 10 for points in gaps.values())
    widths = {p.get("data-series"): p.get("stroke-width") for p in placebos.iter(f"{SVG}polyline")}
    assert widths["Camden (the pilot)"] == "3" and {widths[name] for name in TRENDS} == {"1"}
    _drawn_as(gaps["Camden (the pilot)"], [row["gap"] for row in results["series"]])
    by_unit = {p["unit"]: p for p in results["placebos"]}
    assert set(by_unit) == set(TRENDS)
    table = page[page.index("How far each place") :]
    for name, placebo in by_unit.items():
        assert name in table and f"{placebo['pre_rmspe']:,.2f}" in table


def test_difference_in_differences_draws_the_comparison_average_and_no_placebos(
    client, lead, evaluated_world, django_capture_on_commit_callbacks
):
    pilot = evaluated_world["pilot"]
    pilot.design = Design.DID
    pilot.save()
    _evaluate(client, lead, pilot, django_capture_on_commit_callbacks)
    page = client.get(reverse("learning:pilot_results", args=[pilot.pk])).content.decode()
    lines = _lines(_chart(page, "series"))
    assert set(lines) == {"Camden", "Comparison places (average)"}
    assert 'data-chart="placebos"' not in page


def test_results_csv_neutralises_formulas_but_keeps_negative_numbers(client, lead, mission, camden):
    pilot = PilotFactory(mission=mission, places=[camden])
    evil = '=HYPERLINK("http://evil.example","Click")'
    Evaluation.objects.create(
        pilot=pilot,
        status=Evaluation.Status.DONE,
        results={"series": [{"period": evil, "treated": -1.5, "comparison": None, "gap": "-2"}]},
    )
    client.force_login(lead)
    text = client.get(reverse("learning:pilot_results_csv", args=[pilot.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == ["'" + evil, "-1.5", "", "-2"]
