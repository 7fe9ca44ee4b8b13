"""The pages without JavaScript: vote, add a statement, moderate, read results, export."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from mobilise.accounts.tests.factories import UserFactory
from mobilise.deliberation import polis, ratelimits
from mobilise.deliberation.models import Participant, Statement, Vote
from mobilise.deliberation.tasks import recompute_analysis
from mobilise.deliberation.views import COOKIE
from mobilise.engines.opinion import read_polis_export

pytestmark = pytest.mark.django_db

SEATTLE = Path(settings.BASE_DIR) / "data" / "polis" / "15-per-hour-seattle"


def _shown_statement(response) -> Statement:
    """The statement on the card, as a person sees it (Jinja pages have no test context)."""
    found = re.search(r'name="statement" value="(\d+)"', response.content.decode())
    assert found, "no statement to vote on"
    return Statement.objects.get(pk=int(found.group(1)))


def test_an_anonymous_visitor_votes_through_plain_forms(client, conversation):
    url = conversation.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200
    first = _shown_statement(page)
    assert first.text in page.content.decode()
    assert "You have voted on 0 of 8 statements" in page.content.decode()
    assert COOKIE not in page.cookies  # nobody is tracked just for looking

    response = client.post(url, {"statement": first.pk, "vote": "1"})
    assert response.status_code == 303 and response["Location"].endswith("#vote")
    assert COOKIE in response.cookies and response.cookies[COOKIE]["httponly"]

    page = client.get(url)
    second = _shown_statement(page)
    assert second != first
    assert "You have voted on 1 of 8 statements" in page.content.decode()
    participant = Participant.objects.get(conversation=conversation)
    assert participant.user is None and participant.key
    assert Vote.objects.get(participant=participant).value == 1

    # Changing one's mind: the same statement again replaces the vote.
    client.post(url, {"statement": first.pk, "vote": "-1"})
    assert list(Vote.objects.filter(statement=first).values_list("value", flat=True)) == [-1]


def test_voting_on_everything_ends_with_a_way_to_the_results(client, conversation):
    url = conversation.get_absolute_url()
    for _ in range(8):
        statement = _shown_statement(client.get(url))
        client.post(url, {"statement": statement.pk, "vote": "0"})
    page = client.get(url).content.decode()
    assert "You have voted on every statement" in page
    assert Vote.objects.count() == 8


def test_signed_in_people_vote_as_themselves(client, conversation, lead):
    client.force_login(lead)
    statement = conversation.statements.first()
    client.post(conversation.get_absolute_url(), {"statement": statement.pk, "vote": "1"})
    assert Participant.objects.get(conversation=conversation).user == lead


def test_a_bad_vote_shows_an_error_not_a_crash(client, conversation):
    response = client.post(conversation.get_absolute_url(), {"statement": "999999", "vote": "1"})
    assert response.status_code == 400
    assert "That statement is not open for voting" in response.content.decode()


def test_htmx_gets_the_next_card_only(client, conversation):
    statement = conversation.statements.first()
    response = client.post(
        conversation.get_absolute_url(),
        {"statement": statement.pk, "vote": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="vote"')
    assert "You have voted on 1 of 8 statements" in html


def test_the_json_vote_endpoint(client, conversation):
    url = f"/conversations/{conversation.pk}/votes.json"
    nxt = client.get(url).json()
    assert nxt["total"] == 8 and nxt["statement"]["id"]
    response = client.post(
        url, {"statement": nxt["statement"]["id"], "vote": 1}, content_type="application/json"
    )
    assert response.json() == {"ok": True}
    assert client.get(url).json()["voted"] == 1
    assert client.post(url, {"statement": nxt["statement"]["id"], "vote": 5}).status_code == 400


def test_floods_of_votes_get_the_429_page(client, conversation, monkeypatch):
    monkeypatch.setattr(ratelimits, "VOTES_PER_PARTICIPANT", ratelimits.Limit("vote", 3, 60))
    statements = list(conversation.statements.all())
    codes = [
        client.post(conversation.get_absolute_url(), {"statement": s.pk, "vote": "1"}).status_code
        for s in statements[:4]
    ]
    assert codes == [303, 303, 303, 429]
    response = client.post(
        conversation.get_absolute_url(), {"statement": statements[5].pk, "vote": "1"}
    )
    assert "too many times" in response.content.decode()
    assert Vote.objects.count() == 3


def test_too_many_new_participants_from_one_address(client, conversation, monkeypatch):
    monkeypatch.setattr(
        ratelimits, "NEW_PARTICIPANTS_PER_ADDRESS", ratelimits.Limit("new-participant", 2, 60)
    )
    statement = conversation.statements.first()
    codes = []
    for _ in range(3):
        client.cookies.clear()
        codes.append(
            client.post(
                conversation.get_absolute_url(), {"statement": statement.pk, "vote": "1"}
            ).status_code
        )
    assert codes == [303, 303, 429]


def test_adding_a_statement_under_pre_moderation(client, conversation, lead):
    url = f"/conversations/{conversation.pk}/statements/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Plant more street trees"}, follow=True)
    assert "sent to the mission team" in response.content.decode()
    statement = Statement.objects.get(text="Plant more street trees")
    assert statement.status == "pending" and statement.participant.key

    response = client.post(url, {"text": "plant more STREET trees."})
    assert response.status_code == 400
    assert "Someone has already added this statement" in response.content.decode()
    response = client.post(url, {"text": "word " * 40})
    assert "140 characters or fewer" in response.content.decode()

    # The lead moderates: accept it, and it joins the statements to vote on.
    client.force_login(lead)
    queue = client.get(f"/conversations/{conversation.pk}/moderate/")
    assert "Plant more street trees" in queue.content.decode()
    client.post(
        f"/conversations/{conversation.pk}/moderate/",
        {"action": "accept", "statement": statement.pk},
    )
    statement.refresh_from_db()
    assert statement.status == "accepted"


def test_hiding_a_participant_from_the_queue(client, conversation, lead):
    client.post(f"/conversations/{conversation.pk}/statements/new/", {"text": "Buy my product"})
    author = Participant.objects.get(conversation=conversation)
    client.force_login(lead)
    response = client.post(
        f"/conversations/{conversation.pk}/moderate/",
        {"action": "hide", "participant": author.pk},
        follow=True,
    )
    assert "their votes no longer count" in response.content.decode()
    author.refresh_from_db()
    assert author.hidden
    assert Statement.objects.get(text="Buy my product").status == "rejected"


def test_only_the_missions_leads_moderate_and_export(client, conversation):
    client.force_login(UserFactory(roles=["resident"]))
    assert client.get(f"/conversations/{conversation.pk}/moderate/").status_code == 403
    assert client.get(f"/conversations/{conversation.pk}/export.zip").status_code == 403


def test_results_of_a_real_polis_conversation_and_its_export(client, mission, lead):
    conversation = polis.conversation_import(
        folder=SEATTLE, mission=mission, question="$15 an hour?", attribution="CC BY 4.0 Pol.is"
    )
    assert Vote.objects.filter(statement__conversation=conversation).count() == 2870
    results = client.get(f"/conversations/{conversation.pk}/results/")
    html = results.content.decode()
    assert "Recalculating" in html  # votes but no analysis yet

    recompute_analysis.call(conversation_id=conversation.pk)
    html = client.get(f"/conversations/{conversation.pk}/results/").content.decode()
    assert "Recalculating" not in html
    assert "What group A thinks" in html and "What group B thinks" in html
    assert "Group A: " in html and "% agree" in html
    assert '<svg class="mobilise-opinion-map__chart"' in html
    assert "The opinion map as a table" in html
    assert "CC BY 4.0 Pol.is" in html
    assert "Download the votes" not in html  # leads only

    client.force_login(lead)
    response = client.get(f"/conversations/{conversation.pk}/export.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"comments.csv", "votes.csv", "participants-votes.csv"} <= set(archive.namelist())


def test_the_export_reads_back_with_the_same_votes(client, conversation, lead, tmp_path):
    url = conversation.get_absolute_url()
    for n in range(3):
        client.cookies.clear()
        for statement in conversation.statements.all()[: 4 + n]:
            client.post(url, {"statement": statement.pk, "vote": str(1 - n)})
    client.force_login(lead)
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/conversations/{conversation.pk}/export.zip").content)
    )
    archive.extractall(tmp_path)
    export = read_polis_export(tmp_path)
    assert export.votes.nnz == Vote.objects.count() == 4 + 5 + 6
    assert sorted(export.votes.values.tolist()) == sorted(
        Vote.objects.values_list("value", flat=True)
    )


def test_mission_page_lists_its_conversations_and_index_lists_open_ones(client, conversation, lead):
    page = client.get(conversation.mission.get_absolute_url()).content.decode()
    assert conversation.question in page
    assert "Open a conversation" not in page
    assert conversation.question in client.get("/conversations/").content.decode()
    client.force_login(lead)
    assert (
        "Open a conversation"
        in client.get(conversation.mission.get_absolute_url()).content.decode()
    )


def test_a_lead_opens_a_conversation(client, mission, lead):
    client.force_login(lead)
    url = f"/conversations/missions/{mission.slug}/new/"
    response = client.post(url, {"question": "", "moderation": "pre"})
    assert "Enter the question" in response.content.decode()
    response = client.post(
        url,
        {
            "question": "What would help you be more active?",
            "moderation": "post",
            "seed_statements": "Free classes in parks\nCheaper leisure centres\n",
        },
        follow=True,
    )
    assert "Conversation opened" in response.content.decode()
    assert (
        "Free classes in parks" in response.content.decode()
        or "Cheaper leisure centres" in response.content.decode()
    )


def test_mission_evidence_reports_participation(client, conversation):
    from mobilise.core.sections import mission_evidence

    url = conversation.get_absolute_url()
    statement = conversation.statements.first()
    client.post(url, {"statement": statement.pk, "vote": "1"})
    evidence = {e.key: e for e in mission_evidence.collect(conversation.mission)}["deliberation"]
    figures = dict(evidence.figures)
    assert figures["People taking part"] == "1" and figures["Votes"] == "1"
    assert evidence.link == f"/conversations/{conversation.pk}/results/"


def test_htmx_shows_problems_on_the_card(client, conversation, monkeypatch):
    monkeypatch.setattr(ratelimits, "VOTES_PER_PARTICIPANT", ratelimits.Limit("vote", 1, 60))
    statements = list(conversation.statements.all())
    url = conversation.get_absolute_url()
    client.post(url, {"statement": statements[0].pk, "vote": "1"}, HTTP_HX_REQUEST="true")
    response = client.post(
        url, {"statement": statements[1].pk, "vote": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # HTMX swaps it in
    assert "voted too many times" in response.content.decode()
    cache.clear()  # a minute later
    response = client.post(url, {"statement": 999999, "vote": "1"}, HTTP_HX_REQUEST="true")
    assert "That statement is not open for voting" in response.content.decode()


def test_place_page_lists_open_conversations_about_the_place(client, conversation):
    from mobilise.places.tests.factories import PlaceFactory

    camden = PlaceFactory(code="E09000007", name="Camden")
    conversation.mission.places.add(camden)
    page = client.get(f"/places/{camden.code}/").content.decode()
    assert "Conversations about Camden" in page and conversation.question in page
    conversation.status = "closed"
    conversation.save()
    assert conversation.question not in client.get(f"/places/{camden.code}/").content.decode()


def test_the_json_vote_endpoint_lists_statements_ahead_for_the_card_script(client, conversation):
    url = f"/conversations/{conversation.pk}/votes.json"
    shown = conversation.statements.first()
    ahead = client.get(url, {"upcoming": 5, "exclude": str(shown.pk)}).json()
    ids = [s["id"] for s in ahead["upcoming"]]
    assert len(ids) == 5 and len(set(ids)) == 5 and shown.pk not in ids
    assert ahead["progress"] == "You have voted on 0 of 8 statements."

    # A vote asking for more: none it has voted on, none the page still holds.
    held = ids[0]
    answer = client.post(url, {"statement": shown.pk, "vote": 1, "upcoming": 10, "exclude": held})
    assert answer.status_code == 200
    data = answer.json()
    assert data["ok"] and data["voted"] == 1
    assert data["progress"] == "You have voted on 1 of 8 statements."
    listed = {s["id"] for s in data["upcoming"]}
    assert len(listed) == 6 and not listed & {shown.pk, held}

    # Without ``upcoming`` the answer stays as short as before (scripts and load tests).
    other = conversation.statements.exclude(pk=shown.pk).first()
    assert client.post(url, {"statement": other.pk, "vote": 0}).json() == {"ok": True}

    # Refusals carry a message the card can show as it is.
    conversation.status = "closed"
    conversation.save()
    refused = client.post(url, {"statement": held, "vote": 1, "upcoming": 5})
    assert refused.status_code == 400
    assert refused.json()["message"] == "This conversation has closed"
    assert client.get(url, {"upcoming": 5}).json()["statement"] is None


def test_upcoming_statements_follow_the_analysis_priorities(conversation):
    from mobilise.deliberation import selectors

    from .factories import two_camps

    two_camps(conversation, 20)
    recompute_analysis.call(conversation_id=conversation.pk)
    analysis = selectors.latest_analysis(conversation)
    drawn = selectors.upcoming_statements(conversation, None, analysis, count=20)
    assert len(drawn) == 8 and len({s.pk for s in drawn}) == 8
    assert selectors.upcoming_statements(conversation, None, analysis, count=0) == []


def test_the_export_neutralises_formulas_and_reads_back_the_same_text(
    client, conversation, lead, tmp_path
):
    import csv

    from .factories import StatementFactory

    evil = '=HYPERLINK("http://evil.example","Click")'
    conversation.question = "@SUM(A1:A2)"
    conversation.save()
    StatementFactory(conversation=conversation, text=evil)
    client.force_login(lead)
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/conversations/{conversation.pk}/export.zip").content)
    )
    comments = list(csv.DictReader(io.StringIO(archive.read("comments.csv").decode())))
    assert "'" + evil in [c["comment-body"] for c in comments]
    summary = dict(csv.reader(io.StringIO(archive.read("summary.csv").decode())))
    assert summary["topic"] == "'@SUM(A1:A2)"
    for name in archive.namelist():
        cells = [c for row in csv.reader(io.StringIO(archive.read(name).decode())) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@")], name
    archive.extractall(tmp_path)
    export = read_polis_export(tmp_path)
    assert evil in [c.body for c in export.comments]
    assert export.summary["topic"] == "@SUM(A1:A2)"


HUGE = "99999999999999999999"


@pytest.mark.parametrize("huge", [HUGE, "-" + HUGE, "9223372036854775808"])
def test_a_huge_statement_id_is_refused_not_a_500(client, conversation, lead, huge):
    client.raise_request_exception = False
    url = f"/conversations/{conversation.pk}/votes.json"
    response = client.post(url, {"statement": huge, "vote": "1"})
    assert response.status_code == 400
    response = client.post(
        url, f'{{"statement": {huge}, "vote": 1}}', content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post(conversation.get_absolute_url(), {"statement": huge, "vote": "1"})
    assert response.status_code in (200, 400)
    assert client.get(f"{url}?upcoming=3&exclude={huge},1").status_code == 200
    client.force_login(lead)
    for action, field in (("accept", "statement"), ("hide", "participant")):
        response = client.post(
            f"/conversations/{conversation.pk}/moderate/", {"action": action, field: huge}
        )
        assert response.status_code in (200, 400), action
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        f"/conversations/{HUGE}/",
        f"/conversations/{HUGE}/results/",
        f"/conversations/{HUGE}/votes.json",
    ],
)
def test_a_huge_id_in_the_address_is_not_found(client, path):
    client.raise_request_exception = False
    assert client.get(path).status_code == 404
