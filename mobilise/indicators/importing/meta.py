"""What an indicator is: title, unit, source, licence, direction, from metadata files.

Two forms are read:

* **Open SDG** ``meta/<id>.md``: YAML front matter between ``---`` lines, as published by the ONS
  UK SDG platform (``indicator_available``, ``graph_title``, ``computation_units``,
  ``source_organisation_1``, ``source_url_1``, ``national_geographical_coverage``,
  ``data_start_values`` …). Open SDG metadata has no direction ("is higher better?"), so
  ``SDG_DEFAULTS`` below gives one for each indicator Mobilise ships, with the reason.
* **Tidy metadata**, a small YAML file next to a tidy CSV (``X.csv`` → ``X.yaml``)::

      source_name: Department for Energy Security and Net Zero
      source_url: https://www.gov.uk/…
      licence: Open Government Licence v3.0
      attribution: Contains public sector information licensed under the Open Government Licence v3.0
      indicators:
        co2-transport:
          title: Transport CO2 emissions
          unit: kt CO2
          polarity: lower          # higher, lower or neutral
          periodicity: annual      # annual, financial_year, academic_year, quarterly, monthly…
          description: …
          dimensions: [Road type]  # the only breakdown columns allowed for this indicator
          additive: true           # counts or totals that can be added up across places
                                   # (left out: worked out from the unit)

  Keys at the top level are defaults for every indicator in the file. ``indicators`` may also be
  a list of mappings with a ``code`` key.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from mobilise.indicators.models import Indicator
from mobilise.indicators.units import additive_unit

OGL = "Open Government Licence v3.0"
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0"
)
ONS_SDG_SOURCE_URL = "https://sdgdata.gov.uk/"

CODE_RE = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
POLARITIES = {p.value for p in Indicator.Polarity}
PERIODICITIES = {p.value for p in Indicator.Periodicity}


class MetaError(ValueError):
    """A metadata file that cannot be read. The message says what is wrong."""


@dataclass
class IndicatorMeta:
    """Everything the importer may set on an Indicator. ``None`` means "not given": an existing
    indicator keeps its value and a new one gets the model default."""

    code: str
    title: str | None = None
    description: str | None = None
    unit: str | None = None
    polarity: str | None = None
    source_name: str | None = None
    source_url: str | None = None
    licence: str | None = None
    attribution: str | None = None
    methodology_url: str | None = None
    periodicity: str | None = None
    # Not Indicator fields: how to read the data.
    dimensions: list[str] | None = None  # declared breakdowns (tidy): others are an error
    national_coverage: str | None = None  # Open SDG: where rows without a place are
    start_values: dict[str, str] = field(default_factory=dict)  # Open SDG data_start_values
    academic_year: bool = False  # split years ("2021/22") start in September, not April
    # The polarity is Mobilise's default rather than the publisher's: it is set when the
    # indicator is created and not overwritten later (a person may have changed it).
    polarity_is_default: bool = False
    # Whether the values can be added up across places (``Indicator.additive``). Read from the
    # unit (``units.additive_unit``) unless the metadata or the person importing says so; a value
    # read from the unit is set when the indicator is created, or to stop a rate being added up,
    # and never overrides a person's choice otherwise.
    additive: bool | None = None
    additive_is_default: bool = False

    MODEL_FIELDS = (
        "title",
        "description",
        "unit",
        "polarity",
        "source_name",
        "source_url",
        "licence",
        "attribution",
        "methodology_url",
        "periodicity",
        "additive",
    )


# --- Defaults for the ONS UK SDG indicators Mobilise ships -------------------------------------
#
# Direction is Mobilise's reading of each indicator, not the publisher's: deaths, harm, smoking,
# unemployment and emissions are lower-is-better; take-up, attainment, earnings and capacity are
# higher-is-better; shares whose "good" direction depends on the breakdown (waste by disposal
# method, manufacturing's share of jobs) are neutral. Titles are used only when the metadata has
# no ``indicator_available``/``graph_title``.
SDG_DEFAULTS: dict[str, dict[str, Any]] = {
    "3-2-2": {"polarity": "lower"},  # neonatal deaths
    "3-4-1": {"polarity": "lower"},  # premature mortality from non-communicable disease
    "3-4-2": {"polarity": "lower"},  # suicide
    "3-6-1": {"polarity": "lower"},  # road deaths
    "3-9-1": {"polarity": "lower"},  # deaths attributable to PM2.5
    "3-a-1": {"polarity": "lower"},  # smoking
    "3-b-1": {"polarity": "higher"},  # vaccination coverage
    "4-2-1": {"polarity": "higher", "academic_year": True},  # early years development
    "4-2-2": {"polarity": "higher"},  # early years education take-up
    "4-3-1": {"polarity": "higher"},  # adult learning
    "4-c-1": {"polarity": "higher", "academic_year": True},  # qualified teachers
    "5-2-1": {"polarity": "lower"},  # partner abuse
    "5-5-2": {"polarity": "higher"},  # women in management (well below parity)
    "7-b-1": {"polarity": "higher"},  # renewable generating capacity
    "8-5-1": {"polarity": "higher"},  # hourly earnings
    "8-5-2": {"polarity": "lower"},  # unemployment
    "8-10-1": {"polarity": "higher"},  # bank branches and cash machines per adult
    "9-2-2": {"polarity": "neutral"},  # manufacturing's share of employment
    "9-5-1": {"polarity": "higher"},  # R&D spending
    "9-5-2": {"polarity": "higher"},  # researchers per million
    "11-3-1": {
        "polarity": "lower",  # land consumed faster than the population grows
        "title": "Ratio of land consumption rate to population growth rate",
    },
    "11-6-1": {"polarity": "neutral"},  # waste by disposal method: depends on the method
    "11-7-2": {"polarity": "lower"},  # sexual harassment
    "16-1-3": {"polarity": "lower"},  # violence
    "16-1-4": {"polarity": "higher"},  # feeling safe after dark
}


def sdg_code(text: str) -> str:
    """ "3.9.1", "3-9-1", "indicator_3-9-1.csv" → "3-9-1"."""
    name = Path(text).name
    for suffix in (".gz", ".csv", ".md"):
        name = name.removesuffix(suffix)
    return name.removeprefix("indicator_").replace(".", "-").strip()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    # Open SDG fields are HTML fragments; indicators are shown as plain text.
    text = re.sub(r"<\s*(br|/p|/li)\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"[ \t]+", " ", text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip()) or None


def _url(value: Any) -> str | None:
    text = _text(value)
    return text if text and re.match(r"^https?://\S+$", text) and len(text) <= 500 else None


def _truncate(value: str | None, limit: int) -> str | None:
    return value if value is None or len(value) <= limit else value[: limit - 1] + "…"


def parse_front_matter(text: str) -> dict[str, Any]:
    """The YAML between the first two ``---`` lines (Open SDG/Jekyll front matter)."""
    lines = text.lstrip("\ufeff").splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "---")
        end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        # No front matter markers: the whole file may be YAML.
        start, end = -1, len(lines)
    try:
        data = yaml.safe_load("\n".join(lines[start + 1 : end])) or {}
    except yaml.YAMLError as exc:
        raise MetaError(_("The metadata is not valid YAML: %(error)s") % {"error": exc}) from exc
    if not isinstance(data, dict):
        raise MetaError(_("The metadata should be a set of “key: value” lines."))
    return data


def opensdg_meta(data: dict[str, Any], code: str) -> IndicatorMeta:
    """Indicator metadata from Open SDG front matter (already parsed)."""
    defaults = SDG_DEFAULTS.get(code, {})
    title = (
        _text(data.get("indicator_available"))
        or _text(data.get("graph_title"))
        or defaults.get("title")
    )
    if not title and isinstance(data.get("graph_titles"), list) and data["graph_titles"]:
        first = data["graph_titles"][0]
        title = _text(first.get("title")) if isinstance(first, dict) else None
    start_values = {}
    for item in data.get("data_start_values") or []:
        if isinstance(item, dict) and item.get("field") and item.get("value") is not None:
            start_values[str(item["field"])] = str(item["value"])
    source = _text(data.get("source_organisation_1"))
    units = _text(data.get("computation_units"))
    return IndicatorMeta(
        code=code,
        title=_truncate(title, 300),
        description=_text(data.get("national_indicator_description"))
        or _text(data.get("computation_definitions")),
        unit=_truncate(units, 100),
        polarity=defaults.get("polarity"),
        polarity_is_default=True,
        additive=additive_unit(units),
        additive_is_default=True,
        source_name=_truncate(source, 300),
        source_url=_url(data.get("source_url_1")),
        licence=OGL,
        attribution=_truncate(f"{source}. {OGL_ATTRIBUTION}" if source else OGL_ATTRIBUTION, 500),
        methodology_url=_url(data.get("goal_meta_link")),
        national_coverage=_text(data.get("national_geographical_coverage")),
        start_values=start_values,
        academic_year=bool(defaults.get("academic_year")),
    )


def read_opensdg_meta(path: Path | str, code: str | None = None) -> IndicatorMeta:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MetaError(
            _("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": exc}
        ) from exc
    data = parse_front_matter(text)
    if code is None:
        number = data.get("indicator_number") or path.stem
        code = sdg_code(str(number))
    return opensdg_meta(data, code)


def tidy_meta(data: dict[str, Any]) -> dict[str, IndicatorMeta]:
    """Indicator metadata from a tidy-CSV metadata mapping (already parsed), by code."""
    if not isinstance(data, dict):
        raise MetaError(_("The metadata should be a set of “key: value” lines."))
    entries = data.get("indicators") or {}
    if isinstance(entries, list):
        listed = {}
        for entry in entries:
            if not isinstance(entry, dict) or not entry.get("code"):
                raise MetaError(_("Each entry under “indicators” needs a “code”."))
            listed[str(entry["code"])] = entry
        entries = listed
    if not isinstance(entries, dict):
        raise MetaError(_("“indicators” should map each indicator code to its details."))
    if not entries and data.get("code"):  # a file describing one indicator
        entries = {str(data["code"]): data}
    defaults = {k: v for k, v in data.items() if k not in ("indicators", "code")}
    result = {}
    for code, entry in entries.items():
        code = str(code)
        if not CODE_RE.match(code):
            raise MetaError(
                _("“%(code)s” is not a usable indicator code (letters, digits and dashes).")
                % {"code": code}
            )
        if entry is not None and not isinstance(entry, dict):
            raise MetaError(
                _("%(code)s: the details should be indented “key: value” lines under the code.")
                % {"code": code}
            )
        values = {**defaults, **(entry or {})}
        polarity = values.get("polarity")
        if polarity is not None and (not isinstance(polarity, str) or polarity not in POLARITIES):
            raise MetaError(
                _("%(code)s: polarity must be higher, lower or neutral, not “%(value)s”.")
                % {"code": code, "value": polarity}
            )
        periodicity = values.get("periodicity")
        if periodicity is not None and (
            not isinstance(periodicity, str) or periodicity not in PERIODICITIES
        ):
            raise MetaError(
                _("%(code)s: periodicity must be one of %(options)s, not “%(value)s”.")
                % {"code": code, "options": ", ".join(sorted(PERIODICITIES)), "value": periodicity}
            )
        additive = values.get("additive")
        if additive is not None and not isinstance(additive, bool):
            raise MetaError(
                _("%(code)s: additive must be true or false, not “%(value)s”.")
                % {"code": code, "value": additive}
            )
        unit = _truncate(_text(values.get("unit")), 100)
        dimensions = values.get("dimensions")
        if dimensions is not None and (
            not isinstance(dimensions, list) or not all(isinstance(d, str) for d in dimensions)
        ):
            raise MetaError(
                _("%(code)s: dimensions must be a list of column names.") % {"code": code}
            )
        result[code] = IndicatorMeta(
            code=code,
            title=_truncate(_text(values.get("title")), 300),
            description=_text(values.get("description")),
            unit=unit,
            polarity=polarity,
            source_name=_truncate(_text(values.get("source_name")), 300),
            source_url=_url(values.get("source_url")),
            licence=_truncate(_text(values.get("licence")), 200),
            attribution=_truncate(_text(values.get("attribution")), 500),
            methodology_url=_url(values.get("methodology_url")),
            periodicity=periodicity,
            dimensions=dimensions,
            academic_year=periodicity == Indicator.Periodicity.ACADEMIC_YEAR,
            additive=additive if additive is not None else additive_unit(unit),
            additive_is_default=additive is None,
        )
    return result


def read_tidy_meta(path: Path | str) -> dict[str, IndicatorMeta]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MetaError(
            _("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": exc}
        ) from exc
    return tidy_meta(parse_front_matter(text))


def national_coverage_code(coverage: str | None) -> str | None:
    """The GSS code of an Open SDG ``national_geographical_coverage``, if we know it."""
    if not coverage:
        return None
    key = re.sub(r"[^a-z ]", "", coverage.lower()).strip()
    return {
        "united kingdom": "K02000001",
        "uk": "K02000001",
        "great britain": "K03000001",
        "england and wales": "K04000001",
        "england": "E92000001",
        "wales": "W92000004",
        "scotland": "S92000003",
        "northern ireland": "N92000002",
    }.get(key)
