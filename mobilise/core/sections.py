"""Extension points: later apps add sections to earlier apps' pages without those apps importing them.

Apps depend downwards (places ← missions ← indicators ← …), yet a place page should show the place's
indicators and a mission page its coalition. So the lower app renders whatever sections the higher
apps have registered (in their AppConfig.ready), in the spirit of Decidim's component registry:

    place_sections.register("indicators", render_place_indicators, order=10)

A provider takes ``(request, obj)`` and returns HTML (a Markup string) or ``None`` to show nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from markupsafe import Markup

Provider = Callable[[HttpRequest, Any], str | None]


@dataclass
class SectionRegistry:
    name: str
    _providers: dict[str, tuple[int, Provider]] = field(default_factory=dict)

    def register(self, key: str, provider: Provider, *, order: int = 100) -> None:
        # Keyed, so a module imported twice (tests, autoreload) does not add its section twice.
        self._providers[key] = (order, provider)

    def render(self, request: HttpRequest, obj: Any) -> list[Markup]:
        sections = []
        for _order, provider in sorted(self._providers.values(), key=lambda item: item[0]):
            html = provider(request, obj)
            if html:
                sections.append(Markup(html))  # noqa: S704 - providers render through autoescaping templates
        return sections


place_sections = SectionRegistry("place")
mission_sections = SectionRegistry("mission")
outcome_sections = SectionRegistry("outcome")


@dataclass(frozen=True)
class Evidence:
    """Facts one app contributes about a mission, for judgements and stocktakes.

    Plain data (no HTML), so a stocktake pack can keep it as a dated snapshot (``as_dict``) and the
    assurance app renders it the same way for every contributing app.
    """

    key: str
    title: str
    # (label, value) pairs shown as a summary list, e.g. ("Pledges on track", "12 of 15").
    figures: list[tuple[str, str]] = field(default_factory=list)
    # Sentences worth reading, e.g. a consensus statement or a funded project.
    highlights: list[str] = field(default_factory=list)
    # Where to read more (a path on this site), or "".
    link: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "figures": [list(pair) for pair in self.figures],
            "highlights": list(self.highlights),
            "link": self.link,
        }


# A provider takes (mission, since) — since is a date or None for "all time" — and returns an
# Evidence or None when it has nothing to say about the mission.
EvidenceProvider = Callable[[Any, Any], Evidence | None]


@dataclass
class EvidenceRegistry:
    name: str
    _providers: dict[str, tuple[int, EvidenceProvider]] = field(default_factory=dict)

    def register(self, key: str, provider: EvidenceProvider, *, order: int = 100) -> None:
        self._providers[key] = (order, provider)

    def collect(self, mission: Any, since: Any = None) -> list[Evidence]:
        found = []
        for _order, provider in sorted(self._providers.values(), key=lambda item: item[0]):
            evidence = provider(mission, since)
            if evidence is not None:
                found.append(evidence)
        return found


# Indicators, coalition, deliberation and budgeting report here; assessment forms and stocktake
# packs (assurance) show what they report without importing them.
mission_evidence = EvidenceRegistry("mission evidence")


@dataclass(frozen=True)
class Waiting:
    """Something waiting for a person, counted: shown in "Waiting for you" on their dashboard."""

    label: str  # what waits, with its count in words: "2 requests to join Healthy lives"
    count: int
    href: str  # where to deal with it (a path on this site)


# A provider takes the signed-in user and returns what waits for them (an empty list for nothing).
WaitingProvider = Callable[[Any], list[Waiting]]


def waiting_per_group(
    queryset: Any, *, key: str, name: str, label: Callable[[int], str], url_name: str
) -> list[Waiting]:
    """One ``Waiting`` per group of a queryset's rows: rows counted by ``key`` (the URL's argument,
    e.g. ``"mission__slug"``) and named by ``name`` (e.g. ``"mission__title"``). ``label(n)`` gives
    the words for ``n`` (an ``ngettext`` with ``%(num)s`` and ``%(name)s``)."""
    from django.db.models import Count
    from django.urls import reverse

    rows = queryset.values(key, name).annotate(n=Count("pk")).order_by(name, key)
    return [
        Waiting(
            label(row["n"]) % {"num": row["n"], "name": row[name]},
            row["n"],
            reverse(url_name, args=[row[key]]),
        )
        for row in rows
    ]


@dataclass
class WaitingRegistry:
    name: str
    _providers: dict[str, tuple[int, WaitingProvider]] = field(default_factory=dict)

    def register(self, key: str, provider: WaitingProvider, *, order: int = 100) -> None:
        self._providers[key] = (order, provider)

    def collect(self, user: Any) -> list[Waiting]:
        found = []
        for _order, provider in sorted(self._providers.values(), key=lambda item: item[0]):
            found.extend(item for item in provider(user) if item.count > 0)
        return found


# The accounts dashboard lists what waits for the person: coalition requests and matches,
# statements to moderate, overdue actions and failed packs, each app contributing its own.
waiting_for_you = WaitingRegistry("waiting for you")


@dataclass(frozen=True)
class YourPage:
    """A page of a person's own work in a higher app, linked from "Your account"."""

    label: str  # "Your pledges, offers and volunteering"
    href: str  # a path on this site


# A provider takes the signed-in user and returns the pages to link (an empty list for none).
YourPageProvider = Callable[[Any], list[YourPage]]


@dataclass
class YourPageRegistry:
    name: str
    _providers: dict[str, tuple[int, YourPageProvider]] = field(default_factory=dict)

    def register(self, key: str, provider: YourPageProvider, *, order: int = 100) -> None:
        self._providers[key] = (order, provider)

    def collect(self, user: Any) -> list[YourPage]:
        found: list[YourPage] = []
        for _order, provider in sorted(self._providers.values(), key=lambda item: item[0]):
            found.extend(provider(user))
        return found


# The accounts dashboard links to each app's page of the person's own work (their volunteering
# hours, pledges and offers in coalitions), so nobody needs the e-mail that mentioned it.
your_pages = YourPageRegistry("your pages")
