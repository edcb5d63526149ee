"""The register/cancel forms' ``next`` stays on this site (issue 13, finding 8)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("action", ["register", "cancel"])
@pytest.mark.parametrize("target", [
    "/\t/evil.example", "/\n/evil.example", "/x\r\nSet-Cookie: a=b"])
def test_live_session_forms_never_leave_the_site(client, auth, make_user, make_offering,
                                                 action, target):
    offering = make_offering()
    auth.login(make_user())
    if action == "cancel":
        client.post(f"/events/offerings/{offering.id}/register", data={"next": "/events/"})
    response = client.post(f"/events/offerings/{offering.id}/{action}", data={"next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/offerings/{offering.id}"
