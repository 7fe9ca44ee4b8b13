"""Values derived for areas made of local authorities (ITL and NUTS areas, combined authorities):
the sum of the member authorities' figures, for indicators whose values can be added up.

Only where the sum means what a published figure would:

- the indicator is marked ``additive`` (a count or total: people, tonnes, pounds) and the
  series' own unit does not say otherwise (a "Percentage" series of a "Number" indicator is
  never summed; see ``units.additive_unit``);
- every member lies wholly inside the area: an area with any member ONS split between areas
  (Highland, Argyll and Bute, North Ayrshire) gets no derived values at all, since a split
  member's figure belongs partly elsewhere;
- no member contains another (a county and one of its districts would be counted twice);
- a period is summed only when *every* member has a value for it: a sum with a member missing
  would be too low, so that period shows nothing.

A value published for the area itself always wins over a derived one for the same period.
Derived values carry ``derived=True`` and ``members`` (how many authorities were summed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from mobilise.indicators.models import Indicator, Observation, Series
from mobilise.indicators.units import additive_unit
from mobilise.places.models import Place, PlaceMember

from .values import Value, latest_values, series_history


def summable_members(place: Place) -> list[int] | None:
    """The ids of the local authorities whose figures add up to ``place``'s, or None when the
    place is not an area made of local authorities, has none, or any member is split between
    areas or contains another member."""
    if place.kind not in Place.GROUPED_KINDS:
        return None
    links = list(
        PlaceMember.objects.filter(area=place).values_list(
            "member_id", "whole", "member__parent_id"
        )
    )
    if not links or not all(whole for _m, whole, _p in links):
        return None
    ids = {m for m, _w, _p in links}
    if any(parent in ids for _m, _w, parent in links):
        return None
    return sorted(ids)


def can_sum(indicator: Indicator, series: Series | None = None) -> bool:
    """Whether the indicator's (and the series') values may be added up across places."""
    if not indicator.additive:
        return False
    return series is None or additive_unit(series.unit) is not False


def _sums(series_ids: Sequence[int], member_ids: Sequence[int]) -> dict[int, list[Value]]:
    """Per series, the member authorities' values summed per period where every member has one,
    in time order. One query."""
    cells: dict[tuple[int, str], list] = {}
    for series_id, period, time, value, status in Observation.objects.filter(
        series_id__in=series_ids, place_id__in=member_ids
    ).values_list("series_id", "period", "time", "value", "status"):
        cell = cells.setdefault((series_id, period), [time, 0.0, 0, set()])
        cell[1] += value
        cell[2] += 1
        cell[3].add(status)
    found: dict[int, list[Value]] = defaultdict(list)
    count = len(member_ids)
    for (series_id, period), (time, total, n, statuses) in cells.items():
        if n != count:
            continue  # a member has no value for this period: the sum would be too low
        # The sum is only as final as its least final part.
        status = next(
            (
                s
                for s in (Observation.Status.ESTIMATED, Observation.Status.PROVISIONAL)
                if s in statuses
            ),
            Observation.Status.FINAL,
        )
        found[series_id].append(Value(period, time, total, status, derived=True, members=count))
    for values in found.values():
        values.sort(key=lambda v: v.time)
    return found


def derived_history(series: Series, place: Place) -> list[Value]:
    """The sums of ``place``'s member authorities' values of ``series``, per period (see the
    module's rules); empty where they cannot be summed."""
    if not can_sum(series.indicator, series):
        return []
    members = summable_members(place)
    if not members:
        return []
    return _sums([series.pk], members).get(series.pk, [])


def history_with_derived(series: Series, place: Place) -> list[Value]:
    """``place``'s values of ``series`` as published, with derived sums for the periods that
    have no published value (published values win)."""
    published = series_history(series, place)
    derived = derived_history(series, place)
    if not derived:
        return published
    have = {v.period for v in published}
    merged = published + [v for v in derived if v.period not in have]
    merged.sort(key=lambda v: v.time)
    return merged


def latest_derived(series_list: Iterable[Series], place: Place) -> dict[int, Value]:
    """The latest derived value of each series (by id) that can be summed in ``place``."""
    wanted = [s.pk for s in series_list if can_sum(s.indicator, s)]
    if not wanted:
        return {}
    members = summable_members(place)
    if not members:
        return {}
    return {sid: values[-1] for sid, values in _sums(wanted, members).items() if values}


def latest_with_derived(series_list: Sequence[Series], place: Place) -> dict[int, Value]:
    """The latest value of each series in ``place``, by series id: the published one, or, where
    the place has none, the latest derived sum."""
    published = {
        sid: v for (sid, _p), v in latest_values([s.pk for s in series_list], [place.pk]).items()
    }
    missing = [s for s in series_list if s.pk not in published]
    return {**latest_derived(missing, place), **published}
