"""Every page of ours, who may see it, and a small world of objects to fill in its address.

Shared by the permission sweep (tests/system) and the accessibility sweep (tests/browser).
A new URL pattern must be added to one of the three sets below, or — for the apps in
``APP_CATALOGUES`` — to the same sets in that app's ``tests/catalogue.py``, which also adds the
objects its pages need to the world (``build``) and fills its URL parameters (``url_values``).
"""

from importlib import import_module

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mobilise.accounts.models import Membership
from mobilise.accounts.tests.factories import MembershipFactory, OrganisationFactory, mission_lead
from mobilise.coalition.tests import factories as coalition
from mobilise.indicators.services import link_places
from mobilise.indicators.tests.factories import IndicatorFactory, SeriesFactory, TargetFactory
from mobilise.missions.tests.factories import LinkFactory, MissionFactory, OutcomeFactory
from mobilise.places.models import Place, PlaceMember
from mobilise.places.tests.factories import PlaceFactory, square_bbox, square_boundary

APP_CATALOGUES = {
    app: import_module(f"mobilise.{app}.tests.catalogue")
    for app in ("deliberation", "budgeting", "learning", "assurance")
}
OUR_NAMESPACES = {
    "core",
    "places",
    "accounts",
    "missions",
    "indicators",
    "coalition",
    *APP_CATALOGUES,
}

# Anyone may read these.
PUBLIC = {
    "home",
    "core:accessibility",
    "core:privacy",
    "core:cookies",
    "core:data_sources",
    "core:healthz",
    "places:index",
    "places:detail",
    "accounts:organisation_index",
    "accounts:organisation_detail",
    "missions:index",
    "missions:detail",
    "missions:outcome_detail",
    "indicators:index",
    "indicators:detail",
    "indicators:data_csv",
    "indicators:map",
    "indicators:boundaries",
    "indicators:place",
    "coalition:index",
    "coalition:place_dashboard",
    "coalition:mission",
    "coalition:dashboard",
    "coalition:pledges_csv",
    "coalition:opportunities_csv",
    "coalition:pledge_detail",
    "coalition:ask_detail",
    "coalition:offer_detail",
    "coalition:opportunity_index",
    "coalition:opportunity_detail",
    "coalition:session_detail",
    "coalition:session_calendar",
}
# Signed-in people only; anyone signed in may use them.
SIGNED_IN = {
    "accounts:dashboard",
    "accounts:profile_edit",
    # People's rights over their data: their own download only (no id in the address), and the
    # page to delete their own account.
    "accounts:your_data",
    "accounts:data_export_download",
    "accounts:account_delete",
    "accounts:organisation_create",
    # Anyone signed in may ask to join (the page explains who can), pledge or offer as a
    # resident, sign up to volunteer, and see their own coalition work.
    "coalition:join",
    "coalition:pledge_create",
    "coalition:offer_create",
    "coalition:signup_create",
    "coalition:mine",
}
# Signed-in people with a right over the object; a resident with no role gets 403.
PROTECTED = {
    "accounts:organisation_edit",
    "accounts:organisation_members",
    "accounts:membership_change",
    "accounts:membership_remove",
    "missions:create",
    "missions:edit",
    "missions:adopt",
    "missions:outcome_create",
    "missions:outcome_edit",
    "missions:outcome_delete",
    "missions:toc_manage",
    "missions:node_create",
    "missions:node_edit",
    "missions:node_delete",
    "missions:link_create",
    "missions:link_edit",
    "missions:link_delete",
    "indicators:import",
    "indicators:target_edit",
    "indicators:target_delete",
    "indicators:link_create",
    "indicators:link_delete",
    "indicators:link_target",
    "indicators:unlink_indicator",
    "coalition:members",
    "coalition:matches",
    "coalition:pledge_offer",
    "coalition:member_decide",
    "coalition:pledge_progress",
    "coalition:pledge_flag",
    "coalition:ask_create",
    "coalition:ask_close",
    "coalition:offer_close",
    "coalition:match_create",
    "coalition:match_detail",
    "coalition:opportunity_create",
    "coalition:opportunity_edit",
    "coalition:session_create",
    "coalition:session_edit",
    "coalition:session_attendance",
    "coalition:signup_cancel",
}

for _catalogue in APP_CATALOGUES.values():
    PUBLIC |= _catalogue.PUBLIC
    SIGNED_IN |= _catalogue.SIGNED_IN
    PROTECTED |= _catalogue.PROTECTED


def our_patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in OUR_NAMESPACES or (ns is None and entry.urlconf_name.__class__ is list):
                yield from our_patterns(entry, ns)
            elif ns is None and getattr(entry.urlconf_module, "__name__", "").startswith(
                "mobilise."
            ):
                yield from our_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if namespace in OUR_NAMESPACES or name == "home":
                yield name, entry


def build_world() -> dict:
    place = PlaceFactory(code="E09000007", name="Camden")
    organisation = OrganisationFactory(home_place=place)
    admin_membership = MembershipFactory(organisation=organisation, role="admin")
    mission = MissionFactory(owner=organisation)
    mission.places.add(place)
    outcome = OutcomeFactory(mission=mission)
    link = LinkFactory(mission=mission)
    # The lead also runs the organisation, so one person can open every page.
    lead = mission_lead(organisation)
    Membership.objects.filter(user=lead, organisation=organisation).update(role="admin")

    # The coalition: a request waiting for the lead's decision; the lead's organisation (which
    # runs the mission) pledges, asks and organises volunteering; another organisation offers.
    applicant = coalition.CoalitionMemberFactory(mission=mission, status="pending", decided_at=None)
    offerer = OrganisationFactory(home_place=place)
    pledge = coalition.PledgeFactory(mission=mission, organisation=organisation)
    ask = coalition.AskFactory(mission=mission, organisation=organisation, place=place)
    offer = coalition.OfferFactory(mission=mission, organisation=offerer, place=place)
    # Matched with a second offer, so the first can still be matched (match_create shows a form).
    match = coalition.MatchFactory(
        ask=ask, offer=coalition.OfferFactory(mission=mission, organisation=offerer, place=place)
    )
    opportunity = coalition.OpportunityFactory(
        mission=mission, organisation=organisation, place=place
    )
    session = coalition.SessionFactory(opportunity=opportunity)
    # The lead has a place on another session (on the first, sign-up shows its form).
    booked = coalition.SessionFactory(opportunity=opportunity, confirmed_count=1)
    sign_up = coalition.SignUpFactory(session=booked, person=lead)
    # An indicator measuring the outcome, with a target in the place (for the target pages).
    indicator = IndicatorFactory(code="pm25")
    indicator_link = link_places(outcome=outcome, indicator=indicator, places=[place])[0]
    TargetFactory(series=SeriesFactory(indicator=indicator), place=place)
    # A national mission, which a lead may adopt for their place.
    national = MissionFactory(scope="national")
    # Places of the other levels, whose pages show members instead of districts: an ITL 3 area
    # and a combined authority with Camden as a member.
    itl_area = PlaceFactory(
        code="TLI31-25",
        ons_code="TLI31",
        vintage=2025,
        valid_from=2025,
        name="Camden and City of London",
        kind=Place.Kind.ITL3,
        boundary=square_boundary(-0.2, 51.5),
        bbox=square_bbox(-0.2, 51.5),
    )
    combined = PlaceFactory(
        code="E61000001", name="Greater London Authority", kind=Place.Kind.COMBINED
    )
    for area in (itl_area, combined):
        PlaceMember.objects.create(area=area, member=place)
    world = {
        "itl_area": itl_area,
        "combined": combined,
        "national": national,
        "indicator_link": indicator_link,
        "indicator": indicator,
        "place": place,
        "organisation": organisation,
        "membership": admin_membership,
        "mission": mission,
        "outcome": outcome,
        "link": link,
        "lead": lead,
        "applicant": applicant,
        "pledge": pledge,
        "ask": ask,
        "offer": offer,
        "match": match,
        "opportunity": opportunity,
        "session": session,
        "sign_up": sign_up,
    }
    for catalogue in APP_CATALOGUES.values():
        world.update(catalogue.build(world))
    return world


def url_for(name: str, pattern: URLPattern, world) -> str:
    app = name.split(":")[0]
    values = {
        "code": world["indicator"].code if app == "indicators" else world["place"].code,
        "place_code": world["place"].code,
        "level": "la",
        "slug": world["organisation"].slug if app == "accounts" else world["mission"].slug,
        "outcome_slug": world["outcome"].slug,
        "node_id": world["link"].source_id,
        "link_id": world["link"].pk,
        "membership_id": world["membership"].pk,
        "member_id": world["applicant"].pk,
        "pledge_id": world["pledge"].pk,
        "ask_id": world["ask"].pk,
        "offer_id": world["offer"].pk,
        "match_id": world["match"].pk,
        "opportunity_id": world["opportunity"].pk,
        "session_id": world["session"].pk,
        "sign_up_id": world["sign_up"].pk,
        # Asks and offers share their views: the URL's name says which.
        "listing_id": world["ask"].pk if name.startswith("coalition:ask_") else world["offer"].pk,
    }
    if name == "missions:adopt":
        values["slug"] = world["national"].slug
    if name in ("indicators:link_delete", "indicators:link_target"):
        values["link_id"] = world["indicator_link"].pk
    if app in APP_CATALOGUES:
        values.update(APP_CATALOGUES[app].url_values(world))
    kwargs = {key: values[key] for key in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def example_urls(world) -> list[tuple[str, str]]:
    """More addresses of public patterns whose pages differ by the kind of object shown."""
    return [
        ("places:detail", reverse("places:detail", args=[world["itl_area"].code])),
        ("places:detail", reverse("places:detail", args=[world["combined"].code])),
        ("places:index", reverse("places:index") + "?q=Camden"),
    ]
