"""Home page, profile and the extension points other areas use."""

from __future__ import annotations

from lms import templating
from lms.extensions import db
from lms.main import views


def test_profile_saves_name_and_pronouns(client, make_user, auth):
    user = make_user(name="Priya Shah")
    auth.login(user)
    response = client.post("/profile", data={"name": "  Priya S.  ", "pronouns": " she/her "})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.pronouns) == ("Priya S.", "she/her")
    assert b"Profile saved." in client.get("/profile").data

    cleared = client.post("/profile", data={"name": "Priya S.", "pronouns": ""})
    assert cleared.status_code == 302
    db.session.refresh(user)
    assert user.pronouns is None


def test_profile_refuses_a_blank_or_overlong_name(client, make_user, auth):
    user = make_user(name="Priya Shah")
    auth.login(user)
    blank = client.post("/profile", data={"name": "   "})
    assert b"This field is required." in blank.data
    long = client.post("/profile", data={"name": "x" * 201, "pronouns": "y" * 41})
    assert b"Field cannot be longer than 200 characters." in long.data
    assert b"Field cannot be longer than 40 characters." in long.data
    db.session.refresh(user)
    assert user.name == "Priya Shah"


def test_privacy_page_is_public(client):
    response = client.get("/privacy")
    assert response.status_code == 200
    assert b"Your privacy in Ally LMS" in response.data


def test_home_sections_follow_roles(app, client, make_user, auth, monkeypatch):
    monkeypatch.setitem(app.extensions, views.HOME_SECTIONS_KEY, [])
    views.add_home_section(app, "errors/_inline.html",
                           lambda user: {"title": f"For mentors, {user.name}", "detail": "x"},
                           roles=("mentor",))
    views.add_home_section(app, "errors/_inline.html", lambda user: {})  # same template: ignored
    assert len(app.extensions[views.HOME_SECTIONS_KEY]) == 1

    auth.login(make_user(roles=("mentor",), name="Dr. Cho"))
    assert b"For mentors, Dr. Cho" in client.get("/").data
    auth.logout()
    auth.login(make_user(roles=("learner",)))
    page = client.get("/").data
    assert b"For mentors" not in page
    assert b"Nothing here yet" in page


def test_navigation_follows_roles(app, client, make_user, auth, monkeypatch):
    monkeypatch.setitem(app.extensions, templating.NAV_KEY, [])
    templating.add_nav(app, "admin.index", "Admin", roles=("admin",))
    templating.add_nav(app, "main.privacy", "Privacy notice")
    auth.login(make_user(roles=("learner",)))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in page and ">Privacy notice<" in page
    assert 'href="/admin/"' not in page
    assert '<a href="/" aria-current="page">Home</a>' in page


def test_the_addresses_every_page_links_are_worked_out_once_per_script_root(
        app, client, auth, make_user):
    auth.login(make_user())
    for root in ("", "/lms", ""):
        page = client.get("/plans/", base_url=f"http://localhost{root}/").get_data(as_text=True)
        assert f'href="{root}/static/css/app.css' in page
        assert f'<a href="{root}/profile">' in page and f'action="{root}/auth/logout"' in page
        assert f'<a href="{root}/plans/" aria-current="page">' in page
