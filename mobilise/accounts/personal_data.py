"""What the accounts app holds about a person, and the ZIP of everything every app holds.

The accounts app registers its own provider (order 0) next to the higher apps' (see
``mobilise.core.personal_data``): the profile, e-mail addresses, roles, memberships, the e-mails
the site queued for the person, and — found through Django's app registry, so nothing keyed to the
person is left out — a list of every other row that points at their account.
"""

import io
import json
import zipfile
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.core.csv import safe_writer
from mobilise.core.personal_data import PersonalData, Rows, personal_data, rows_of

from .models import DataExport, Membership, Organisation, UserRole

SEND_EMAIL_TASK = "mobilise.core.tasks.send_email"
# Rows other apps export themselves, by model label; the rest are listed in other_records.csv.
_EXPORTED_ELSEWHERE = {"accounts.UserRole", "accounts.Membership", "accounts.DataExport"}


def _task_results() -> Any:
    try:
        return apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:  # pragma: no cover - the database queue is always installed here
        return None


def _emails_to(user: Any) -> list[Any]:
    """Queued e-mails (the task queue keeps each one's arguments) addressed to ``user``."""
    model = _task_results()
    if model is None:
        return []
    found = []
    candidates = model.objects.filter(task_path=SEND_EMAIL_TASK, args_kwargs__icontains=user.email)
    for result in candidates.order_by("enqueued_at"):
        kwargs = (result.args_kwargs or {}).get("kwargs") or {}
        if any(str(to).lower() == user.email.lower() for to in kwargs.get("to") or []):
            found.append((result, kwargs))
    return found


def _user_relations() -> list[tuple[Any, str]]:
    user_model = get_user_model()
    relations = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.concrete
                and field.is_relation
                and (field.many_to_one or field.one_to_one)
                and field.related_model is user_model
            ):
                relations.append((model, field.name))
    return relations


def _other_records(user: Any) -> Rows:
    rows = []
    for model, field in _user_relations():
        label = model._meta.label
        if label in _EXPORTED_ELSEWHERE:
            continue
        for obj in model._default_manager.filter(**{field: user}).order_by("pk")[:1000]:
            rows.append(
                {
                    "kind": str(model._meta.verbose_name),
                    "table": label,
                    "your_link": field,
                    "id": obj.pk,
                    "description": str(obj),
                }
            )
    return rows


def export(user: Any) -> dict[str, Rows]:
    return {
        "profile": [
            {
                "id": user.pk,
                "email": user.email,
                "name": user.name,
                "home_place": user.home_place.name if user.home_place_id else "",
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "active": user.is_active,
                "has_password": user.has_usable_password(),
            }
        ],
        "email_addresses": rows_of(
            EmailAddress.objects.filter(user=user), "email", "verified", "primary"
        ),
        "roles": [
            {"role": role}
            for role in UserRole.objects.filter(user=user).values_list("role", flat=True)
        ],
        "organisations": rows_of(
            Membership.objects.filter(user=user),
            "organisation__name",
            "organisation__slug",
            "role",
            "created_at",
        ),
        "emails_sent": [
            {
                "queued_at": result.enqueued_at,
                "status": result.status,
                "subject": kwargs.get("subject", ""),
                "body": kwargs.get("body", ""),
            }
            for result, kwargs in _emails_to(user)
        ],
        "other_records": _other_records(user),
    }


def blockers(user: Any) -> list[str]:
    """Organisations whose last admin ``user`` is: they must hand over first."""
    sole = [
        organisation.name
        for organisation in Organisation.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.ADMIN
        ).order_by("name")
        if not Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        .exclude(user=user)
        .exists()
    ]
    return [
        _(
            "You are the only admin of %(name)s. Make someone else an admin of it first (add them "
            "as a member if they are not one), then come back to delete your account."
        )
        % {"name": name}
        for name in sole
    ]


def _forget_sessions(user: Any) -> None:
    # Every signed-in session of the person, on any device (sessions are in the database).
    user_id = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=stale).delete()


def erase(user: Any) -> None:
    """What the accounts app removes before the account row goes (the rest cascades with it)."""
    _forget_sessions(user)
    model = _task_results()
    if model is not None:
        model.objects.filter(pk__in=[result.pk for result, _kwargs in _emails_to(user)]).delete()
        export_ids = set(DataExport.objects.filter(user=user).values_list("pk", flat=True))
        for result in model.objects.filter(task_path__endswith=".build_data_export"):
            kwargs = (result.args_kwargs or {}).get("kwargs") or {}
            if kwargs.get("export_id") in export_ids:
                result.delete()
    # Admin history about the account names it (its object_repr is the e-mail or name).
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=str(user.pk),
    ).delete()


def register() -> None:
    personal_data.register(
        "accounts", PersonalData(export=export, erase=erase, blockers=blockers), order=0
    )


README = """Your data from Mobilise
=======================

Prepared {when}.

your-data.json holds everything below in one file. Each folder holds one CSV file per kind of
record, readable in any spreadsheet:

{contents}
A cell that starts with ', such as '=SUM, was written that way so a spreadsheet shows it as text.
"""


def build_zip(user: Any) -> bytes:
    """Every app's export for ``user`` as a ZIP of JSON and CSV files."""
    everything = personal_data.export(user)
    buffer = io.BytesIO()
    contents = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "your-data.json",
            json.dumps(everything, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        )
        for app, tables in everything.items():
            for table, rows in tables.items():
                name = f"{app}/{table}.csv"
                contents.append(f"- {name}: {len(rows)} row{'s' if len(rows) != 1 else ''}\n")
                text = io.StringIO()
                writer = safe_writer(text)
                columns = list(rows[0]) if rows else []
                writer.writerow(columns)
                for row in rows:
                    writer.writerow(["" if row[c] is None else row[c] for c in columns])
                archive.writestr(name, text.getvalue())
        archive.writestr(
            "README.txt",
            README.format(
                when=timezone.now().strftime("%d %B %Y %H:%M UTC"), contents="".join(contents)
            ),
        )
    return buffer.getvalue()
