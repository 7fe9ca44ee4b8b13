"""Reads of indicators: lists, one indicator's series in one place, latest values across places,
choropleth maps, statistical neighbours, and the statuses of targets — one module per job:

- ``common``: shared constants and the cache keys (``data_version``, ``places_version``);
- ``catalogue``: indicators, themes, series, links, places with data, downloads;
- ``values``: observations, the latest values across places (one query);
- ``derived``: sums of member local authorities' values for ITL areas and combined authorities,
  for indicators that can be added up, marked as derived;
- ``display``: numbers and statuses as pages show them;
- ``targets``: trajectories, bulk assessment and the chart of a series against its target;
- ``comparisons``: a place's indicators beside the places above it;
- ``neighbours``: statistical nearest neighbours;
- ``maps``: choropleth geometry, its cache, classes, SVG and table;
- ``outcomes``: the statuses of missions' and outcomes' indicators and their roll-up.

Everything is re-exported here, so ``from mobilise.indicators import selectors`` and
``selectors.latest_values(...)`` work as before.

Everything here is bulk. A page asks for what it shows in a fixed number of queries whatever the
number of indicators or places: the latest value of every indicator in three places is one query
(``latest_values``), and the statuses of all the targets on a page are one ``assess_many`` call
(``assess_targets``). Observations are millions of rows, so nothing reads more of them than the
page needs: latest values use the database's own "latest row per group" (PostgreSQL's DISTINCT
ON, SQLite's bare column beside MAX) rather than loading every period into Python.

Derived data that only changes when data are imported (simplified boundaries, the nearest
neighbours, the latest year of each indicator) is cached under a key that changes when the data do
(``data_version``).
"""

from .catalogue import (
    IndicatorRow,
    LinkedOutcome,
    Theme,
    csv_filename,
    csv_rows,
    default_place,
    headline_series,
    indicator_by_code,
    indicator_detail,
    indicator_list,
    link_has_target,
    link_target,
    linked_outcomes,
    missions_measured_by,
    outcome_links,
    place_by_code,
    place_sort_key,
    place_target,
    placeless_indicators,
    places_with_data,
    series_label,
    series_of,
    series_panel,
    themes,
)
from .common import (
    CACHE_SECONDS,
    COMPARABLE_KINDS,
    HEADLINE,
    KIND_ORDER,
    NEIGHBOUR_COUNT,
    NEIGHBOUR_INDICATORS,
    NEIGHBOUR_LOG_INDICATORS,
    Kind,
    data_version,
    places_version,
)
from .comparisons import (
    PlaceIndicatorRow,
    comparators,
    place_indicators,
)
from .derived import (
    can_sum,
    derived_history,
    history_with_derived,
    latest_derived,
    latest_with_derived,
    summable_members,
)
from .display import (
    STATUS_TAG_CLASSES,
    decimals_for,
    format_value,
    is_percentage,
    status_label,
)
from .imports import IMPORTS_SHOWN, import_history, last_imported
from .maps import (
    CHOROPLETH_MEMO_SIZE,
    LEVELS,
    MAP_SORTS,
    MAP_TOLERANCE,
    NO_DATA_COLOUR,
    PALETTE,
    Choropleth,
    MapClass,
    MapRow,
    choropleth,
    geojson_bytes,
    geojson_for,
    level_kinds,
    level_places,
    map_geometry,
    map_periods,
    sort_map_rows,
)
from .neighbours import (
    ComparisonRow,
    Neighbour,
    Neighbourhood,
    nearest_neighbours,
    neighbour_comparison,
    neighbour_indicator_codes,
)
from .outcomes import (
    IndicatorPlaceStatus,
    IndicatorStatuses,
    OutcomeStatuses,
    contribution_statuses,
    has_contributions,
    indicator_links,
    mission_rollup,
    outcome_statuses,
)
from .targets import (
    Chart,
    TargetStatus,
    assess_targets,
    chart_data,
    engine_polarity,
    pick_target,
    targets_queryset,
    targets_version,
    trajectory_of,
)
from .values import (
    Value,
    assessment_now,
    indicator_latest_years,
    latest_values,
    series_history,
)

__all__ = [
    "IMPORTS_SHOWN",
    "import_history",
    "last_imported",
    "CACHE_SECONDS",
    "CHOROPLETH_MEMO_SIZE",
    "COMPARABLE_KINDS",
    "Chart",
    "Choropleth",
    "ComparisonRow",
    "HEADLINE",
    "IndicatorPlaceStatus",
    "IndicatorRow",
    "IndicatorStatuses",
    "KIND_ORDER",
    "Kind",
    "LEVELS",
    "LinkedOutcome",
    "MAP_SORTS",
    "MAP_TOLERANCE",
    "MapClass",
    "MapRow",
    "NEIGHBOUR_COUNT",
    "NEIGHBOUR_INDICATORS",
    "NEIGHBOUR_LOG_INDICATORS",
    "NO_DATA_COLOUR",
    "Neighbour",
    "Neighbourhood",
    "OutcomeStatuses",
    "PALETTE",
    "PlaceIndicatorRow",
    "STATUS_TAG_CLASSES",
    "TargetStatus",
    "Theme",
    "Value",
    "assess_targets",
    "can_sum",
    "derived_history",
    "history_with_derived",
    "latest_derived",
    "latest_with_derived",
    "summable_members",
    "assessment_now",
    "chart_data",
    "choropleth",
    "comparators",
    "contribution_statuses",
    "csv_filename",
    "csv_rows",
    "data_version",
    "decimals_for",
    "default_place",
    "engine_polarity",
    "format_value",
    "geojson_bytes",
    "geojson_for",
    "has_contributions",
    "headline_series",
    "indicator_by_code",
    "indicator_detail",
    "indicator_latest_years",
    "indicator_links",
    "indicator_list",
    "is_percentage",
    "latest_values",
    "level_kinds",
    "level_places",
    "link_has_target",
    "link_target",
    "linked_outcomes",
    "map_geometry",
    "map_periods",
    "mission_rollup",
    "missions_measured_by",
    "nearest_neighbours",
    "neighbour_comparison",
    "neighbour_indicator_codes",
    "outcome_links",
    "outcome_statuses",
    "pick_target",
    "place_by_code",
    "place_indicators",
    "place_sort_key",
    "place_target",
    "placeless_indicators",
    "places_version",
    "places_with_data",
    "series_history",
    "series_label",
    "series_of",
    "series_panel",
    "sort_map_rows",
    "status_label",
    "targets_queryset",
    "targets_version",
    "themes",
    "trajectory_of",
]
