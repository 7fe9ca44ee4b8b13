"""Issue #16, defect 3: once a round's results are published its ballots are anonymised, as the
privacy notice says, and the published results and ``.pb`` file do not change."""

import datetime as dt
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mobilise.accounts.tests.factories import UserFactory
from mobilise.budgeting import services
from mobilise.budgeting.models import Ballot, Phase, Result, VoterCode

from .conftest import project

pytestmark = pytest.mark.django_db


def _cast(round_, voter, user, *titles):
    services.ballot_cast(
        round_=round_,
        voter=voter,
        user=user,
        choices={project(round_, t).pk: 1 for t in titles},
    )


def _vote_in(round_, lead):
    """Three residents by postcode and one by voter code; voting then closes (the count waits)."""
    for n, titles in enumerate(
        [("Pocket park", "Water fountains"), ("Trees on Malden Road",), ("Cycle hangars",)]
    ):
        person = UserFactory(name=f"Voter {n}")
        _cast(round_, services.Voter(key=f"user:{person.pk}", district="NW5"), person, *titles)
    [code] = services.voter_codes_issue(round_=round_, user=lead, count=1)
    paper = UserFactory(name="Paper voter")
    voter = services.check_eligibility(round_=round_, user=paper, code=code)
    _cast(round_, voter, paper, "Pocket park")
    # Voting closes; the count's task runs after the commit, which a test transaction never does.
    return services.round_move_phase(round_=round_, user=lead, to=Phase.RESULTS)


def test_publishing_the_results_anonymises_the_ballots_as_the_privacy_notice_says(
    client, voting_round, lead
):
    round_ = _vote_in(voting_round, lead)
    assert Ballot.objects.filter(round=round_, voter_key__startswith="user:").count() == 3
    before_pb = client.get(f"/budgets/{round_.pk}/ballots.pb").content.decode()
    assert before_pb.count("\n") > 10

    services.result_compute(round_=round_)

    ballots = list(Ballot.objects.filter(round=round_))
    assert len(ballots) == 4
    for ballot in ballots:
        assert ballot.voter_key.startswith("anon:") and len(ballot.voter_key) == 37
        assert ballot.user_id is None and ballot.voter_code_id is None
        assert ballot.postcode_district == ""
        for moment in (ballot.created_at, ballot.updated_at):
            local = timezone.localtime(moment)
            assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    assert len({b.voter_key for b in ballots}) == 4
    assert not VoterCode.objects.filter(round=round_, used_by__isnull=False).exists()
    assert VoterCode.objects.filter(round=round_, used_at__isnull=False).count() == 1

    # The choices are the public record: the file and the results are the same as before.
    assert client.get(f"/budgets/{round_.pk}/ballots.pb").content.decode() == before_pb
    selected = Result.objects.get(round=round_).selected
    services.result_compute(round_=round_)  # a recount of the anonymised ballots agrees
    assert Result.objects.get(round=round_).selected == selected
    page = unescape(client.get(f"/budgets/{round_.pk}/results/").content.decode())
    assert "Pocket park" in page and "Ballots counted" in page

    # The voter-code page still counts the code as used.
    client.force_login(lead)
    codes_page = unescape(client.get(f"/budgets/{round_.pk}/voter-codes/").content.decode())
    assert "1 codes issued; 1 used." in codes_page

    notice = " ".join(unescape(client.get("/privacy/").content.decode()).split())
    assert "Once a round's results are published, each ballot is kept with a random token" in notice
    assert "random token" in notice and "postcode district" in notice


def test_the_results_are_the_same_as_a_count_of_the_linked_ballots(voting_round, lead):
    from mobilise.budgeting import counting

    round_ = _vote_in(voting_round, lead)
    chosen, greedy = counting.count(round_)
    result = services.result_compute(round_=round_)
    pb_ids = {p.pk: p.pb_id for p in round_.projects.all()}
    assert [pb_ids[pk] for pk in result.selected] == list(chosen.selected)
    assert result.comparison == greedy.to_dict()
    assert result.ballots_counted == 4


def test_one_ballot_per_voter_holds_while_voting_is_open(voting_round):
    person = UserFactory()
    voter = services.Voter(key=f"user:{person.pk}", district="NW5")
    _cast(voting_round, voter, person, "Pocket park")
    _cast(voting_round, voter, person, "Cycle hangars")  # changes the same ballot
    assert Ballot.objects.filter(round=voting_round).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(round=voting_round, voter_key=f"user:{person.pk}")


def test_ballots_are_not_anonymised_while_voting_is_open(voting_round):
    from django.core.exceptions import ValidationError

    person = UserFactory()
    _cast(voting_round, services.Voter(key=f"user:{person.pk}"), person, "Pocket park")
    with pytest.raises(ValidationError):
        services.ballots_anonymise(round_=voting_round)
    assert Ballot.objects.get(round=voting_round).voter_key == f"user:{person.pk}"


def test_imported_ballots_keep_their_file_voter_ids(voting_round, lead):
    ballot = Ballot.objects.create(round=voting_round, voter_key="file:17")
    ballot.choices.create(project=project(voting_round, "Pocket park"))
    round_ = services.round_move_phase(round_=voting_round, user=lead, to=Phase.RESULTS)
    assert services.ballots_anonymise(round_=round_) == 0
    assert Ballot.objects.get(round=round_).voter_key == "file:17"


def test_the_day_a_ballot_was_cast_is_kept_in_the_sites_time_zone(voting_round, lead):
    person = UserFactory()
    _cast(voting_round, services.Voter(key=f"user:{person.pk}"), person, "Pocket park")
    late = timezone.make_aware(dt.datetime(2026, 6, 30, 23, 30))  # 22:30 UTC in summer
    Ballot.objects.filter(round=voting_round).update(created_at=late, updated_at=late)
    round_ = services.round_move_phase(round_=voting_round, user=lead, to=Phase.RESULTS)
    services.ballots_anonymise(round_=round_)
    ballot = Ballot.objects.get(round=round_)
    assert timezone.localtime(ballot.created_at) == timezone.make_aware(dt.datetime(2026, 6, 30))
