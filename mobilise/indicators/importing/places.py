"""Which place a row is about: from an ONS (GSS) code, or from a local authority's name.

Codes are looked up among the places Mobilise holds, retired codes included (they are places with
``valid_to``), so data published on pre-2019 codes stays on the authorities it describes. Codes we
do not hold fall in three groups:

* areas outside our geography: Great Britain (K03), England and Wales (K04), Inner and Outer
  London (E13), combined authorities (E47), the Greater London Authority (E61)… These are real
  places, just not ones missions are set for: a warning, and the row is skipped;
* codes that the mySociety lookup knows as another spelling of a place we hold (St Albans'
  pre-2020 code E07000100 is E07000240 today): recorded against that place, with a warning;
* anything else of a kind we hold (a well-formed E06… we have never heard of) is an error: most
  likely a typo, and importing it against nothing would lose the row silently.

Names go through the mySociety "UK local authority names and codes" lookup (shipped trimmed in
``mobilise/data/indicators/lookups``), which lists official names, common names and misspellings
("Bristol, City of", "City of Bristol", "Bristol UA"…). Names are compared after normalising case,
accents, "&"/"and", "St."/"Saint" and punctuation, then again without council words ("City of",
"Borough Council", "UA"…). When one name fits several places (Buckinghamshire the county until
2019 and the unitary since 2020), the place whose years cover the row's period wins.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .report import Kind

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "data" / "indicators"
LOOKUP_FILE = SHIPPED_DIR / "lookups" / "la-names.csv.gz"

CODE_RE = re.compile(r"^[EKNSW]\d{8}$")
# Kinds of area Mobilise holds as places (see mobilise.places.sources.KIND_BY_PREFIX).
HELD_PREFIXES = frozenset(
    {
        "K02",
        "E92",
        "W92",
        "S92",
        "N92",
        "E12",
        "E10",
        "E06",
        "E07",
        "E08",
        "E09",
        "W06",
        "S12",
        "N09",
    }
)
NOT_HELD_PREFIXES = {
    "K03": "Great Britain",
    "K04": "England and Wales",
    "E13": "Inner or Outer London",
    "E11": "a metropolitan county",
    "E47": "a combined authority",
    "E61": "the Greater London Authority",
    "E15": "a European electoral region",
}
# Names of areas we do not hold, as publishers write them.
NOT_HELD_NAMES = {
    "great britain": "K03000001",
    "gb": "K03000001",
    "england and wales": "K04000001",
    "inner london": "E13000001",
    "outer london": "E13000002",
    "greater london": "E61000001",
    "greater london authority": "E61000001",
}
# Other spellings of the regions and nations (the places table has "East of England" and so on).
AREA_ALIASES = {
    "uk": "K02000001",
    "united kingdom": "K02000001",
    "east": "E12000006",
    "eastern": "E12000006",
    "east of england": "E12000006",
    "yorkshire and humber": "E12000003",
    "yorkshire and the humber": "E12000003",
    "north east england": "E12000001",
    "north west england": "E12000002",
    "south east england": "E12000008",
    "south west england": "E12000009",
}
LA_KINDS = ("county", "unitary", "district")
TERRITORIAL_KINDS = ("itl1", "itl2", "itl3", "nuts1", "nuts2", "nuts3")
# Areas made of local authorities: combined authorities (and the GLA), ITL and NUTS areas.
GROUPED_KINDS = ("combined", *TERRITORIAL_KINDS)
# ITL (TLC11) and NUTS (UKF22) codes as ONS publishes them.
AREA_CODE_RE = re.compile(r"^(TL|UK)[A-Z0-9]{1,3}$")
# mySociety authority types we do not hold as places.
NOT_HELD_TYPES = {"COMB", "SRA"}

_PUNCT = re.compile(r"['’`.]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SAINT = re.compile(r"\bsaint\b")
# Words councils are called by that do not tell them apart: "Bristol, City of", "Wigan MBC",
# "Bexley LB", "Wakefield City MDC", "Medway Borough Council", "Bristol UA".
_COUNCIL_WORDS = re.compile(
    r"\b(the|city of|county of|royal borough of|london borough of|borough of"
    r"|metropolitan borough council|metropolitan district council|metropolitan borough"
    r"|metropolitan district|district council|borough council|county council|city council"
    r"|city mdc|council|mbc|mdc|lb|ua|unitary authority)\b"
)
# "Did you mean" is worked out for this many distinct unknown names or codes in one import.
MAX_SUGGESTIONS = 300
# Joint waste disposal authorities (in waste data next to councils) are not places.
_JOINT_WASTE = re.compile(r"\b(waste (disposal )?authority|wda|waste partnership)\b")


def normalise(name: str) -> str:
    """Lower case, ASCII, "and" for "&", no punctuation, "st" for "saint"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _PUNCT.sub("", text.replace("&", " and "))
    text = _NON_ALNUM.sub(" ", text).strip()
    return _SAINT.sub("st", text)


def loose(normalised: str) -> str:
    """A normalised name without council words: "bristol city of" → "bristol"."""
    return " ".join(_COUNCIL_WORDS.sub(" ", normalised).split())


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a row goes. ``kind`` is None when the answer is clean; otherwise it is the problem
    to report (``PLACE_RECODED`` comes with a place, ``NOT_HELD``/``UNKNOWN_PLACE`` without)."""

    place_id: int | None
    kind: Kind | None = None
    message: str = ""
    hint: str = ""  # "Did you mean “Camden”?" for a name close to one we know
    deferred: bool = False  # ask again once the whole file has been seen (see ``DEFER``)
    ambiguous: bool = False  # the name fits several places and nothing tells which


@dataclass(frozen=True, slots=True)
class PlaceRow:
    id: int
    code: str
    name: str
    kind: str
    valid_from: int | None
    valid_to: int | None
    name_cy: str = ""
    ons_code: str = ""  # ITL/NUTS code as published (TLC11), "" for GSS places
    vintage: int | None = None  # ITL 2021/2025, NUTS 2013/2016

    @property
    def family(self) -> tuple[str, int | None]:
        """What kind of geography a file using this place is in: local authorities, combined
        authorities, or one ITL/NUTS classification (whatever the level)."""
        if self.kind in LA_KINDS:
            return ("la", None)
        if self.kind in TERRITORIAL_KINDS:
            return (self.kind[:-1], self.vintage)
        return (self.kind, None)

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )

    def distance(self, year: int) -> int:
        if self.valid_from is not None and year < self.valid_from:
            return self.valid_from - year
        if self.valid_to is not None and year > self.valid_to:
            return year - self.valid_to
        return 0


@dataclass(frozen=True, slots=True)
class LookupRow:
    gss: str
    former: tuple[str, ...]
    type: str
    names: tuple[str, ...]


def read_lookup(path: Path | str = LOOKUP_FILE) -> list[LookupRow]:
    """The trimmed mySociety lookup: one row per authority, past or present."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        rows = []
        for row in csv.DictReader(f):
            if not row["gss-code"]:
                continue
            # alt-names is comma-separated, but names contain ", " ("Bristol, City of"): the
            # separators are the commas not followed by a space.
            alt = [a for a in re.split(r",(?! )", row.get("alt-names") or "") if a.strip()]
            names = tuple(
                dict.fromkeys(n for n in (row["nice-name"], row["official-name"], *alt) if n)
            )
            former = tuple(c for c in (row.get("former-gss-codes") or "").split(",") if c)
            rows.append(LookupRow(row["gss-code"], former, row["local-authority-type"], names))
        return rows


@lru_cache(maxsize=2)
def _shipped_lookup(path: str) -> tuple[LookupRow, ...]:
    return tuple(read_lookup(path))


class PlaceResolver:
    """Answers "which place?" for codes and names; build one per import (it caches answers)."""

    def __init__(self, places: Iterable[PlaceRow], lookup: Iterable[LookupRow] = ()) -> None:
        self.places: dict[str, PlaceRow] = {p.code: p for p in places}
        # The hot path of a big import is one dictionary lookup per row.
        self.ids: dict[str, int] = {code: p.id for code, p in self.places.items()}
        self._by_id = {p.id: p for p in self.places.values()}
        self._aliases: dict[str, str] = {}
        self._not_held_codes: dict[str, str] = {}
        la_exact: dict[str, set[str]] = defaultdict(set)
        la_loose: dict[str, set[str]] = defaultdict(set)
        self._areas: dict[str, str] = {}

        # ITL/NUTS areas and combined authorities by name and by published code: a name is
        # often shared by several classifications ("East Derbyshire" in NUTS 2013, NUTS 2016,
        # ITL 2021 and ITL 2025) and sometimes by a council ("Derby", "Lincolnshire").
        self._grouped: dict[str, set[str]] = defaultdict(set)
        self._grouped_codes: dict[str, list[PlaceRow]] = defaultdict(list)
        for place in self.places.values():
            names = [place.name, place.name_cy] if place.name_cy else [place.name]
            for name in names:
                key = normalise(name)
                if place.kind in LA_KINDS:
                    la_exact[key].add(place.code)
                elif place.kind in GROUPED_KINDS:
                    self._grouped[key].add(place.code)
                else:
                    self._areas[key] = place.code
            if place.kind in GROUPED_KINDS and place.ons_code:
                self._grouped_codes[place.ons_code.upper()].append(place)
        for alias, code in NOT_HELD_NAMES.items():
            if code in self.places:  # "Greater London" once the GLA is held
                self._grouped[alias].add(code)
        for alias, code in AREA_ALIASES.items():
            if code in self.places:
                self._areas.setdefault(alias, code)

        for entry in lookup:
            codes = (entry.gss, *entry.former)
            held = [c for c in codes if c in self.places]
            if entry.type in NOT_HELD_TYPES and held:  # a combined authority we hold
                for name in entry.names:
                    self._grouped[normalise(name)].update(held)
                continue
            if entry.type in NOT_HELD_TYPES or not held:
                for name in entry.names:
                    self._not_held_codes.setdefault(normalise(name), entry.gss)
                continue
            for code in codes:
                if code not in self.places:
                    # The current code if we hold it, else the newest former one we hold.
                    self._aliases.setdefault(code, held[0])
            for name in entry.names:
                la_exact[normalise(name)].update(held)

        self._held_prefixes = HELD_PREFIXES | {c[:3] for c in self.places if CODE_RE.match(c)}
        area_keys = set(self._areas) | set(NOT_HELD_NAMES)
        for key, codes in la_exact.items():
            short = loose(key)
            # "City of London" must not answer for "London", nor "Durham County Council" for a
            # region: loose forms that collide with a region or nation are left out.
            if short and short != key and short not in area_keys:
                la_loose[short].update(codes)
        self._la_exact = dict(la_exact)
        self._suggestions: dict[str, dict[str, tuple[str, str]]] | None = None
        self._suggested = 0
        self._la_loose = {k: v for k, v in la_loose.items() if k not in la_exact}
        self._code_cache: dict[str, Resolved] = {}
        self._name_cache: dict[tuple[str, str, int | None], Resolved] = {}
        self.begin_file()

    @classmethod
    def from_database(cls, *, lookup_path: Path | str = LOOKUP_FILE) -> PlaceResolver:
        from mobilise.places.models import Place

        rows = Place.objects.values_list(
            "id", "code", "name", "kind", "valid_from", "valid_to", "name_cy", "ons_code", "vintage"
        )
        lookup = _shipped_lookup(str(lookup_path)) if Path(lookup_path).exists() else ()
        return cls((PlaceRow(*r) for r in rows), lookup)

    def place(self, place_id: int) -> PlaceRow:
        return self._by_id[place_id]

    # --- codes ----------------------------------------------------------------------------------

    def code(self, code: str) -> Resolved:
        """The place for a GSS code (already stripped)."""
        if (place_id := self.ids.get(code)) is not None:
            return Resolved(place_id)
        cached = self._code_cache.get(code)
        if cached is None:
            cached = self._code_cache[code] = self._code(code)
        return cached

    def _code(self, code: str) -> Resolved:
        upper = code.upper()
        if upper != code and upper in self.ids:
            return Resolved(self.ids[upper])
        if AREA_CODE_RE.match(upper) and upper in self._grouped_codes:
            # An ITL or NUTS code: ONS reuses codes across classifications (UKF22 in NUTS 2013
            # and 2016, TLC11 in ITL 2021 and 2025). The newest classification that has it.
            newest = max(self._grouped_codes[upper], key=lambda p: p.vintage or 0)
            return Resolved(newest.id)
        if not CODE_RE.match(upper):
            return Resolved(
                None,
                Kind.UNKNOWN_PLACE,
                _("“%(code)s” is not an ONS area code (a letter and eight digits, like E09000007).")
                % {"code": code},
                self.suggest(code, with_code=True)
                or self.suggest(code, level="area", with_code=True),
            )
        if upper in self._aliases:
            target = self.places[self._aliases[upper]]
            return Resolved(
                target.id,
                Kind.PLACE_RECODED,
                _("%(code)s is recorded against %(name)s (%(target)s), the code we hold for it.")
                % {"code": upper, "name": target.name, "target": target.code},
            )
        prefix = upper[:3]
        if prefix not in self._held_prefixes:
            what = NOT_HELD_PREFIXES.get(prefix)
            message = (
                _("%(code)s (%(what)s) is not a place Mobilise holds; its rows were skipped.")
                % {"code": upper, "what": what}
                if what
                else _("%(code)s is not a kind of area Mobilise holds; its rows were skipped.")
                % {"code": upper}
            )
            return Resolved(None, Kind.NOT_HELD, message)
        return Resolved(
            None,
            Kind.UNKNOWN_PLACE,
            _("There is no place with the code %(code)s.") % {"code": upper},
        )

    # --- names ----------------------------------------------------------------------------------

    # --- one file at a time -----------------------------------------------------------------

    def begin_file(self, *, deferring: bool = False) -> None:
        """Forget the last file's evidence: each file is judged on its own names. A reader that
        can hold rows back (``deferring``) gets ``DEFER`` for a name that fits several places
        until it calls :meth:`decide`; otherwise the names seen so far decide at once."""
        self._deferring = deferring
        # How many distinct names of this file each kind of geography could explain.
        self._support: dict[tuple[str, int | None], int] = defaultdict(int)
        self._counted: set[str] = set()
        self._decided = False
        self._name_cache.clear()

    def decide(self) -> None:
        """Every name of the file has been seen once: names that could be places at several
        levels or classifications now go to the geography most of the file's names fit."""
        self._decided = True
        self._name_cache.clear()

    def _count(self, key: str, candidates: list[PlaceRow]) -> None:
        if key in self._counted:
            return
        self._counted.add(key)
        for family in {c.family for c in candidates}:
            self._support[family] += 1

    def _choose(self, name: str, candidates: list[PlaceRow], year: int | None) -> Resolved:
        """One of several places a name fits: the geography most of the file's names fit; then,
        among ITL/NUTS classifications, the newest; among councils, the one of the row's years,
        then the current one. A council against an area with nothing to choose between them is
        a true ambiguity, reported once (with its rows)."""
        if self._deferring and not self._decided:
            return DEFER
        best = max(self._support.get(c.family, 0) for c in candidates)
        candidates = [c for c in candidates if self._support.get(c.family, 0) == best]
        kinds = {c.kind in TERRITORIAL_KINDS for c in candidates}
        if kinds == {True}:
            # Classifications the file's names fit equally well: the newest, so that a time
            # series stays on one area rather than changing classification with the years.
            newest = max(c.vintage or 0 for c in candidates)
            candidates = [c for c in candidates if (c.vintage or 0) == newest]
        elif len(kinds) == 1 and len(candidates) > 1 and year is not None:
            nearest = min(c.distance(year) for c in candidates)
            candidates = [c for c in candidates if c.distance(year) == nearest]
        if len(candidates) > 1:
            current = [c for c in candidates if c.valid_to is None]
            if len(current) == 1:
                candidates = current
        if len(candidates) == 1:
            return Resolved(candidates[0].id)
        options = ", ".join(
            f"{c.name} ({_describe(c)})" for c in sorted(candidates, key=lambda c: c.code)
        )
        return Resolved(
            None,
            Kind.UNKNOWN_PLACE,
            _(
                "“%(name)s” could be any of %(options)s, and the file's other names do not "
                "tell which: give the ONS code instead."
            )
            % {"name": name, "options": options},
            ambiguous=True,
        )

    def suggest(self, name: str, *, level: str = "la", with_code: bool = False) -> str:
        """ "Did you mean “Fooshire”?" when a place we hold has a name close to ``name`` (by
        difflib's ratio, on normalised names), else "". ``with_code`` adds its code, for a name
        written where a code belongs."""
        if self._suggestions is None:
            self._suggestions = {"la": {}, "area": {}}
            for place in self.places.values():
                names = [place.name, place.name_cy] if place.name_cy else [place.name]
                which = "la" if place.kind in LA_KINDS else "area"
                for each in names:
                    self._suggestions[which].setdefault(normalise(each), (each, place.code))
        self._suggested += 1
        if self._suggested > MAX_SUGGESTIONS:  # a file of thousands of bad names stays quick
            return ""
        known = self._suggestions[level]
        close = difflib.get_close_matches(normalise(name), list(known), n=1, cutoff=0.75)
        if not close:
            return ""
        found, code = known[close[0]]
        if with_code:
            return _("Did you mean “%(name)s” (%(code)s)?") % {"name": found, "code": code}
        return _("Did you mean “%(name)s”?") % {"name": found}

    def name(self, name: str, *, level: str = "la", year: int | None = None) -> Resolved:
        """The place a name stands for. ``level`` is "la" for local authority columns and "area"
        for region and country columns; ``year`` picks between places that shared a name."""
        key = (name, level, year)
        cached = self._name_cache.get(key)
        if cached is None:
            cached = self._name_cache[key] = self._name(name, level, year)
        return cached

    def _name(self, name: str, level: str, year: int | None) -> Resolved:
        key = normalise(name)
        if key in self._areas:  # a region or nation, whichever column it is in
            return Resolved(self.ids[self._areas[key]])
        if (key in NOT_HELD_NAMES and NOT_HELD_NAMES[key] not in self.places) or (
            level == "area" and key in self._not_held_codes
        ):
            code = NOT_HELD_NAMES.get(key) or self._not_held_codes[key]
            return Resolved(
                None,
                Kind.NOT_HELD,
                _("“%(name)s” (%(code)s) is not a place Mobilise holds; its rows were skipped.")
                % {"name": name, "code": code},
            )
        grouped = [self.places[c] for c in self._grouped.get(key, ())]
        if level == "area":
            if grouped:
                return self._among(name, key, grouped, year)
            return Resolved(
                None,
                Kind.UNKNOWN_PLACE,
                _("“%(name)s” is not the name of a region or nation we know.") % {"name": name},
                self.suggest(name, level="area"),
            )
        short = loose(key)
        codes = self._la_exact.get(key) or self._la_exact.get(short) or self._la_loose.get(short)
        if grouped:
            # An ITL/NUTS area or combined authority, perhaps also a council's name.
            return self._among(name, key, grouped + [self.places[c] for c in codes or ()], year)
        if not codes and _JOINT_WASTE.search(key):
            return Resolved(
                None,
                Kind.NOT_HELD,
                _(
                    "“%(name)s” is a joint waste authority, not a place Mobilise holds; its rows were skipped."
                )
                % {"name": name},
            )
        if not codes:
            if key in self._not_held_codes:
                return Resolved(
                    None,
                    Kind.NOT_HELD,
                    _("“%(name)s” (%(code)s) is not a place Mobilise holds; its rows were skipped.")
                    % {"name": name, "code": self._not_held_codes[key]},
                )
            return Resolved(
                None,
                Kind.UNKNOWN_PLACE,
                _("“%(name)s” is not the name of a local authority we know.") % {"name": name},
                self.suggest(name, level="la"),
            )
        candidates = [self.places[c] for c in codes]
        self._count(key, candidates)
        if len(candidates) > 1 and year is not None:
            # The place whose years cover the row's; failing that, the nearest in time.
            nearest = min(c.distance(year) for c in candidates)
            candidates = [c for c in candidates if c.distance(year) == nearest]
        if len(candidates) > 1:
            # Still several: a place and its renamed successor with no years to tell them apart.
            # Prefer the current one, as the name is most likely meant today.
            current = [c for c in candidates if c.valid_to is None]
            if len(current) == 1:
                candidates = current
        if len(candidates) > 1:
            options = ", ".join(
                f"{c.name} ({c.code})" for c in sorted(candidates, key=lambda c: c.code)
            )
            return Resolved(
                None,
                Kind.UNKNOWN_PLACE,
                _("“%(name)s” could be any of %(options)s: give the ONS code instead.")
                % {"name": name, "options": options},
                ambiguous=True,
            )
        return Resolved(candidates[0].id)

    def _among(self, name: str, key: str, candidates: list[PlaceRow], year: int | None) -> Resolved:
        self._count(key, candidates)
        if len(candidates) == 1:
            return Resolved(candidates[0].id)
        return self._choose(name, candidates, year)


def _describe(place: PlaceRow) -> str:
    """ "E06000015, a local authority", "UKF11, NUTS 3 2013", "E47000001, a combined authority"."""
    if place.kind in TERRITORIAL_KINDS:
        scheme, level = place.kind[:-1].upper(), place.kind[-1]
        return f"{place.ons_code or place.code}, {scheme} {level} {place.vintage or ''}".strip()
    if place.kind == "combined":
        return _("%(code)s, a combined authority") % {"code": place.code}
    return _("%(code)s, a local authority") % {"code": place.code}


class HeldBack:
    """A file's rows in order, then again the rows held back because their place name fits
    several places: those come round once the whole file has been read and the resolver has
    decided (see :meth:`PlaceResolver.decide`). ``replaying`` is true for the second round."""

    def __init__(self, resolver: PlaceResolver, *, on_decide: Any = None) -> None:
        self.resolver = resolver
        self.on_decide = on_decide
        self.rows: list[tuple[int, Any]] = []
        self.replaying = False
        resolver.begin_file(deferring=True)

    def hold(self, row_no: int, row: Any) -> None:
        self.rows.append((row_no, row))

    def every_row(self, rows: Iterable[Any], *, start: int) -> Iterator[tuple[int, Any]]:
        yield from enumerate(rows, start=start)
        if self.rows:
            self.resolver.decide()
            if self.on_decide is not None:
                self.on_decide()
            self.replaying = True
            yield from self.rows


# A name that fits several places, met before the rest of the file was seen: the reader holds
# the row back and asks again after ``decide()``.
DEFER = Resolved(None, deferred=True)
