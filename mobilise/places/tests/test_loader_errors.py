"""A broken file stops the load before anything is written, and says which file."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from mobilise.places import services
from mobilise.places.models import Place
from mobilise.places.sources import SHIPPED_GEO_DIR, TOPO_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path):
    shutil.copytree(SHIPPED_GEO_DIR, tmp_path / "geo")
    return tmp_path / "geo"


def test_invalid_json(data_dir):
    (data_dir / TOPO_DIR / "topo.json").write_text("{not json")
    with pytest.raises(CommandError, match=r"topo\.json: not valid JSON"):
        call_command("places_load", path=data_dir)
    assert Place.objects.count() == 0


def test_missing_file(data_dir):
    (data_dir / TOPO_DIR / "changes.csv").unlink()
    with pytest.raises(services.PlacesDataError, match=r"changes\.csv: file not found"):
        services.places_load(path=data_dir)
    assert Place.objects.count() == 0


def test_bad_code_late_in_the_file_writes_nothing(data_dir):
    # The last layer read is ltla: a bad feature there must not leave the earlier layers written.
    topo_file = data_dir / TOPO_DIR / "topo.json"
    topo = json.loads(topo_file.read_text())
    topo["objects"]["ltla"]["geometries"][-1]["properties"]["areacd"] = "LAMBETH"
    topo_file.write_text(json.dumps(topo))
    with pytest.raises(services.PlacesDataError) as exc:
        services.places_load(path=data_dir)
    assert "topo.json" in str(exc.value) and "'LAMBETH' is not an ONS code" in str(exc.value)
    assert Place.objects.count() == 0


def test_lookup_without_its_columns(data_dir):
    (data_dir / TOPO_DIR / "ltla14-lookup.csv").write_text("code,name\nE06000001,Hartlepool\n")
    with pytest.raises(
        services.PlacesDataError,
        match=r"ltla14-lookup\.csv: missing column\(s\) ctycd, ltlacd, rgncd",
    ):
        services.places_load(path=data_dir)
    assert Place.objects.count() == 0


def test_a_code_with_no_parent_is_refused(data_dir):
    # A new unitary code the lookup and changes.csv do not explain, somewhere outside every region.
    topo_file = data_dir / TOPO_DIR / "topo.json"
    topo = json.loads(topo_file.read_text())
    topo["arcs"].append([[0, 0], [10, 0], [0, 10], [-10, -10]])
    topo["objects"]["ltla"]["geometries"].append(
        {
            "type": "Polygon",
            "arcs": [[len(topo["arcs"]) - 1]],
            "properties": {"areacd": "E06000999", "areanm": "Atlantis"},
        }
    )
    topo_file.write_text(json.dumps(topo))
    with pytest.raises(services.PlacesDataError, match=r"cannot place E06000999 \(Atlantis\)"):
        services.places_load(path=data_dir)
    assert Place.objects.count() == 0


def test_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        call_command("places_load", path=tmp_path / "nowhere")


def test_trim_reproduces_the_shipped_files(tmp_path):
    # The shipped copy is the trim of itself: trimming is stable, and the loader reads the result.
    sizes = services.sources.trim(SHIPPED_GEO_DIR, tmp_path)
    for name in sizes:
        assert (tmp_path / TOPO_DIR / name).read_bytes() == (
            SHIPPED_GEO_DIR / TOPO_DIR / name
        ).read_bytes()
