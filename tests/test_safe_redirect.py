"""Every redirect to an address from the request stays on this site (issue 13, finding 8)."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.models import Notification
from lms.safe_redirect import is_local_path, safe_redirect_target

OFF_SITE = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/ /evil.example",
    "/\x00/evil.example",
    "evil.example",
    "",
    None,
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_only_plain_local_paths_are_followed(target):
    assert not is_local_path(target)
    assert safe_redirect_target(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/", "/learn/some-module?tab=2#notes", "/events/offerings/3"])
def test_local_paths_are_followed(target):
    assert safe_redirect_target(target, "/home") == target


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example"])
def test_sign_in_next_never_leaves_the_site(client, make_user, target):
    from tests.conftest import TEST_PASSWORD
    user = make_user()
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_notification_link_is_followed_only_on_site(client, auth, make_user):
    user = make_user()
    note = Notification(user_id=user.id, kind="test", text="Look", link="/\t/evil.example")
    db.session.add(note)
    db.session.commit()
    auth.login(user)
    response = client.get(f"/review/notifications/{note.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/review/notifications"
