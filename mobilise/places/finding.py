"""Finding one place from what someone typed: a name in any of the forms councils and ONS use,
an ONS code, or a code with its classification year (``TLC11-21``)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from .models import Place

Kind = Place.Kind


def _light() -> QuerySet[Place]:
    return Place.objects.defer("boundary", "bbox")


def latest_with_code(code: str) -> Place | None:
    """The newest area published with an ITL or NUTS code (``TLC11`` → ITL 2021's TLC11-21,
    since 2025 recoded it), for addresses and boxes that give the code without the year."""
    return (
        _light()
        .filter(ons_code__iexact=code.strip())
        .order_by(F("vintage").desc(nulls_last=True))
        .first()
    )


# Which kind a typed name means when several share it, best first: a council before the
# combined authority named after it, before the statistical areas, newest classification first.
_KIND_PREFERENCE = {
    **dict.fromkeys(Place.LOCAL_AUTHORITY_KINDS, 0),
    Kind.REGION: 0,
    Kind.NATION: 0,
    Kind.UK: 0,
    Kind.COMBINED: 1,
}


# --- Finding a place from what someone typed -------------------------------------------------------

# Words councils put round a place's name: "London Borough of Camden", "Camden Council",
# "Bristol, City of". Stripped from both what was typed and the stored names before comparing.
_NAME_PREFIXES = (
    "the ",
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "borough of ",
    "city and county of ",
    "city of ",
    "county of ",
)
_NAME_SUFFIXES = (
    " metropolitan borough council",
    " borough council",
    " city council",
    " district council",
    " county council",
    " council",
    ", city of",
    ", county of",
)


_LABELLED = re.compile(r"^.*\(\s*([A-Za-z][0-9]{8}|(?:UK|TL)[A-Za-z0-9]{1,3}-[0-9]{2})\s*\)$")


def normalise_place_name(text: str) -> str:
    """ "London Borough of Camden", "camden council" and " Camden " all read as "camden"."""
    name = " ".join(text.replace("\u2019", "'").split()).lower()
    changed = True
    while changed and name:
        changed = False
        for prefix in _NAME_PREFIXES:
            if name.startswith(prefix) and len(name) > len(prefix):
                name, changed = name[len(prefix) :], True
        for suffix in _NAME_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name, changed = name[: -len(suffix)], True
    return name.strip(" ,")


@dataclass
class PlaceMatch:
    """What a typed place name or code found: ``place`` when it is one place, else the
    ``candidates`` to choose from (several places of that name, or near misses)."""

    text: str
    place: Place | None = None
    candidates: list[Place] = field(default_factory=list)
    exact: bool = False  # the candidates all have the name typed (not near misses)


def _prefer_current(places: list[Place]) -> list[Place]:
    """Current places before retired ones; then a council before a combined authority of the
    same name before a statistical area (newest classification only)."""
    current = [p for p in places if p.valid_to is None] or places
    best = min(_KIND_PREFERENCE.get(p.kind, 2) for p in current)
    return [p for p in current if _KIND_PREFERENCE.get(p.kind, 2) == best]


# Far longer than any place's name with its code ("Camden (E09000007)"); longer text names none.
LONGEST_PLACE_TEXT = 300


def find_place(text: str, *, limit: int = 10) -> PlaceMatch:
    """One place for a name ("Camden", "camden", "London Borough of Camden") or an ONS code
    ("E09000007", "e09000007").

    A code or a name matching exactly one place (a current one before a retired one of the same
    name) gives ``place``. Several places of the same name give them as ``candidates`` with
    ``exact`` set; a name matching none exactly gives the places whose names contain it.
    """
    typed = " ".join((text or "").split())
    match = PlaceMatch(typed)
    if not typed or len(typed) > LONGEST_PLACE_TEXT:
        # No name or code is this long; SQLite also refuses a LIKE pattern of 50,000 bytes.
        return match
    # "Camden (E09000007)", as a place box shows a chosen place back: the code decides.
    labelled = _LABELLED.match(typed)
    if labelled:
        typed = labelled.group(1)
    by_code = _light().filter(code__iexact=typed).first() or latest_with_code(typed)
    if by_code is not None:
        match.place = by_code
        return match
    core = normalise_place_name(typed)
    if not core:
        return match
    pool = list(
        _light()
        .select_related("parent")
        .defer("parent__boundary", "parent__bbox")
        .filter(Q(name__icontains=core) | Q(name_cy__icontains=core))
        .order_by(F("valid_to").desc(nulls_first=True), "name", "code")[:200]
    )
    exact = [
        p
        for p in pool
        if core in (normalise_place_name(p.name), normalise_place_name(p.name_cy or ""))
    ]
    if exact:
        exact = _prefer_current(exact)
        if len(exact) == 1:
            match.place = exact[0]
        else:
            match.candidates, match.exact = exact[:limit], True
        return match
    if not pool:
        # A slip of the keyboard ("Camdem"): the places whose names are close.
        names = {}
        for place_id, name in _light().filter(valid_to__isnull=True).values_list("pk", "name"):
            names.setdefault(normalise_place_name(name), []).append(place_id)
        close = difflib.get_close_matches(core, list(names), n=limit, cutoff=0.75)
        ids = [pk for name in close for pk in names[name]]
        found = _light().select_related("parent").defer("parent__boundary", "parent__bbox")
        by_id = {p.pk: p for p in found.filter(pk__in=ids)}
        pool = [by_id[pk] for pk in ids if pk in by_id]
    match.candidates = pool[:limit]
    return match
