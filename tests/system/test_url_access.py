"""Deny by default: every page of ours is either listed as public, or refuses anonymous visitors
and people without rights. A new URL pattern fails this test until someone decides which it is
(tests/url_catalogue.py). After Zulip's URL coverage and consult's permission sweep.
"""

import pytest

from mobilise.accounts.tests.factories import UserFactory
from tests.url_catalogue import (
    PROTECTED,
    PUBLIC,
    SIGNED_IN,
    build_world,
    example_urls,
    our_patterns,
    url_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_every_url_is_classified():
    names = {name for name, _ in our_patterns()}
    unclassified = names - PUBLIC - SIGNED_IN - PROTECTED
    assert not unclassified, (
        f"Decide who may use these pages and list them here: {sorted(unclassified)}"
    )
    assert not (PUBLIC | SIGNED_IN | PROTECTED) - names, "Listed pages that no longer exist"


def test_anonymous_visitors_reach_public_pages_and_are_sent_to_sign_in_elsewhere(client, world):
    for name, pattern in our_patterns():
        url = url_for(name, pattern, world)
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


def test_public_examples_of_other_kinds_render(client, world):
    # An ITL area and a combined authority: their pages show members, not districts.
    for name, url in example_urls(world):
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert name in PUBLIC


def test_people_without_rights_get_403_on_protected_pages(client, world):
    client.force_login(UserFactory(roles=["resident"]))
    for name, pattern in our_patterns():
        url = url_for(name, pattern, world)
        if name in PROTECTED:
            assert client.get(url).status_code == 403, (name, url)
            assert client.post(url, {}).status_code == 403, (name, url)
        elif name in SIGNED_IN:
            assert client.get(url).status_code == 200, (name, url)


def test_the_owning_mission_lead_reaches_every_mission_page(client, world):
    client.force_login(world["lead"])
    for name, pattern in our_patterns():
        if name.startswith("missions:"):
            url = url_for(name, pattern, world)
            assert client.get(url).status_code == 200, (name, url)


@pytest.mark.parametrize("who", ["lead", "platform admin"])
def test_every_page_renders_for_the_people_with_most_rights(client, world, who):
    """Every catalogued page in the view of the people who see most of it (their buttons, forms
    and management sections), rendered under StrictUndefined: a template that reads a value it was
    not given raises here rather than printing nothing (or debug text) to them."""
    user = world["lead"] if who == "lead" else UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    for name, pattern in our_patterns():
        url = url_for(name, pattern, world)
        status = client.get(url).status_code
        assert status < 500, (name, url, status)
