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
