"""The demo coalitions: believable, consistent with the database's rules, and repeatable."""

import pytest
from django.db.models import Count, Q

from mobilise.coalition.models import Ask, CoalitionMember, Match, Pledge, Session, SignUp
from mobilise.coalition.selectors import mission_dashboard, place_dashboard
from mobilise.demo import content
from mobilise.demo.coalition import demo_coalition
from mobilise.demo.services import demo_build
from mobilise.places.models import Place

pytestmark = pytest.mark.django_db


def test_demo_coalitions_are_believable_and_repeatable(client):
    demo_build()
    first = demo_coalition()
    counts = [m.objects.count() for m in (CoalitionMember, Pledge, Match, Session, SignUp)]
    second = demo_coalition()
    assert [m.objects.count() for m in (CoalitionMember, Pledge, Match, Session, SignUp)] == counts
    assert first == second

    assert first.organisations >= 30
    sectors = set(
        CoalitionMember.objects.filter(status="accepted").values_list(
            "organisation__sector", flat=True
        )
    )
    assert len(sectors) == 7  # every sector is in some coalition
    assert Pledge.objects.filter(updates__isnull=False).distinct().count() == Pledge.objects.count()
    assert Match.objects.filter(status="connected").exists()

    # Every session's count matches its confirmed sign-ups and stays within capacity.
    sessions = Session.objects.annotate(
        confirmed=Count("sign_ups", filter=Q(sign_ups__status="confirmed"))
    )
    assert all(s.confirmed == s.confirmed_count <= s.capacity for s in sessions)
    assert SignUp.objects.filter(status="waiting").exists()

    clean_air = mission_dashboard(
        Pledge.objects.filter(mission__slug="camden-clean-air").first().mission
    )
    assert clean_air.partners >= 10 and clean_air.hours > 0 and clean_air.asks_open > 0
    assert {key for key, _label, n in clean_air.by_timeliness if n} >= {
        "on_time",
        "on_track",
        "overdue",
    }
    borough = place_dashboard(Place.objects.get(code=content.BOROUGH_CODE))
    assert borough.pledges >= clean_air.pledges and borough.partners > clean_air.partners


def test_the_demo_journeys_are_open(client):
    """What the README promises: a partner can join a coalition and pledge, the lead can match
    the room, a resident can sign up near home."""
    demo_build()
    demo_coalition()
    client.post(
        "/account/login/", {"login": "partner@traders.example", "password": content.DEMO_PASSWORD}
    )
    assert (
        "Kentish Town Traders"
        in client.get("/coalition/missions/camden-healthy-lives/join/").content.decode()
    )
    assert (
        "Kentish Town Traders"
        in client.get("/coalition/missions/camden-clean-air/pledges/new/").content.decode()
    )
    pledge = Pledge.objects.get(title="200 hours of staff volunteering")
    assert client.get(f"/coalition/pledges/{pledge.pk}/progress/").status_code == 200

    client.logout()
    client.post(
        "/account/login/", {"login": "lead@camden.example", "password": content.DEMO_PASSWORD}
    )
    ask = Ask.objects.get(title__startswith="A meeting room for monthly")
    assert (
        "Meeting room above the Kentish Town Road shops"
        in client.get(ask.get_absolute_url()).content.decode()
    )
    # The room is offered from its pledge, and the lead's dashboard lists what waits for her.
    room = Pledge.objects.get(title="A meeting room one day a week")
    assert "Offered in the exchange" in client.get(room.get_absolute_url()).content.decode()
    dashboard = client.get("/account/dashboard/").content.decode()
    assert "Waiting for you" in dashboard and "request to join" in dashboard

    client.logout()
    client.post(
        "/account/login/", {"login": "resident@example.org", "password": content.DEMO_PASSWORD}
    )
    html = client.get("/coalition/volunteering/").content.decode()
    assert "Volunteer near Camden" in html and "Litter pick and tree watering" in html
    assert "hours you have given" in client.get("/coalition/mine/").content.decode()
