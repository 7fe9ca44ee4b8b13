"""Download my data for the demo's heaviest user: within a minute, as the privacy notice says."""

import time

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from mobilise.accounts import services
from mobilise.accounts.models import DataExport
from mobilise.demo.services import demo_build

pytestmark = pytest.mark.django_db


def _rows_linked(user) -> int:
    user_model = get_user_model()
    return sum(
        model._default_manager.filter(**{field.name: user}).count()
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    )


def test_the_demo_s_heaviest_user_gets_their_data_within_a_minute():
    demo_build()
    heaviest = max(get_user_model().objects.all(), key=_rows_linked)
    assert _rows_linked(heaviest) > 10

    started = time.monotonic()
    export = services.data_export_request(user=heaviest)
    services.data_export_build(export_id=export.pk)
    assert time.monotonic() - started < 60

    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    assert export.size > 1000
