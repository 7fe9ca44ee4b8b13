"""Background work shared by every app, through Django's tasks framework (the django-tasks backport).

E-mail goes through a task so that a slow mail server never slows a page: the web process enqueues,
a `mobilise db_worker` process sends. Tests use the immediate backend, so the mail is sent at once.
"""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    from_email: str | None = None,
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> int:
    # reply_to: when the sender is a no-reply address but a person should get the answer (a
    # council's secretariat, for a member who has no account to act through).
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=to, from_email=from_email, reply_to=reply_to
    )
    if html:
        message.attach_alternative(html, "text/html")
    # attachments: (file name, text, MIME type), text so the queue can store it as JSON (a
    # volunteering session's calendar file, for one).
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    return message.send()
