import pytest
from django.core import mail

from mobilise.core.tasks import send_email


def test_email_task_sends_through_the_configured_backend():
    result = send_email.enqueue(
        subject="Hello", body="Plain", html="<p>Rich</p>", to=["a@example.org"]
    )
    assert result.return_value == 1
    assert mail.outbox[0].subject == "Hello"
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_an_email_can_carry_a_text_attachment():
    send_email.enqueue(
        subject="Invite",
        body="B",
        to=["a@example.org"],
        attachments=[("session.ics", "BEGIN:VCALENDAR", "text/calendar")],
    )
    assert mail.outbox[0].attachments == [("session.ics", "BEGIN:VCALENDAR", "text/calendar")]


def test_an_answer_can_go_to_a_person_rather_than_the_sender():
    send_email.enqueue(
        subject="Your action", body="B", to=["member@example.org"], reply_to=["clerk@example.org"]
    )
    message = mail.outbox[0].message()
    assert message["Reply-To"] == "clerk@example.org"


@pytest.mark.django_db(transaction=True)
def test_email_task_queues_in_the_database_until_a_worker_runs(settings):
    """With the database backend (production's), nothing is sent until `mobilise db_worker` runs."""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    try:
        result = send_email.using(backend="default").enqueue(
            subject="Queued", body="B", to=["b@example.org"]
        )
        assert mail.outbox == []
        call_command("db_worker", batch=True, verbosity=0)
        result.refresh()
        assert result.status == "SUCCESSFUL"
        assert [m.subject for m in mail.outbox] == ["Queued"]
    finally:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }


@pytest.mark.django_db(transaction=True)
def test_sign_up_verification_email_waits_in_the_queue_for_the_worker(client, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    try:
        response = client.post(
            "/account/signup/",
            {
                "email": "queued@example.org",
                "password1": "a long passphrase 99",
                "password2": "a long passphrase 99",
            },
        )
        assert response.status_code == 302
        assert mail.outbox == []  # the page answered without waiting for e-mail
        call_command("db_worker", batch=True, verbosity=0)
        assert mail.outbox[0].to == ["queued@example.org"]
        assert "/account/confirm-email/" in mail.outbox[0].body
    finally:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
