"""People's rights over their data (UK GDPR), across every app: Download my data and Delete my
account. Here rather than in an app's tests because it reaches every app (docs/security.md)."""

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import uuid
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as WebSession
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mobilise.accounts import services as account_services
from mobilise.accounts.models import DataExport, Membership, Organisation, User
from mobilise.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from mobilise.assurance.models import Action, CouncilMember, Decision, Notice
from mobilise.assurance.tests.factories import (
    ActionFactory,
    CouncilFactory,
    CouncilMemberFactory,
    MeetingFactory,
)
from mobilise.budgeting.models import Ballot, BallotChoice, DeliverySubscription
from mobilise.budgeting.tests.factories import BudgetRoundFactory, ProjectFactory
from mobilise.coalition.models import Pledge, Session, SignUp
from mobilise.coalition.tests import factories as coalition
from mobilise.core.personal_data import FORMER_PARTICIPANT
from mobilise.deliberation.models import Participant, Statement, Vote
from mobilise.deliberation.tests.factories import ConversationFactory, StatementFactory
from mobilise.missions.tests.factories import MissionFactory
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

NAME = "Philippa Quenby-Ashworth"
EMAIL = "philippa.quenby@example.org"
PERSONAL_PLEDGE = "Cycle to work every day this year"
ORGANISATION_PLEDGE = "Plant forty street trees on Malden Road"
STATEMENT = "The 24 bus should run every eight minutes"


def _queued_email(to: str, subject: str) -> DBTaskResult:
    """An e-mail as the database queue keeps it (tests send at once, so none are queued)."""
    now = timezone.now()
    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status="SUCCEEDED",
        args_kwargs={"args": [], "kwargs": {"subject": subject, "body": "Hello", "to": [to]}},
        priority=0,
        task_path="mobilise.core.tasks.send_email",
        queue_name="default",
        backend_name="default",
        run_after=now,
        return_value=1,
        exception_class_path="",
        traceback="",
    )


def active_person() -> dict:
    """A person who has done a bit of everything, and the things they did."""
    person = UserFactory(name=NAME, email=EMAIL, roles=["resident"])
    mission = MissionFactory()
    organisation = OrganisationFactory(name="Malden Road Residents")
    MembershipFactory(user=person, organisation=organisation, role="admin")
    MembershipFactory(organisation=organisation, role="admin")  # someone else can take over
    # Pledges: their own, and one they made for their organisation.
    own = coalition.PledgeFactory(
        mission=mission, organisation=None, person=person, made_by=person, title=PERSONAL_PLEDGE
    )
    for_organisation = coalition.PledgeFactory(
        mission=mission, organisation=organisation, made_by=person, title=ORGANISATION_PLEDGE
    )
    # Volunteering: hours on a past session; a place on a full session to come, with a queue.
    opportunity = coalition.OpportunityFactory(mission=mission, organisation=organisation)
    past = coalition.SessionFactory(
        opportunity=opportunity,
        starts_at=timezone.now() - dt.timedelta(days=10),
        ends_at=timezone.now() - dt.timedelta(days=10) + dt.timedelta(hours=3),
        confirmed_count=1,
    )
    coalition.SignUpFactory(session=past, person=person, attended=True, hours=Decimal("3.00"))
    coming = coalition.SessionFactory(opportunity=opportunity, capacity=1, confirmed_count=1)
    coalition.SignUpFactory(session=coming, person=person)
    waiting = coalition.SignUpFactory(session=coming, status=SignUp.Status.WAITING)
    # A conversation: a statement and a vote.
    conversation = ConversationFactory(mission=mission)
    participant = Participant.objects.create(conversation=conversation, user=person)
    statement = StatementFactory(
        conversation=conversation, text=STATEMENT, author=person, participant=participant
    )
    other = StatementFactory(conversation=conversation)
    Vote.objects.create(
        participant=participant, statement=other, value=1, updated_at=timezone.now()
    )
    # A ballot, still linked to them.
    round_ = BudgetRoundFactory(mission=mission, place=PlaceFactory())
    project = ProjectFactory(round=round_, title="Benches on the green", proposer=person)
    ballot = Ballot.objects.create(
        round=round_, voter_key=f"user:{person.pk}", user=person, postcode_district="NW5"
    )
    BallotChoice.objects.create(ballot=ballot, project=project)
    # A seat on a mission council, an action they own and a decision they proposed.
    council = CouncilFactory(mission=mission)
    seat = CouncilMemberFactory(council=council, user=person, name=NAME, email=EMAIL)
    action = ActionFactory(council=council, owner=person, owner_member=seat, owner_name=NAME)
    decision = Decision.objects.create(
        meeting=MeetingFactory(council=council),
        proposed_by=seat,
        proposer_name=NAME,
        text="Adopt the street trees plan",
        decided_on=timezone.localdate(),
    )
    Notice.objects.create(kind="reminder", subject_key=f"action:{action.pk}:due", email=EMAIL)
    # The admin's history of a change to their account, and an e-mail the site sent them.
    LogEntry.objects.create(
        user=UserFactory(is_staff=True),
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
    )
    _queued_email(EMAIL, "Your place on Tree planting is confirmed")
    return {
        "person": person,
        "organisation": organisation,
        "own_pledge": own,
        "organisation_pledge": for_organisation,
        "coming": coming,
        "waiting": waiting,
        "statement": statement,
        "ballot": ballot,
        "seat": seat,
        "action": action,
        "decision": decision,
    }


def _download(client, django_capture_on_commit_callbacks) -> zipfile.ZipFile:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:your_data"))
    assert response.status_code == 302
    response = client.get(reverse("accounts:data_export_download"))
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


def test_download_my_data_holds_everything_about_the_person(
    client, django_capture_on_commit_callbacks
):
    world = active_person()
    client.force_login(world["person"])
    archive = _download(client, django_capture_on_commit_callbacks)

    everything = json.loads(archive.read("your-data.json"))
    assert everything["accounts"]["profile"][0]["email"] == EMAIL
    assert everything["accounts"]["profile"][0]["name"] == NAME
    assert [row["organisation__name"] for row in _csv(archive, "accounts/organisations.csv")] == [
        "Malden Road Residents"
    ]
    pledges = {row["title"] for row in _csv(archive, "coalition/pledges.csv")}
    assert pledges == {PERSONAL_PLEDGE, ORGANISATION_PLEDGE}
    hours = [row["hours"] for row in _csv(archive, "coalition/volunteering.csv")]
    assert "3.00" in hours
    assert [row["text"] for row in _csv(archive, "deliberation/statements.csv")] == [STATEMENT]
    assert len(_csv(archive, "deliberation/votes.csv")) == 1
    assert [row["project__title"] for row in _csv(archive, "budgeting/ballot_choices.csv")] == [
        "Benches on the green"
    ]
    assert [row["subject"] for row in _csv(archive, "accounts/emails_sent.csv")] == [
        "Your place on Tree planting is confirmed"
    ]
    assert _csv(archive, "assurance/council_seats.csv")[0]["name"] == NAME
    assert "README.txt" in archive.namelist()


def test_the_download_is_the_persons_own_and_says_when_it_is_being_prepared(
    client, django_capture_on_commit_callbacks
):
    world = active_person()
    someone_else = UserFactory()
    client.force_login(world["person"])
    # Queued but not yet built: the page says so, and the download address shows the page.
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("accounts:your_data"))
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Your data is being prepared" in page
    assert client.get(reverse("accounts:data_export_download"))["Content-Type"].startswith(
        "text/html"
    )
    account_services.data_export_build(export_id=DataExport.objects.get(user=world["person"]).pk)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "being prepared" not in page
    assert reverse("accounts:data_export_download") in page
    # Someone else signed in gets their own (none), never this person's file.
    client.force_login(someone_else)
    response = client.get(reverse("accounts:data_export_download"))
    assert response["Content-Type"].startswith("text/html")
    assert PERSONAL_PLEDGE.encode() not in response.content


def _user_links() -> list[tuple[type[models.Model], str]]:
    user_model = get_user_model()
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and field.related_model is user_model
        and (field.many_to_one or field.one_to_one)
    ]


def _traces(person: User) -> set[str]:
    """What could link a row back to the person: their name, e-mail, id as a voter key, and the
    keyed hashes of those the project makes (HMAC-SHA256 with the secret key, as voter codes)."""
    key = settings.SECRET_KEY.encode()
    plain = {person.name, person.email, f"user:{person.pk}"}
    hashed = {
        hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
        for value in [*plain, str(person.pk)]
    } | {hashlib.sha256(value.encode()).hexdigest() for value in plain}
    return plain | hashed


def _rows_mentioning(traces: set[str], user_id: int) -> list[str]:
    """Every row of every table that holds one of ``traces`` in a text, char or JSON field, or
    points at ``user_id`` through a foreign key to the user model."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models(include_auto_created=True):
        manager = model._base_manager
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                if manager.filter(**{field.attname: user_id}).exists():
                    found.append(f"{model._meta.label}.{field.name} = user {user_id}")
            elif isinstance(field, (models.CharField, models.TextField)):
                for trace in traces:
                    if manager.filter(**{f"{field.name}__icontains": trace}).exists():
                        found.append(f"{model._meta.label}.{field.name} holds {trace!r}")
            elif isinstance(field, models.JSONField):
                for value in manager.values_list(field.name, flat=True):
                    text = json.dumps(value).lower()
                    for trace in traces:
                        if trace.lower() in text:
                            found.append(f"{model._meta.label}.{field.name} holds {trace!r}")
        if model is user_model and manager.filter(pk=user_id).exists():
            found.append(f"{model._meta.label} still has the account")
        if model is WebSession:
            for session in manager.all():
                if session.get_decoded().get("_auth_user_id") == str(user_id):
                    found.append("a signed-in session")
    return found


def test_after_erasure_no_table_holds_anything_that_links_back_to_the_person(
    client, django_capture_on_commit_callbacks
):
    world = active_person()
    person = world["person"]
    client.force_login(person)  # a signed-in session in the database
    _download(client, django_capture_on_commit_callbacks)  # a data download held for them
    traces, user_id = _traces(person), person.pk
    assert _rows_mentioning(traces, user_id), "the scan must see the person before erasure"

    response = client.post(reverse("accounts:account_delete"), {"email": f"  {EMAIL.upper()} "})
    assert response.status_code == 302

    assert _rows_mentioning(traces, user_id) == []
    # Their own things went; the public record stayed, anonymised.
    assert not Pledge.objects.filter(title=PERSONAL_PLEDGE).exists()
    kept = Pledge.objects.get(pk=world["organisation_pledge"].pk)
    assert kept.made_by is None and kept.organisation == world["organisation"]
    statement = Statement.objects.get(pk=world["statement"].pk)
    assert statement.text == STATEMENT and statement.author is None
    assert Vote.objects.filter(statement__conversation=statement.conversation).count() == 1
    ballot = Ballot.objects.get(pk=world["ballot"].pk)
    assert ballot.user is None and ballot.choices.count() == 1
    assert CouncilMember.objects.get(pk=world["seat"].pk).name == FORMER_PARTICIPANT
    assert Action.objects.get(pk=world["action"].pk).owner_name == FORMER_PARTICIPANT
    assert Decision.objects.get(pk=world["decision"].pk).proposer_name == FORMER_PARTICIPANT
    # Their place on the full session went to the first person waiting.
    world["waiting"].refresh_from_db()
    assert world["waiting"].status == SignUp.Status.CONFIRMED
    assert Session.objects.get(pk=world["coming"].pk).confirmed_count == 1
    assert Membership.objects.filter(organisation=world["organisation"]).count() == 1
    assert not DeliverySubscription.objects.exists()
    # They are signed out, and cannot sign in again.
    assert client.get(reverse("accounts:dashboard")).status_code == 302
    assert not client.login(email=EMAIL, password="correct horse battery staple")


def test_the_last_admin_of_an_organisation_is_told_to_hand_over_and_nothing_is_deleted(client):
    person = UserFactory(name=NAME, email=EMAIL)
    organisation = OrganisationFactory(name="Kentish Town Allotments")
    MembershipFactory(user=person, organisation=organisation, role="admin")
    MembershipFactory(organisation=organisation, role="member")
    client.force_login(person)

    page = client.get(reverse("accounts:account_delete")).content.decode()
    assert "You are the only admin of Kentish Town Allotments" in page
    response = client.post(reverse("accounts:account_delete"), {"email": EMAIL})
    assert response.status_code == 200
    assert "Nothing has been deleted" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    assert Organisation.objects.get(pk=organisation.pk).memberships.filter(role="admin").exists()
    with pytest.raises(account_services.ErasureBlocked):
        account_services.account_erase(user=person)

    # Once they hand over, they may go.
    Membership.objects.filter(organisation=organisation, role="member").update(role="admin")
    client.post(reverse("accounts:account_delete"), {"email": EMAIL})
    assert not User.objects.filter(pk=person.pk).exists()


def test_deleting_needs_the_person_s_own_email_address(client):
    person = UserFactory(email=EMAIL)
    client.force_login(person)
    response = client.post(reverse("accounts:account_delete"), {"email": "someone@example.org"})
    assert response.status_code == 200
    assert "Enter the email address you sign in with" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    response = client.post(reverse("accounts:account_delete"), {"email": ""})
    assert "Enter your email address to confirm" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_the_privacy_notice_describes_both_rights_as_the_code_does(client):
    page = client.get(reverse("core:privacy")).content.decode()
    assert f'href="{reverse("accounts:your_data")}"' in page
    assert f'href="{reverse("accounts:account_delete")}"' in page
    # What the download holds and what erasure keeps are the words the code uses.
    assert "ZIP file of spreadsheets (CSV) and JSON" in page
    assert f"“{FORMER_PARTICIPANT}”" in page
    assert "only admin of an organisation" in page
    assert "&lt;a" not in page  # the links are links, not escaped text
