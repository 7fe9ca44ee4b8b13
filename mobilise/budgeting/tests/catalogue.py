"""This app's pages for the URL sweeps in tests/url_catalogue.py (see its docstring)."""

PUBLIC: set[str] = {
    "budgeting:index",
    "budgeting:round",
    "budgeting:round_changes",
    "budgeting:results",
    "budgeting:ballots_pb",
    "budgeting:delivery",
    "budgeting:delivery_photo",
}
# Anyone signed in may propose and vote; the pages say when the round's phase does not allow it.
SIGNED_IN: set[str] = {
    "budgeting:propose",
    "budgeting:vote",
    "budgeting:ballot",
    "budgeting:check",
    "budgeting:voted",
    "budgeting:delivery_follow",
}
# The mission's leads run the round.
PROTECTED: set[str] = {
    "budgeting:round_create",
    "budgeting:round_edit",
    "budgeting:phase",
    "budgeting:voter_codes",
    "budgeting:review",
    "budgeting:delivery_edit",
}


def build(world: dict) -> dict:
    """A round whose vote has closed and been counted, with an idea left off the ballot, and a
    history: the lead moved the closing date and the description, then closed voting."""
    from datetime import date

    from django.core.files.base import ContentFile

    from mobilise.budgeting import services
    from mobilise.budgeting.models import Ballot, BallotChoice, Phase, Project

    from .factories import BudgetRoundFactory, ProjectFactory

    round_ = BudgetRoundFactory(mission=world["mission"], place=world["place"], phase=Phase.VOTING)
    funded = ProjectFactory(round=round_, title="Trees on Malden Road", cost=40_000)
    ProjectFactory(
        round=round_,
        title="A new swimming pool",
        status=Project.Status.REJECTED,
        cost=None,
        reason="It would cost far more than the budget.",
    )
    ProjectFactory(round=round_, title="Benches", status=Project.Status.PROPOSED, cost=None)
    ballot = Ballot.objects.create(round=round_, voter_key="user:0", postcode_district="NW5")
    BallotChoice.objects.create(ballot=ballot, project=funded)
    services.round_update(
        round_=round_,
        user=world["lead"],
        description="Spend £100,000 on the neighbourhood's streets.",
        voting_opens_on=date(2027, 4, 1),
        voting_closes_on=date(2027, 5, 14),
    )
    services.round_move_phase(round_=round_, user=world["lead"], to=Phase.RESULTS)
    services.result_compute(round_=round_)
    update = services.delivery_update(
        item=funded.delivery,
        user=world["lead"],
        status="in_progress",
        progress=30,
        note="The first twelve trees are in.",
        photo=ContentFile(PNG, name="trees.png"),
        photo_alt="Young trees in a row along a pavement",
    )
    return {
        "budget_round": round_,
        "budget_project": funded,
        "delivery_item": funded.delivery,
        "delivery_update": update,
    }


# The smallest PNG there is: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def url_values(world: dict) -> dict:
    """Values for this app's URL parameters (overriding the shared ones, e.g. ``slug``)."""
    return {
        "round_id": world["budget_round"].pk,
        "project_id": world["budget_project"].pk,
        "item_id": world["delivery_item"].pk,
        "update_id": world["delivery_update"].pk,
    }
