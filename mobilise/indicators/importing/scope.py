"""Where an import may write: the places a person may import figures for.

``ImportOptions.scope`` is None for full rights (platform data managers, and the command line,
which platform staff run on the server). Otherwise it is an :class:`ImportScope`: every row for a
place outside it refuses the whole import, grouped by place ("3 rows are for Islington (rows
4–6)"), nothing is written; "replace" deletes stored values only in its places; and an existing
indicator's description (title, unit, source …), which every place shares, is left as it is.
``mobilise.indicators.access.import_scope`` decides a person's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ImportScope:
    place_ids: frozenset[int]
    # What the person may import for, for messages: "Camden and places within it".
    description: str
    # The organisation the rights come from (recorded in the import history), if one.
    organisation: Any = None
