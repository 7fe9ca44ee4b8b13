"""Funded projects tracked to delivery: dated updates on a public timeline, planned and actual
dates, photos with a description, and e-mail to the residents following a project."""

import io
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mobilise.accounts.tests.factories import UserFactory
from mobilise.budgeting import services
from mobilise.budgeting.models import DeliveryItem, DeliverySubscription, Phase

from .conftest import project

pytestmark = pytest.mark.django_db


def _text(response):
    return unescape(response.content.decode())


def _photo(name="trees.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (40, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def item(voting_round):
    voting_round.phase = Phase.RESULTS
    voting_round.save()
    return DeliveryItem.objects.create(project=project(voting_round, "Pocket park"))


def _update(**overrides):
    data = {
        "status": "in_progress",
        "progress": "40%",
        "spent": "£8,000",
        "note": "Planting starts in March.",
        "planned_start-day": "1",
        "planned_start-month": "3",
        "planned_start-year": "2027",
        "planned_end-day": "30",
        "planned_end-month": "9",
        "planned_end-year": "2027",
    }
    data.update(overrides)
    return data


def test_the_lead_posts_a_dated_update_with_a_photo_and_anyone_reads_the_timeline(
    client, item, lead
):
    client.force_login(lead)
    url = f"/budgets/delivery/{item.pk}/update/"
    assert "Post a delivery update" in _text(client.get(url))
    response = client.post(
        url, _update(photo=_photo(), photo_alt="A digger clearing the corner of the park")
    )
    assert response.status_code == 302, _text(response)
    assert response["Location"] == f"/budgets/delivery/{item.pk}/"
    item.refresh_from_db()
    assert (item.status, item.progress, item.spent) == ("in_progress", 40, 8000)
    assert item.actual_start == timezone.localdate()  # started today, as the update says

    client.logout()
    page = _text(client.get(f"/budgets/delivery/{item.pk}/"))
    assert "Pocket park" in page and "In progress" in page and "40% done" in page
    assert "£8,000 spent so far" in page and "Planting starts in March." in page
    assert "1 March 2027" in page and "30 September 2027" in page  # planned start and finish
    assert timezone.localdate().strftime("%-d %B %Y") in page  # the update's date
    assert 'alt="A digger clearing the corner of the park"' in page
    assert "Sign in to get updates by e-mail" in page
    update = item.updates.get()
    photo = client.get(f"/budgets/delivery/updates/{update.pk}/photo/")
    assert photo.status_code == 200 and b"".join(photo.streaming_content)[:2] == b"\xff\xd8"

    # A later update goes on top; the earlier one stays in the history.
    client.force_login(lead)
    client.post(
        f"/budgets/delivery/{item.pk}/update/",
        _update(status="done", progress="90", spent="£19,500", note="The park is open."),
    )
    client.logout()
    page = _text(client.get(f"/budgets/delivery/{item.pk}/"))
    assert page.index("The park is open.") < page.index("Planting starts in March.")
    assert "100% done" in page  # a finished project is all done
    # The round's page links every funded project to its delivery page.
    round_page = _text(client.get(f"/budgets/{item.project.round_id}/"))
    assert f'href="/budgets/delivery/{item.pk}/"' in round_page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"photo_alt": ""}, "Describe the photo for people who cannot see it"),
        ({"note": ""}, "Say what has happened since the last update"),
        ({"progress": "lots"}, "Enter the progress as a whole number from 0 to 100, like 40"),
        ({"progress": "140"}, "Progress must be between 0 and 100"),
        ({"spent": "eight grand"}, "Enter the amount spent in pounds, like £8,000"),
        ({"planned_end-year": "2026"}, "The planned finish must be on or after the planned start"),
    ],
)
def test_a_bad_update_says_what_to_fix_and_publishes_nothing(
    client, item, lead, overrides, message
):
    client.force_login(lead)
    data = _update(photo=_photo(), photo_alt="Trees")
    data.update(overrides)
    response = client.post(f"/budgets/delivery/{item.pk}/update/", data)
    assert response.status_code == 200
    assert "There is a problem" in _text(response) and message in _text(response)
    assert not item.updates.exists()


def test_a_file_that_is_not_a_photo_is_refused(client, item, lead):
    client.force_login(lead)
    fake = SimpleUploadedFile("trees.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        f"/budgets/delivery/{item.pk}/update/", _update(photo=fake, photo_alt="Trees")
    )
    assert "The photo must be a JPEG or PNG image" in _text(response)


def test_only_the_mission_lead_posts_updates(client, item, resident):
    client.force_login(resident)
    assert client.get(f"/budgets/delivery/{item.pk}/update/").status_code == 403
    assert client.post(f"/budgets/delivery/{item.pk}/update/", _update()).status_code == 403
    page = _text(client.get(f"/budgets/delivery/{item.pk}/"))
    assert "Post an update" not in page and "No updates yet" in page


def test_a_resident_gets_each_new_update_by_e_mail_until_they_stop(
    client, item, lead, resident, django_capture_on_commit_callbacks
):
    other = UserFactory(roles=["resident"])
    client.force_login(resident)
    page = _text(client.get(f"/budgets/delivery/{item.pk}/"))
    assert "Get updates by e-mail" in page
    response = client.post(f"/budgets/delivery/{item.pk}/follow/", {"follow": "yes"})
    assert response.status_code == 302
    page = _text(client.get(f"/budgets/delivery/{item.pk}/"))
    assert "You will get an e-mail when Pocket park is updated." in page
    assert "Stop getting updates by e-mail" in page
    # Asking twice keeps one subscription.
    client.post(f"/budgets/delivery/{item.pk}/follow/", {"follow": "yes"})
    assert DeliverySubscription.objects.filter(item=item).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_update(
            item=item,
            user=lead,
            status="in_progress",
            progress=60,
            note="The paths are laid.",
            base_url="https://mobilise.example",
        )
    assert [m.to for m in mail.outbox] == [[resident.email]]  # not the lead, not other residents
    sent = mail.outbox[0]
    assert "Pocket park" in sent.subject and "60% done" in sent.subject
    assert "The paths are laid." in sent.body
    assert f"https://mobilise.example/budgets/delivery/{item.pk}/" in sent.body
    assert other.email not in [m.to[0] for m in mail.outbox]

    client.post(f"/budgets/delivery/{item.pk}/follow/", {"follow": "no"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_update(
            item=item, user=lead, status="in_progress", progress=70, note="Benches in."
        )
    assert mail.outbox == []


def test_following_needs_signing_in(client, item):
    response = client.post(f"/budgets/delivery/{item.pk}/follow/", {"follow": "yes"})
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not DeliverySubscription.objects.exists()
