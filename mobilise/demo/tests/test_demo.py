import pytest

from mobilise.demo import content
from mobilise.demo.services import demo_build
from mobilise.missions.models import Mission, TheoryOfChangeLink

pytestmark = pytest.mark.django_db


def test_demo_builds_the_national_missions_and_the_borough_and_is_repeatable(client):
    first = demo_build()
    counts = (Mission.objects.count(), TheoryOfChangeLink.objects.count())
    second = demo_build()
    assert (Mission.objects.count(), TheoryOfChangeLink.objects.count()) == counts
    assert first.places == second.places

    assert Mission.objects.filter(scope="national", status="active").count() == 5
    local = Mission.objects.filter(scope="local", owner__slug="camden-council")
    assert local.count() == 3
    # Every borough mission contributes to a national one and is scoped to Camden.
    for mission in local:
        assert mission.contributes_to is not None and mission.contributes_to.scope == "national"
        assert [p.code for p in mission.places.all()] == [content.BOROUGH_CODE]
        assert mission.outcomes.exists() and mission.toc_links.exists()


def test_demo_logins_in_the_readme_work(client):
    demo_build()
    response = client.post(
        "/account/login/", {"login": "lead@camden.example", "password": content.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/account/dashboard/").status_code == 200


def test_the_demo_clean_air_conversation_has_enough_for_journey_2(client):
    from mobilise.deliberation.models import Conversation, Statement
    from mobilise.demo.deliberation import CLEAN_AIR_QUESTION

    demo_build()
    conversation = Conversation.objects.get(question=CLEAN_AIR_QUESTION)
    assert conversation.statements.filter(status=Statement.Status.ACCEPTED).count() > 20
    html = " ".join(
        client.get(f"/conversations/{conversation.pk}/results/").content.decode().split()
    )
    assert "What group A thinks" in html and "What group B thinks" in html
    assert "of the 60 people who voted" in html or "All 60 people who voted" in html
