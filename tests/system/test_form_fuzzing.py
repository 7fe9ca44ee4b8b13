"""Every form on every catalogued page, as each role, filled with hostile values: very long, empty,
control and bidirectional characters, huge and negative numbers, NaN. No post may fail with a server
error (500), and a post that is refused (the form again with its error summary, or 400, 403, 404,
405, 429) writes nothing. The forms are read from the pages themselves, so a new form is fuzzed
as soon as its page is in the URL catalogue (tests/url_catalogue.py).
"""

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.apps import apps

from mobilise.accounts.tests.factories import UserFactory
from tests.url_catalogue import build_world, our_patterns, url_for

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
KINDS = {
    "long": "x" * 100_000,
    "empty": "",
    "control": "\x00\x07\u202e\u200b\r\n",
    "huge": HUGE,
    "negative": "-1",
    "nan": "NaN",
}
TEXT_TYPES = {
    "text",
    "number",
    "email",
    "url",
    "tel",
    "search",
    "password",
    "date",
    "datetime-local",
    "time",
    "month",
    "week",
    "color",
    "range",
}
REFUSED = {400, 403, 404, 405, 429}
# Tables that may change on any request, refused or not (none is in the database today: the
# list guards a later switch to database sessions, cache or rate-limit counters).
CHANGING = {"sessions", "django_cache", "ratelimit"}


class FormParser(HTMLParser):
    """The <form method="post"> elements of a page: action, and fields by kind."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value or "") for key, value in attrs}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                self.form = {"action": attrs.get("action", ""), "fields": []}
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                # Ticked boxes and the first of each choice: the form as a person might send it.
                if "checked" in attrs or not any(f[1] == name for f in self.form["fields"]):
                    self.form["fields"] = [
                        f for f in self.form["fields"] if not (kind == "radio" and f[1] == name)
                    ]
                    self.form["fields"].append(("choice", name, attrs.get("value", "on")))
            elif kind in ("submit", "button", "image", "reset"):
                if not any(f[0] == "submit" for f in self.form["fields"]):
                    self.form["fields"].append(("submit", name, attrs.get("value", "")))
            elif kind == "file":
                self.form["fields"].append(("file", name, ""))
            elif kind == "hidden":
                self.form["fields"].append(("hidden", name, attrs.get("value", "")))
            else:
                self.form["fields"].append(("text", name, attrs.get("value", "")))
        elif tag == "button" and name and attrs.get("type", "submit") == "submit":
            if not any(f[0] == "submit" for f in self.form["fields"]):
                self.form["fields"].append(("submit", name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.form["fields"].append(("text", name, ""))
        elif tag == "select" and name:
            self.select = ["choice", name, None]
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            if self.select[2] is None or "selected" in attrs:
                self.select[2] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            if self.select is not None and self.select[2] is None:
                self.select[2] = ""
            self.select = None


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def variants(fields) -> list[tuple[str, dict]]:
    """The form's own values with every text field set to one hostile kind at a time; with the
    huge number, hidden fields (ids) and choices too."""
    result = []
    for kind, value in KINDS.items():
        data = {}
        for field_kind, name, original in fields:
            if field_kind == "text":
                fuzzed = value
            elif field_kind in ("hidden", "choice") and kind == "huge":
                fuzzed = HUGE if name != "csrfmiddlewaretoken" else original
            elif field_kind == "file":
                fuzzed = ""
            else:
                fuzzed = original
            data.setdefault(name, []).append(fuzzed)
        result.append((kind, data))
    return result


def counts() -> dict:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if not any(part in model._meta.db_table for part in CHANGING)
    }


def refused(response) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 200 and b"govuk-error-summary" in response.content


def skipped(action: str) -> str | None:
    """Forms left out, with the reason: each would end the rest of the run for this role. (The
    form deleting one's account is fuzzed: it asks for a confirmation no hostile value gives.)"""
    if action.rstrip("/").endswith("/logout"):
        return "signing out would leave the rest of the run anonymous"
    return None


DESTRUCTIVE = ("delete", "remove", "close", "cancel", "unlink", "withdraw")


def forms_to_fuzz(client, world) -> list[tuple[str, str, list]]:
    """Every post form of every catalogued page this person can open, once each (a form on
    every page is fuzzed once); forms that delete, remove, close or cancel last, so the objects
    the other forms edit are still there when those are fuzzed."""
    found = {}
    for name, pattern in our_patterns():
        url = url_for(name, pattern, world)
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for form in forms_of(page.content.decode()):
            action = urljoin(url, form["action"]) if form["action"] else url
            if skipped(action):
                continue
            key = (action, tuple(field[1] for field in form["fields"]))
            found.setdefault(key, (name, action, form["fields"]))
    return sorted(found.values(), key=lambda item: any(word in item[1] for word in DESTRUCTIVE))


def fuzz_as(client, user, world) -> tuple[int, list]:
    if user is not None:
        client.force_login(user)
    failures = []
    posts = 0
    for name, action, fields in forms_to_fuzz(client, world):
        for kind, data in variants(fields):
            before = counts()
            posts += 1
            try:
                response = client.post(action, data)
            except Exception as error:  # The test client re-raises a view's exception.
                failures.append((name, action, kind, repr(error)[:300]))
                continue
            if response.status_code >= 500:
                failures.append((name, action, kind, response.status_code))
            elif refused(response) and counts() != before:
                after = counts()
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                failures.append((name, action, kind, response.status_code, changed))
            if user is not None and "_auth_user_id" not in client.session:
                if not type(user).objects.filter(pk=user.pk).exists():
                    failures.append((name, action, kind, "the account was deleted"))
                    return posts, failures
                client.force_login(user)
    return posts, failures


@pytest.mark.parametrize("who", ["resident", "lead", "platform admin"])
def test_no_form_fails_or_writes_when_fed_hostile_values(client, who):
    world = build_world()
    user = {
        "resident": lambda: UserFactory(roles=["resident"]),
        "lead": lambda: world["lead"],
        "platform admin": lambda: UserFactory(is_staff=True, is_superuser=True),
    }[who]()
    posts, failures = fuzz_as(client, user, world)
    assert posts > 0
    assert not failures, "\n".join(map(str, failures))
