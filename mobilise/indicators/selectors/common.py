"""Constants shared by the indicator reads (the headline series key, cache time, neighbour indicators,
the kinds of place compared) and the cache keys that change when the data do."""

from __future__ import annotations

from django.db.models import Count, Max

from mobilise.indicators.models import Indicator, Observation
from mobilise.places.models import Place

Kind = Place.Kind
HEADLINE = ""
CACHE_SECONDS = 24 * 60 * 60

# Indicators the importer loads for population and deprivation; the nearest-neighbour comparison
# is computed from their latest values. Settings may name others (``MOBILISE_NEIGHBOUR_INDICATORS``).
NEIGHBOUR_INDICATORS = ("population", "imd-2019-score")
# Population is skewed (Birmingham is a hundred times the Isles of Scilly): compare its logarithm.
NEIGHBOUR_LOG_INDICATORS = ("population",)
NEIGHBOUR_COUNT = 10

# Places compared with each other: a London borough is compared with districts and other unitary
# authorities (the lower tier, which IMD and most local data describe), a county with counties.
COMPARABLE_KINDS: dict[str, tuple[str, ...]] = {
    Kind.UNITARY: (Kind.UNITARY, Kind.DISTRICT),
    Kind.DISTRICT: (Kind.UNITARY, Kind.DISTRICT),
    Kind.COUNTY: (Kind.COUNTY,),
    Kind.REGION: (Kind.REGION,),
    Kind.NATION: (Kind.NATION,),
    # ITL 3 with ITL 3 of the same classification, combined authority with combined authority.
    **{kind: (kind,) for kind in Place.GROUPED_KINDS},
}
KIND_ORDER = {
    Kind.UK: 0,
    Kind.NATION: 1,
    Kind.REGION: 2,
    Kind.COUNTY: 3,
    Kind.UNITARY: 4,
    Kind.DISTRICT: 5,
}


# --- Cache keys ----------------------------------------------------------------------------------


def data_version() -> str:
    """Changes whenever indicators are imported or edited: two index-only aggregates.

    The importer moves ``updated_at`` of every indicator whose observations it created, updated
    or removed (a value corrected in place changes no id), and new observations get higher ids;
    either changes the key.
    """
    ind = Indicator.objects.aggregate(n=Count("id"), u=Max("updated_at"))
    obs = Observation.objects.aggregate(m=Max("id"))
    stamp = ind["u"].timestamp() if ind["u"] else 0
    return f"{ind['n']}.{stamp}.{obs['m'] or 0}"


def places_version() -> str:
    latest = Place.objects.aggregate(n=Count("id"), u=Max("updated_at"))
    return f"{latest['n']}.{latest['u'].timestamp() if latest['u'] else 0}"
