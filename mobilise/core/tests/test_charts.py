import re

from mobilise.core.charts import Series, line_chart, nice_ticks


def test_a_missing_value_breaks_the_line_and_every_point_is_drawn():
    svg = str(
        line_chart(
            [
                Series("Camden", [(2010, 1.0), (2011, 2.0), (2012, None), (2013, 4.0)]),
                Series("Hackney <b>", [(2010, 3.0), (2013, 3.5)], in_key=False),
            ],
            title="Camden & Hackney",
            desc="Two lines",
            marker=(2012.0, "Starts"),
        )
    )
    camden = re.findall(r'data-series="Camden" points="([^"]+)"', svg)
    assert [len(run.split()) for run in camden] == [2, 1]
    assert "Hackney &lt;b&gt;" in svg and "<b>" not in svg  # escaped
    assert "<title" in svg and "Camden &amp; Hackney" in svg and "Two lines</desc>" in svg
    assert re.search(r'role="img" aria-labelledby="(chart-\w+)-title \1-desc"', svg)
    assert 'class="mobilise-line-chart__marker"' in svg
    assert svg.count(">Hackney &lt;b&gt;</text>") == 0  # left out of the key


def test_nothing_to_draw_draws_nothing():
    assert str(line_chart([Series("Empty", [(2010, None)])], title="x")) == ""


def test_ticks_are_round_and_cover_the_values():
    assert nice_ticks(35.5, 50) == [35, 40, 45, 50]
    ticks = nice_ticks(-13.2, 9.1)
    assert ticks[0] <= -13.2 and ticks[-1] >= 9.1 and 0 in ticks
