"""People's rights over their data (UK GDPR): every app says what it holds about a person and how to
erase it, without the accounts app importing the apps above it.

Each app registers, in its AppConfig.ready, one ``PersonalData`` provider:

    personal_data.register("coalition", PersonalData(export=export, erase=erase, blockers=blockers))

- ``export(user)`` returns ``{"pledges": [row, …], …}``: one list of flat dicts per table, written
  to the person's ZIP as ``<app>/<table>.csv`` and inside ``your-data.json``.
- ``erase(user)`` runs inside the erasure's one transaction, before the account row goes: it deletes
  what is only theirs and unlinks (anonymises) what belongs to the public record.
- ``blockers(user)`` returns sentences saying what the person must do before their account can be
  deleted (an organisation they are the last admin of); empty when nothing stops it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Rows = list[dict[str, Any]]
Exporter = Callable[[Any], dict[str, Rows]]
Eraser = Callable[[Any], None]
Blockers = Callable[[Any], list[str]]

# What a public contribution shows as its author once the person has deleted their account.
FORMER_PARTICIPANT = "Former participant"


def _nothing(user: Any) -> list[str]:
    return []


@dataclass(frozen=True)
class PersonalData:
    export: Exporter
    erase: Eraser
    blockers: Blockers = _nothing


@dataclass
class PersonalDataRegistry:
    _providers: dict[str, tuple[int, PersonalData]] = field(default_factory=dict)

    def register(self, key: str, provider: PersonalData, *, order: int = 100) -> None:
        # Keyed, so a module imported twice (tests, autoreload) does not register twice.
        self._providers[key] = (order, provider)

    def _sorted(self) -> list[tuple[str, PersonalData]]:
        return [
            (key, provider)
            for key, (_order, provider) in sorted(
                self._providers.items(), key=lambda item: (item[1][0], item[0])
            )
        ]

    def export(self, user: Any) -> dict[str, dict[str, Rows]]:
        """``{app key: {table: rows}}`` for every registered app."""
        return {key: provider.export(user) for key, provider in self._sorted()}

    def blockers(self, user: Any) -> list[str]:
        found: list[str] = []
        for _key, provider in self._sorted():
            found.extend(provider.blockers(user))
        return found

    def erase(self, user: Any) -> None:
        # Highest order first, so the accounts app (order 0) tidies up after the apps above it;
        # the caller then deletes the account row itself.
        for _key, provider in reversed(self._sorted()):
            provider.erase(user)


personal_data = PersonalDataRegistry()


def rows_of(queryset: Any, *fields: str) -> Rows:
    """The rows of ``queryset`` as flat dicts of ``fields`` (lookups such as ``mission__title``)."""
    return [dict(row) for row in queryset.order_by("pk").values(*fields)]
