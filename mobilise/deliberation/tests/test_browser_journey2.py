"""Journey 2 (PRODUCT.md) in Chromium, as a resident, with axe-core on every page.

A resident opens the borough's clean-air conversation from their place's page, votes on twenty
statements, adds one, and sees which opinion groups exist, which one they are in, who is grouped
and why, and what almost everyone agrees on. Thirty neighbours in two camps have voted already
(and four have voted on too few statements to be grouped). The analysis runs through the task
backend after each vote (immediate in tests). Run with ``-m browser``; never visits /admin/.
"""

import re

import pytest
from playwright.sync_api import expect

from mobilise.deliberation.models import Analysis, Conversation, Participant, Statement, Vote
from mobilise.deliberation.selectors import GROUP_LETTERS
from mobilise.engines.opinion import MIN_VOTES
from mobilise.places.tests.factories import PlaceFactory

from .factories import ConversationFactory, ParticipantFactory, StatementFactory, two_camps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# In order: the two camps split on alternate statements; everyone agrees with the last.
STATEMENTS = [
    "Streets outside schools should close to traffic at drop-off and pick-up times.",
    "Businesses need their customers to be able to drive and park.",
    "Camden should add more protected cycle lanes on main roads.",
    "Traffic-calming schemes push traffic onto other streets.",
    "Parking permits should cost more for the most polluting vehicles.",
    "Buses are too slow to be a real alternative to driving.",
    "Deliveries should move to cargo bikes in the town centres.",
    "Low-traffic neighbourhoods make journeys longer for disabled people.",
    "Every new development should be car-free.",
    "Tradespeople cannot do their jobs without a van.",
    "Idling engines outside schools should be fined on the spot.",
    "Road charges hit people on low incomes hardest.",
    "More streets should become play streets at weekends.",
    "Closing roads makes it harder for older people to get a lift.",
    "Car clubs could replace most second cars in the borough.",
    "The council should fix potholes before building cycle lanes.",
    "Pavement parking should be banned everywhere.",
    "Night-time deliveries would keep lorries off busy streets by day.",
    "School buses should replace the school run by car.",
    "Shops on the high street depend on passing car trade.",
    "More trees along main roads would help clean the air.",
    "The council should publish air quality readings for every street.",
]
YOUR_STATEMENT = "Bus lanes should run all day, not only at rush hour."


@pytest.fixture
def camden():
    return PlaceFactory(code="E09000007", name="Camden")


@pytest.fixture
def clean_air(mission, camden):
    mission.places.add(camden)
    conversation = ConversationFactory(
        mission=mission,
        place=camden,
        question="How should Camden cut traffic fumes?",
        moderation=Conversation.Moderation.POST,
    )
    for text in STATEMENTS:
        StatementFactory(conversation=conversation, text=text)
    two_camps(conversation, 30)
    for _ in range(4):  # voted on too few statements to be grouped
        participant = ParticipantFactory(conversation=conversation)
        for statement in conversation.statements.all()[: MIN_VOTES - 4]:
            Vote.objects.create(
                participant=participant,
                statement=statement,
                value=1,
                updated_at=statement.created_at,
            )
    return conversation


def _my_answer(text: str) -> str:
    """The resident's views: they side with the camp agreeing with odd-numbered statements."""
    j = STATEMENTS.index(text)
    return "Agree" if j % 2 or j == len(STATEMENTS) - 1 else "Disagree"


def test_journey_2_vote_add_a_statement_and_see_the_groups(live_server, page, axe, clean_air):
    base = live_server.url

    # From the place they live in to the conversation.
    page.goto(base + "/places/E09000007/")
    axe(page)
    expect(page.get_by_role("heading", name="Conversations about Camden")).to_be_visible()
    page.get_by_role("link", name="How should Camden cut traffic fumes?").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How should Camden cut traffic fumes?"
    )
    axe(page)

    # Twenty statements, each answered as the resident sees it.
    agree = page.get_by_role("button", name="Agree", exact=True)
    answered = []
    for _ in range(20):
        expect(agree).to_be_enabled()  # the card holds a statement not yet voted on
        text = page.locator("#statement-text").inner_text()
        assert text not in answered
        answered.append(text)
        page.get_by_role("button", name=_my_answer(text), exact=True).click()
    status = page.locator("#vote [role=status]")
    expect(status).to_have_text("You have voted on 20 of 22 statements.", timeout=30_000)
    axe(page)
    me = Participant.objects.exclude(key__startswith="key-").get(conversation=clean_air)
    assert me.votes.count() == 20

    # Adding a statement of their own: under post-moderation it is open for votes at once.
    page.get_by_role("button", name="Add a statement").click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_label("Your statement").fill(YOUR_STATEMENT)
    page.get_by_role("button", name="Add statement").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(
        "Your statement has been added. Others can now vote on it."
    )
    assert Statement.objects.get(text=YOUR_STATEMENT).status == Statement.Status.ACCEPTED
    expect(status).to_have_text("You have voted on 20 of 23 statements.")
    axe(page)

    # The results: the groups, their own group, who is grouped and why, and common ground.
    page.get_by_role("link", name="See the results").click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main).not_to_contain_text("Recalculating")
    groups = page.get_by_role("table", name="Groups and their sizes")
    expect(groups).to_contain_text("Group A")
    expect(groups).to_contain_text("Group B")

    result = Analysis.objects.filter(conversation=clean_air).latest().result
    mine = next(g for g in result["groups"] if me.pk in g["members"])
    letter = GROUP_LETTERS[mine["index"]]
    others = mine["size"] - 1
    # Their group is the camp that votes as they do.
    alike = Vote.objects.filter(
        participant_id__in=mine["members"], statement__text=STATEMENTS[1], value=1
    ).count()
    assert others >= 10 and alike > mine["size"] * 0.8
    expect(main).to_contain_text(f"You are in group {letter}, with {others} others.")
    expect(page.locator("#who-is-grouped")).to_have_text(
        re.compile(
            r"^\s*31 of the 35 people who voted are in the opinion groups\.\s+"
            rf"People are grouped once they have voted on at least {MIN_VOTES} statements\.\s*$"
        )
    )
    expect(main).to_contain_text("35 people have voted")

    common = main.locator("ul.mobilise-result-list").first
    expect(page.get_by_role("heading", name="Common ground")).to_be_visible()
    expect(common).to_contain_text(STATEMENTS[-1])
    axe(page)

    page.get_by_role("link", name=f"See what group {letter} thinks").click()
    expect(page).to_have_url(re.compile(rf"#group-{letter.lower()}$"))
    expect(page.locator(f"#group-{letter.lower()}")).to_contain_text(f"What group {letter} thinks")
    assert "/admin/" not in page.url
