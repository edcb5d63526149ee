"""Wrong passwords slow down the account, not the network (issue 13, finding 6).

Staff behind one hospital NAT share an address: one person's typos must not
lock out everyone, and the refusal says how long to wait for real.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms import clock
from lms.services.accounts.throttle import FREE_PER_ACCOUNT, FREE_PER_PLACE, describe, wait_after
from tests.conftest import TEST_PASSWORD

NOW = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
HOSPITAL = {"REMOTE_ADDR": "198.51.100.7"}


def _sign_in(client, email, password, address=HOSPITAL):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base=address)


def test_waits_grow_and_are_capped():
    assert wait_after(FREE_PER_PLACE, FREE_PER_PLACE) is None
    waits = [wait_after(FREE_PER_PLACE + n, FREE_PER_PLACE) for n in range(1, 8)]
    assert waits[:4] == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2),
                         timedelta(minutes=4)]
    assert waits[-1] == timedelta(minutes=15)
    assert describe(timedelta(seconds=29.2)) == "30 seconds"
    assert describe(timedelta(seconds=61)) == "2 minutes"


def test_wrong_passwords_slow_the_account_and_say_how_long(client, make_user):
    ana = make_user()
    with clock.frozen_at(NOW):
        for _ in range(FREE_PER_PLACE - 1):
            assert _sign_in(client, ana.email, "wrong password!").status_code == 200
        last_free = _sign_in(client, ana.email, "wrong password!")
        assert last_free.status_code == 200
        blocked = _sign_in(client, ana.email, "wrong password!")
        assert blocked.status_code == 200  # counted: the first wait starts now
        assert "please wait 30 seconds" in blocked.get_data(as_text=True)

        refused = _sign_in(client, ana.email, TEST_PASSWORD)  # even the right one waits
        assert refused.status_code == 429
        assert "please wait 30 seconds before trying again" in refused.get_data(as_text=True)
        assert refused.headers["Retry-After"] == "30"
        assert ana.email in refused.get_data(as_text=True)  # what was typed is kept

    with clock.frozen_at(NOW + timedelta(seconds=31)):
        again = _sign_in(client, ana.email, "wrong password!")
        assert "please wait 1 minute" in again.get_data(as_text=True)  # the wait doubles
    with clock.frozen_at(NOW + timedelta(seconds=92)):
        assert _sign_in(client, ana.email, TEST_PASSWORD).status_code == 302


def test_colleagues_behind_the_same_address_are_not_locked_out(client, make_user):
    ana, sam = make_user(), make_user()
    with clock.frozen_at(NOW):
        for _ in range(FREE_PER_PLACE + 3):
            _sign_in(client, ana.email, "wrong password!")
        assert _sign_in(client, ana.email, TEST_PASSWORD).status_code == 429
        assert _sign_in(client, sam.email, TEST_PASSWORD).status_code == 302


def test_the_account_slows_down_when_attempts_come_from_everywhere(client, make_user):
    ana = make_user()
    with clock.frozen_at(NOW):
        for n in range(FREE_PER_ACCOUNT + 1):
            response = _sign_in(client, ana.email, "wrong password!",
                                {"REMOTE_ADDR": f"203.0.113.{n + 1}"})
            assert response.status_code == 200
        fresh_address = {"REMOTE_ADDR": "192.0.2.200"}
        assert _sign_in(client, ana.email, TEST_PASSWORD, fresh_address).status_code == 429


def test_unknown_emails_are_answered_like_real_ones(client, make_user):
    with clock.frozen_at(NOW):
        for _ in range(FREE_PER_PLACE + 1):
            _sign_in(client, "nobody@example.edu", "wrong password!")
        assert _sign_in(client, "nobody@example.edu", "wrong password!").status_code == 429


def test_the_current_password_check_is_throttled_the_same_way(client, auth, make_user):
    ana = make_user()
    auth.login(ana)
    form = {"current": "not my password", "password": "a brand new passphrase",
            "confirm": "a brand new passphrase"}
    with clock.frozen_at(NOW):
        answers = [client.post("/auth/password", data=form, environ_base=HOSPITAL).status_code
                   for _ in range(15)]
        assert answers[:FREE_PER_PLACE + 1] == [200] * (FREE_PER_PLACE + 1)
        assert set(answers[FREE_PER_PLACE + 1:]) == {429}
        right = client.post("/auth/password", data={**form, "current": TEST_PASSWORD},
                            environ_base=HOSPITAL)
        assert right.status_code == 429
        assert "please wait 30 seconds" in right.get_data(as_text=True)
    with clock.frozen_at(NOW + timedelta(minutes=1)):
        right = client.post("/auth/password", data={**form, "current": TEST_PASSWORD},
                            environ_base=HOSPITAL)
        assert right.status_code == 302


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True,
                                         "LMS_LOGIN_RATE_LIMIT": "3 per hour"}])
def test_the_address_ceiling_page_tells_the_real_wait(client):
    for _ in range(3):
        client.post("/auth/forgot", data={"email": "a@example.edu"})
    blocked = client.post("/auth/forgot", data={"email": "a@example.edu"})
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "Please wait 60 minutes before trying again" in page
    assert "wait a minute" not in page
