"""A person's own coalition work, the mobilisation dashboards and CSV exports."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.accounts.models import Organisation, Sector
from mobilise.coalition.models import (
    Ask,
    Category,
    CoalitionMember,
    ListingStatus,
    Match,
    Offer,
    Opportunity,
    Pledge,
    Session,
    SignUp,
    Timeliness,
)
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from ._common import _HEAVY, _today
from .pledges import mission_pledges

# --- the person's own coalition work -------------------------------------------------------------


@dataclass
class Mine:
    confirmed: list[SignUp]
    waiting: list[SignUp]
    past: list[SignUp]
    hours: Decimal
    pledges: list[Pledge]
    offers: list[Offer]
    asks: list[Ask]
    matches: list[Match]
    requests: list[CoalitionMember]


def mine(user: Any) -> Mine:
    now = timezone.now()
    sign_ups = list(
        SignUp.objects.filter(person=user)
        .exclude(status=SignUp.Status.CANCELLED)
        .select_related("session", "session__opportunity", "session__opportunity__place")
        .defer(*(f"session__opportunity__place__{f}" for f in _HEAVY))
        .order_by("session__starts_at", "id")
    )
    upcoming = [s for s in sign_ups if s.session.starts_at > now]
    hours = sum((s.hours or Decimal(0) for s in sign_ups if s.attended), Decimal(0))
    org_ids = list(user.memberships.values_list("organisation_id", flat=True))
    pledges = list(
        Pledge.objects.filter(Q(person=user) | Q(organisation_id__in=org_ids))
        .select_related("mission", "organisation")
        .order_by("due_date", "id")
    )
    offers = list(
        Offer.objects.filter(
            Q(person=user) | Q(organisation_id__in=org_ids), status=ListingStatus.OPEN
        )
        .select_related("mission", "organisation")
        .order_by("-created_at")
    )
    asks = list(
        Ask.objects.filter(organisation_id__in=org_ids, status=ListingStatus.OPEN)
        .select_related("mission", "organisation")
        .order_by("-created_at")
    )
    matches = list(
        Match.objects.filter(
            Q(ask__organisation_id__in=org_ids)
            | Q(offer__person=user)
            | Q(offer__organisation_id__in=org_ids)
        )
        .exclude(status=Match.Status.DECLINED)
        .select_related("ask", "offer")
        .order_by("-created_at")[:50]
    )
    requests = list(
        CoalitionMember.objects.filter(organisation_id__in=org_ids)
        .select_related("mission", "organisation")
        .order_by("-created_at")[:50]
    )
    return Mine(
        confirmed=[s for s in upcoming if s.status == SignUp.Status.CONFIRMED],
        waiting=[s for s in upcoming if s.status == SignUp.Status.WAITING],
        past=[
            s
            for s in sign_ups
            if s.session.starts_at <= now and s.status == SignUp.Status.CONFIRMED
        ][::-1],
        hours=hours,
        pledges=pledges,
        offers=offers,
        asks=asks,
        matches=matches,
        requests=requests,
    )


# --- the mobilisation dashboard ------------------------------------------------------------------


@dataclass
class Dashboard:
    """The coalition's figures for a mission or a place, each chart with its table."""

    partners: int = 0
    by_sector: list[tuple[str, int]] = field(default_factory=list)
    pledges: int = 0
    by_timeliness: list[tuple[str, str, int]] = field(default_factory=list)
    fulfilled: int = 0
    on_time: int = 0
    flagged: int = 0
    money: Decimal = Decimal(0)
    in_kind: Decimal = Decimal(0)
    money_delivered: Decimal = Decimal(0)
    in_kind_delivered: Decimal = Decimal(0)
    opportunities: int = 0
    sessions: int = 0
    sign_ups: int = 0
    waiting: int = 0
    volunteers: int = 0
    hours: Decimal = Decimal(0)
    hours_by_month: list[tuple[str, Decimal, int]] = field(default_factory=list)
    asks_open: int = 0
    asks_matched: int = 0
    offers_open: int = 0
    connections: int = 0
    asks_by_category: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def match_rate(self) -> int | None:
        """Open asks with at least one connection, as a whole percentage."""
        return round(100 * self.asks_matched / self.asks_open) if self.asks_open else None

    @property
    def is_empty(self) -> bool:
        return not (
            self.partners
            or self.pledges
            or self.opportunities
            or self.asks_open
            or self.offers_open
        )

    def chart_data(self) -> dict[str, Any]:
        """The data island for the charts: labels and series, nothing the tables do not show."""
        return {
            "sectors": {
                "integer": True,
                "labels": [label for label, _n in self.by_sector],
                "series": [{"label": _("Partners"), "data": [n for _l, n in self.by_sector]}],
            },
            "pledges": {
                "integer": True,
                "labels": [label for _k, label, _n in self.by_timeliness],
                "series": [
                    {"label": _("Pledges"), "data": [n for _k, _l, n in self.by_timeliness]}
                ],
            },
            "resources": {
                "labels": [_("Money"), _("In kind")],
                "series": [
                    {"label": _("Pledged (£)"), "data": [float(self.money), float(self.in_kind)]},
                    {
                        "label": _("Delivered (£)"),
                        "data": [float(self.money_delivered), float(self.in_kind_delivered)],
                    },
                ],
            },
            "hours": {
                "labels": [label for label, _h, _n in self.hours_by_month],
                "series": [
                    {
                        "label": _("Volunteer hours"),
                        "data": [float(h) for _l, h, _n in self.hours_by_month],
                    }
                ],
            },
            "asks": {
                "integer": True,
                "labels": [label for label, _o, _m in self.asks_by_category],
                "series": [
                    {"label": _("Open asks"), "data": [o for _l, o, _m in self.asks_by_category]},
                    {
                        "label": _("With a connection"),
                        "data": [m for _l, _o, m in self.asks_by_category],
                    },
                ],
            },
        }


def _place_family(place: Place) -> list[int]:
    """``place`` and the places inside it (two levels: a county's districts, a region's boroughs)."""
    ids = [place.pk]
    children = list(Place.objects.filter(parent=place).values_list("pk", flat=True))
    grandchildren = list(Place.objects.filter(parent__in=children).values_list("pk", flat=True))
    return ids + children + grandchildren


def mission_dashboard(mission: Mission) -> Dashboard:
    return _dashboard(Q(mission=mission), mission_ids=[mission.pk])


def place_dashboard(place: Place) -> Dashboard:
    """Everything for the public missions of ``place`` and the places inside it, and everything
    located there whatever its mission."""
    family = _place_family(place)
    mission_ids = list(
        Mission.objects.filter(status__in=Mission.PUBLIC_STATUSES, places__in=family)
        .values_list("pk", flat=True)
        .distinct()
    )
    return _dashboard(Q(mission_id__in=mission_ids), mission_ids=mission_ids, place_ids=family)


def _month_labels(today: dt.date, months: int = 12) -> list[tuple[dt.date, str]]:
    from mobilise.templating import date_format

    first = today.replace(day=1)
    result = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        start = dt.date(year, month + 1, 1)
        result.append((start, date_format(start, "M Y")))
    return result


def _dashboard(
    in_missions: Q, *, mission_ids: list[int], place_ids: list[int] | None = None
) -> Dashboard:
    public = Q(mission__status__in=Mission.PUBLIC_STATUSES)
    d = Dashboard()

    # Partners: organisations, each counted once however many of the missions they are in.
    organisations = Organisation.objects.filter(
        coalition_memberships__mission_id__in=mission_ids,
        coalition_memberships__status=CoalitionMember.Status.ACCEPTED,
        coalition_memberships__mission__status__in=Mission.PUBLIC_STATUSES,
    ).distinct()
    sectors = Counter(sector for _pk, sector in set(organisations.values_list("pk", "sector")))
    d.by_sector = [
        (str(label), sectors[value]) for value, label in Sector.choices if sectors.get(value)
    ]
    d.partners = sum(n for _l, n in d.by_sector)

    located = Q(places__in=place_ids) if place_ids is not None else Q()
    pledge_filter = (in_missions | located) if place_ids is not None else in_missions
    pledges = list(
        Pledge.objects.filter(public)
        .filter(pledge_filter)
        .distinct()
        .only(
            "pk",
            "quantity",
            "delivered",
            "due_date",
            "fulfilled_on",
            "created_at",
            "money_value",
            "in_kind_value",
            "flagged_at",
        )
    )
    today = _today()
    counts = Counter(p.timeliness(today) for p in pledges)
    d.pledges = len(pledges)
    d.by_timeliness = [
        (value, str(label), counts.get(value, 0)) for value, label in Timeliness.choices
    ]
    d.fulfilled = counts[Timeliness.ON_TIME] + counts[Timeliness.LATE]
    d.on_time = counts[Timeliness.ON_TIME] + counts[Timeliness.ON_TRACK]
    d.flagged = sum(1 for p in pledges if p.flagged_at)
    for p in pledges:
        share = Decimal(str(p.share_delivered))
        d.money += p.money_value or 0
        d.in_kind += p.in_kind_value or 0
        d.money_delivered += (p.money_value or 0) * share
        d.in_kind_delivered += (p.in_kind_value or 0) * share
    d.money_delivered = d.money_delivered.quantize(Decimal("1"))
    d.in_kind_delivered = d.in_kind_delivered.quantize(Decimal("1"))

    where = in_missions | Q(place_id__in=place_ids) if place_ids is not None else in_missions
    # Each block below is one query: the dashboard sits on every mission page.
    opportunities = Opportunity.objects.filter(public).filter(where)
    counts = opportunities.aggregate(
        opportunities=Count("pk", distinct=True), sessions=Count("sessions", distinct=True)
    )
    d.opportunities, d.sessions = counts["opportunities"], counts["sessions"]

    tz = timezone.get_current_timezone()
    months = _month_labels(today)
    edges = [dt.datetime.combine(start, dt.time(), tzinfo=tz) for start, _label in months]
    edges.append(dt.datetime.combine(_next_month(months[-1][0]), dt.time(), tzinfo=tz))
    attended = Q(attended=True)
    per_month: dict[str, Any] = {}
    for n, (start, end) in enumerate(zip(edges, edges[1:], strict=False)):
        in_month = attended & Q(session__starts_at__gte=start, session__starts_at__lt=end)
        per_month[f"hours_{n}"] = Sum("hours", filter=in_month)
        per_month[f"people_{n}"] = Count("pk", filter=in_month)
    totals = SignUp.objects.filter(session__opportunity__in=opportunities).aggregate(
        confirmed=Count("pk", filter=Q(status=SignUp.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=SignUp.Status.WAITING)),
        people=Count("person", filter=Q(status=SignUp.Status.CONFIRMED), distinct=True),
        total_hours=Sum("hours", filter=attended),
        **per_month,
    )
    d.sign_ups, d.waiting, d.volunteers = totals["confirmed"], totals["waiting"], totals["people"]
    d.hours = totals["total_hours"] or Decimal(0)
    d.hours_by_month = [
        (label, totals[f"hours_{n}"] or Decimal(0), totals[f"people_{n}"])
        for n, (_start, label) in enumerate(months)
    ]

    # Every ask in scope, open or closed, with its connections: open ones by kind, and all the
    # connections made.
    asks = (
        Ask.objects.filter(public)
        .filter(where)
        .annotate(connected=Count("matches", filter=Q(matches__status=Match.Status.CONNECTED)))
        .values_list("category", "status", "connected")
    )
    by_category: dict[str, list[int]] = {}
    for category, status, connected in asks:
        d.connections += connected
        if status == ListingStatus.OPEN:
            row = by_category.setdefault(category, [0, 0])
            row[0] += 1
            row[1] += int(connected > 0)
    d.asks_by_category = [
        (str(label), *by_category[value])
        for value, label in Category.choices
        if value in by_category
    ]
    d.asks_open = sum(o for _l, o, _m in d.asks_by_category)
    d.asks_matched = sum(m for _l, _o, m in d.asks_by_category)
    d.offers_open = Offer.objects.filter(public).filter(where, status=ListingStatus.OPEN).count()
    return d


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


# --- CSV exports ---------------------------------------------------------------------------------


def pledge_rows(mission: Mission) -> Iterable[list[Any]]:
    today = _today()
    labels = dict(Timeliness.choices)
    for pledge in mission_pledges(mission):
        yield [
            pledge.pk,
            pledge.organisation.name if pledge.organisation else _("A resident"),
            pledge.organisation.get_sector_display() if pledge.organisation else "",
            pledge.title,
            pledge.outcome.title if pledge.outcome else "",
            pledge.toc_node.title if pledge.toc_node else "",
            "; ".join(p.code for p in pledge.places.all()),
            pledge.quantity,
            pledge.unit,
            pledge.due_date.isoformat(),
            pledge.money_value if pledge.money_value is not None else "",
            pledge.in_kind_value if pledge.in_kind_value is not None else "",
            pledge.delivered,
            round(pledge.share_delivered * 100),
            pledge.fulfilled_on.isoformat() if pledge.fulfilled_on else "",
            str(labels[pledge.timeliness(today)]),
            pledge.created_at.date().isoformat(),
        ]


def opportunity_rows(mission: Mission) -> Iterable[list[Any]]:
    opportunities = (
        Opportunity.objects.filter(mission=mission)
        .select_related("organisation", "place")
        .defer(*(f"place__{f}" for f in _HEAVY))
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.annotate(
                    waiting=Count("sign_ups", filter=Q(sign_ups__status=SignUp.Status.WAITING)),
                    attended=Count("sign_ups", filter=Q(sign_ups__attended=True)),
                    hours_given=Sum("sign_ups__hours", filter=Q(sign_ups__attended=True)),
                ).order_by("starts_at", "id"),
            )
        )
        .order_by("role", "id")
    )
    for opportunity in opportunities:
        for session in opportunity.sessions.all():
            yield [
                opportunity.pk,
                opportunity.role,
                opportunity.organisation.name,
                opportunity.place.code,
                opportunity.location,
                opportunity.get_status_display(),
                "yes" if opportunity.dbs_check_required else "no",
                opportunity.minimum_age if opportunity.minimum_age is not None else "",
                session.pk,
                timezone.localtime(session.starts_at).isoformat(),
                timezone.localtime(session.ends_at).isoformat(),
                session.capacity,
                session.confirmed_count,
                session.waiting,
                session.attended,
                session.hours_given or 0,
            ]
