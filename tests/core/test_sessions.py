"""The session store reads a session by its written-out statement (tuson_hcc/accounts/sessions.py):
the same answers as Django's database store, in one query."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tuson_hcc.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_live_session_loads_and_an_expired_or_unknown_one_does_not(django_assert_num_queries):
    live = SessionStore()
    live["answer"] = 42
    live.create()
    with django_assert_num_queries(1):
        assert SessionStore(live.session_key).load() == {"answer": 42}

    Session.objects.filter(session_key=live.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(live.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key on the next save, never the old one

    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_a_signed_in_client_stays_signed_in_until_its_session_expires(client, demo_users):
    client.force_login(demo_users["vanthu"])
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/").status_code == 302  # to the login page
