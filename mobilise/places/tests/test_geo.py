"""The plain-Python geometry behind loading and maps."""

from mobilise.places import geo


def test_decode_arcs_undoes_quantisation_and_deltas():
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [-1, 50]},
        "arcs": [[[0, 0], [2, 4], [2, 0]]],
    }
    assert geo.decode_arcs(topology) == [[[-1.0, 50.0], [0.0, 51.0], [1.0, 51.0]]]


def test_rings_join_arcs_and_reverse_negative_indexes():
    arcs = [[[0, 0], [1, 0], [1, 1]], [[0, 0], [0, 1], [1, 1]]]
    geometry = geo.topology_geometry({"type": "Polygon", "arcs": [[0, ~1]]}, arcs)
    assert geometry == {
        "type": "Polygon",
        "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
    }


def test_contains_respects_holes_and_interior_point_is_inside_a_crescent():
    outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[2, 2], [8, 2], [8, 8], [2, 8], [2, 2]]
    donut = {"type": "Polygon", "coordinates": [outer, hole]}
    assert geo.contains(donut, [1, 1])
    assert not geo.contains(donut, [5, 5])
    point = geo.interior_point(donut)
    assert geo.contains(donut, point)  # the centroid (5, 5) would be in the hole


def test_bbox_and_borders():
    a = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    b = {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}
    c = {"type": "Polygon", "coordinates": [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]}
    assert geo.bbox(a) == [0, 0, 1, 1]
    assert geo.share_a_border(a, b)
    assert not geo.share_a_border(a, c)


def test_simplify_keeps_shape_and_drops_specks():
    wiggly = [[i / 100, 0.0001 * (i % 2)] for i in range(101)] + [[1, 1], [0, 1], [0, 0]]
    speck = [[5, 5], [5.0001, 5], [5.0001, 5.0001], [5, 5]]
    geometry = {"type": "MultiPolygon", "coordinates": [[wiggly], [speck]]}
    simple = geo.simplify(geometry, 0.01)
    assert simple["type"] == "Polygon"
    ring = simple["coordinates"][0]
    assert len(ring) < 10 and ring[0] == ring[-1]
    assert geo.bbox(simple) == [0, 0, 1, 1]


def test_frame_fits_the_box_in_the_view_box():
    frame = geo.Frame([0, 50, 1, 51])
    points = [frame.project(0, 50), frame.project(1, 51)]
    for x, y in points:
        assert 0 <= x <= 800 and 0 <= y <= 600
    assert points[0][1] > points[1][1]  # north is up
    path = frame.path({"type": "Polygon", "coordinates": [[[0, 50], [1, 50], [1, 51], [0, 50]]]})
    assert path.startswith("M") and path.endswith("z") and "l" in path
