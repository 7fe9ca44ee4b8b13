"""Deny by default: every page of ours is either listed as public here, or refuses anonymous visitors
and people without rights. A new URL pattern fails this test until someone decides which it is.
(After Zulip's URL coverage and consult's permission sweep.)
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mobilise.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    mission_lead,
)
from mobilise.missions.tests.factories import LinkFactory, MissionFactory, OutcomeFactory
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

OUR_NAMESPACES = {"core", "places", "accounts", "missions", "indicators"}

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
}
# Signed-in people only; anyone signed in may use them.
SIGNED_IN = {"accounts:dashboard", "accounts:profile_edit", "accounts:organisation_create"}
# Signed-in people with a right over the object; a resident with no role gets 403.
PROTECTED = {
    "accounts:organisation_edit",
    "accounts:organisation_members",
    "accounts:membership_change",
    "accounts:membership_remove",
    "missions:create",
    "missions:edit",
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
}


def _our_patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in OUR_NAMESPACES or (ns is None and entry.urlconf_name.__class__ is list):
                yield from _our_patterns(entry, ns)
            elif ns is None and getattr(entry.urlconf_module, "__name__", "").startswith(
                "mobilise."
            ):
                yield from _our_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if namespace in OUR_NAMESPACES or name == "home":
                yield name, entry


@pytest.fixture
def world():
    place = PlaceFactory(code="E09000007", name="Camden")
    organisation = OrganisationFactory(home_place=place)
    admin_membership = MembershipFactory(organisation=organisation, role="admin")
    mission = MissionFactory(owner=organisation)
    mission.places.add(place)
    outcome = OutcomeFactory(mission=mission)
    link = LinkFactory(mission=mission)
    return {
        "place": place,
        "organisation": organisation,
        "membership": admin_membership,
        "mission": mission,
        "outcome": outcome,
        "link": link,
        "lead": mission_lead(organisation),
    }


def _url(name: str, pattern: URLPattern, world) -> str:
    app = name.split(":")[0]
    values = {
        "code": world["place"].code,
        "slug": world["organisation"].slug if app == "accounts" else world["mission"].slug,
        "outcome_slug": world["outcome"].slug,
        "node_id": world["link"].source_id,
        "link_id": world["link"].pk,
        "membership_id": world["membership"].pk,
    }
    kwargs = {key: values[key] for key in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def test_every_url_is_classified():
    names = {name for name, _ in _our_patterns()}
    unclassified = names - PUBLIC - SIGNED_IN - PROTECTED
    assert not unclassified, (
        f"Decide who may use these pages and list them here: {sorted(unclassified)}"
    )
    assert not (PUBLIC | SIGNED_IN | PROTECTED) - names, "Listed pages that no longer exist"


def test_anonymous_visitors_reach_public_pages_and_are_sent_to_sign_in_elsewhere(client, world):
    for name, pattern in _our_patterns():
        url = _url(name, pattern, world)
        response = client.get(url)
        if name in PUBLIC:
            assert response.status_code == 200, (name, url, response.status_code)
        else:
            assert response.status_code == 302 and "/account/login/" in response["Location"], (
                name,
                url,
            )
            # Writing anonymously never works either.
            assert client.post(url, {}).status_code in (302, 403), (name, url)


def test_people_without_rights_get_403_on_protected_pages(client, world):
    client.force_login(UserFactory(roles=["resident"]))
    for name, pattern in _our_patterns():
        url = _url(name, pattern, world)
        if name in PROTECTED:
            assert client.get(url).status_code == 403, (name, url)
            assert client.post(url, {}).status_code == 403, (name, url)
        elif name in SIGNED_IN:
            assert client.get(url).status_code == 200, (name, url)


def test_the_owning_mission_lead_reaches_every_mission_page(client, world):
    client.force_login(world["lead"])
    for name, pattern in _our_patterns():
        if name.startswith("missions:"):
            url = _url(name, pattern, world)
            assert client.get(url).status_code == 200, (name, url)
