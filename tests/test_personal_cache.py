"""Cached home panels and navigation counts: per person, and never stale after a change.

Two people sign in one after the other through the same application (one
worker, one cache) and each sees only their own panels; what one does shows
on their own next page at once. Runs with the in-process cache and, when a
Redis server answers on 127.0.0.1:6379, with Redis as production would.
"""

from __future__ import annotations

import re
import socket
from datetime import timedelta

import pytest

from lms import clock, create_app
from lms.extensions import cache, db
from lms.services import duedates, personal_cache
from lms.services.learning import progress as learning
from lms.viewtools import CSRF_PLACEHOLDER
from tests.assignments.helpers import assign, at, complete_module, write_short_module
from tests.content_helpers import page, write_module
from tests.fixtures.database import TEST_PASSWORD, test_config
from tests.learn.conftest import module_root, sync_root  # noqa: F401 - fixtures


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture(params=["memory", "redis"])
def cache_kind(request, app):
    if request.param == "redis":
        if not _redis_answers():
            pytest.skip("no Redis on 127.0.0.1:6379")
        from lms import cache_config

        saved = dict(app.config)
        app.config["LMS_CACHE_REDIS_URL"] = "redis://127.0.0.1:6379/15"
        settings = cache_config(app)
        settings["CACHE_KEY_PREFIX"] += f"test-{id(request)}:"
        cache.init_app(app, config=settings)
        yield "redis"
        cache.clear()
        app.config.update(saved)
        cache.init_app(app, config=cache_config(app))
        return
    yield "memory"


@pytest.fixture
def two_modules(app, module_root, sync_root):  # noqa: F811 - fixtures from learn
    write_short_module(module_root)
    write_module(module_root, "second-course", [page("one")], title="Second course")
    sync_root()
    return learning.published_module("short-course"), learning.published_module("second-course")


def test_two_people_through_one_worker_see_only_their_own_panels(
        cache_kind, app, client, auth, admin, make_user, two_modules):
    first, second = two_modules
    alex, blair = make_user(name="Alex Example"), make_user(name="Blair Example")
    due = duedates.today() + timedelta(days=20)
    assign(admin, first, target_kind="people", people_emails=[alex.email], due_on=due)
    assign(admin, second, target_kind="people", people_emails=[blair.email], due_on=due)

    auth.login(alex)
    for _ in range(2):  # the second answer comes from the cache
        home = client.get("/").get_data(as_text=True)
        assert first.title in home and second.title not in home
    auth.logout()

    auth.login(blair)
    home = client.get("/").get_data(as_text=True)
    assert second.title in home and first.title not in home
    auth.logout()

    # What Alex does shows on Alex's next page (the signal moves Alex's generation).
    auth.login(alex)
    learning.start_module(alex, first)
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert f'Continue<span class="visually-hidden"> {first.title}' in home


def test_cached_panels_carry_the_current_sessions_csrf_token(app, make_user, two_modules,
                                                            admin):
    """A form in a cached panel (renewing a completion) posts with the token of the
    browser that asked for the page, not of the one whose answer was cached."""
    person = make_user()
    first, _ = two_modules
    start = duedates.today()
    with clock.frozen_at(at(start)):
        assign(admin, first, target_kind="people", people_emails=[person.email],
               due_on=start + timedelta(days=3), recertify_months=1)
        complete_module(person, first)
    tokens = []
    with clock.frozen_at(at(start + timedelta(days=20))):
        for _ in range(2):
            browser = app.test_client()
            browser.post("/auth/login", data={"email": person.email,
                                              "password": TEST_PASSWORD})
            home = browser.get("/").get_data(as_text=True)
            assert CSRF_PLACEHOLDER not in home
            found = re.search(r'name="csrf_token" value="([^"]+)"', home)
            assert found, "the renewal form is on the page"
            with browser.session_transaction() as session:
                assert session.get("csrf_token")
            tokens.append(found.group(1))
    assert tokens[0] != tokens[1]


def test_a_commit_moves_the_generation_of_the_people_it_wrote(app, make_user):
    person, other = make_user(), make_user()
    before = personal_cache.generation(person.id), personal_cache.generation(other.id)
    person.pronouns = "they/them"
    db.session.commit()
    after = personal_cache.generation(person.id), personal_cache.generation(other.id)
    assert after[0] != before[0]
    assert after[1].split(".")[1] == before[1].split(".")[1]


def test_redis_keys_name_the_database(tmp_path):
    one = create_app(test_config(f"sqlite:///{tmp_path}/one.db",
                                 LMS_CACHE_REDIS_URL="redis://127.0.0.1:6379/15"))
    two = create_app(test_config(f"sqlite:///{tmp_path}/two.db",
                                 LMS_CACHE_REDIS_URL="redis://127.0.0.1:6379/15"))
    from lms import cache_config

    assert cache_config(one)["CACHE_TYPE"] == "RedisCache"
    assert cache_config(one)["CACHE_KEY_PREFIX"] != cache_config(two)["CACHE_KEY_PREFIX"]


# --- the whole home page ----------------------------------------------------------------------

def test_a_second_visit_home_runs_only_the_sign_in_queries(
        client, auth, make_user, two_modules, admin, count_queries):
    first, _ = two_modules
    person = make_user()
    assign(admin, first, target_kind="people", people_emails=[person.email],
           due_on=duedates.today() + timedelta(days=20))
    auth.login(person)
    client.get("/")

    with count_queries() as counter:
        home = client.get("/").get_data(as_text=True)

    assert first.title in home and CSRF_PLACEHOLDER not in home
    assert counter.count == 1  # the person and their role names: who asks is always checked


def test_a_message_shown_once_is_shown_once_on_a_cached_home(client, auth, make_user):
    auth.login(make_user())
    client.get("/")  # kept
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Your certificate is ready.")]

    assert "Your certificate is ready." in client.get("/").get_data(as_text=True)
    assert "Your certificate is ready." not in client.get("/").get_data(as_text=True)


def test_the_unread_count_follows_new_and_read_notifications(client, auth, make_user):
    from lms.services import notifications

    person = make_user()
    auth.login(person)
    assert "(1 unread)" not in client.get("/").get_data(as_text=True)

    notifications.notify(person, "review", "Your reflection was approved.")
    db.session.commit()
    assert "(1 unread)" in client.get("/").get_data(as_text=True)
    assert "(1 unread)" in client.get("/plans/").get_data(as_text=True)

    notifications.mark_all_read(person)
    db.session.commit()
    assert "(1 unread)" not in client.get("/").get_data(as_text=True)


def test_a_cached_home_follows_the_persons_name_and_language(client, auth, make_user):
    person = make_user(name="Robin Example")
    auth.login(person)
    assert "Welcome, Robin Example" in client.get("/").get_data(as_text=True)

    person.name, person.locale = "Robin Ejemplo", "es"
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "Le damos la bienvenida, Robin Ejemplo" in home and "Welcome" not in home


def test_a_change_one_worker_commits_reaches_the_pages_another_worker_kept(tmp_path):
    """Two worker processes without Redis: each keeps pages in its own memory, and the
    generations they share through LMS_CACHE_DIR tell the other one what is stale."""
    from lms.services.accounts import passwords
    from lms.services.accounts import people as accounts

    url = f"sqlite:///{tmp_path}/shared.db"
    workers = [create_app(test_config(url, LMS_CACHE_DIR=str(tmp_path / "generations")))
               for _ in range(2)]
    with workers[0].app_context():
        db.create_all()
        person = accounts.create_user(email="robin@example.edu", name="Robin Example")
        passwords.set_password(person, TEST_PASSWORD)
        db.session.commit()
    first, second = (worker.test_client() for worker in workers)
    for browser in (first, second):
        browser.post("/auth/login", data={"email": "robin@example.edu",
                                          "password": TEST_PASSWORD})
    assert "Welcome, Robin Example" in second.get("/").get_data(as_text=True)  # kept

    first.post("/profile", data={"name": "Robin Changed", "pronouns": "", "licence_number": "",
                                 "locale": ""})

    assert "Welcome, Robin Changed" in second.get("/").get_data(as_text=True)


def test_the_in_process_cache_keeps_a_page_in_a_fraction_of_its_size(client, auth, make_user):
    auth.login(make_user())
    client.get("/")
    page = client.get("/").get_data()

    held = max(len(value) for _expires, value in cache.cache._cache.values())
    assert held < len(page) / 2


def test_a_commit_that_moves_everyones_generation_writes_only_that_one(app, make_user,
                                                                        monkeypatch):
    from lms.models import Department

    person, other = make_user(), make_user()
    before = personal_cache.generation(person.id), personal_cache.generation(other.id)
    moved = []
    monkeypatch.setattr(personal_cache, "forget_people", lambda ids: moved.append(set(ids)))
    person.pronouns = "they/them"
    db.session.add(Department(name="Shared by everyone"))
    db.session.commit()
    monkeypatch.undo()
    after = personal_cache.generation(person.id), personal_cache.generation(other.id)
    assert moved == []
    assert after[0] != before[0] and after[1] != before[1]


def test_a_cache_time_of_zero_keeps_nothing(tmp_path):
    from lms import cache_config

    app = create_app(test_config(f"sqlite:///{tmp_path}/none.db", LMS_CACHE_SECONDS=0))
    assert cache_config(app)["CACHE_TYPE"] == "NullCache"
    with app.test_request_context():
        calls = []
        for _ in range(2):
            personal_cache.cached(1, "panel", lambda: calls.append(1) or "html")
        assert len(calls) == 2  # worked out each time, not kept "forever"


def test_a_page_reads_the_generations_once_and_again_after_its_own_commit(
        app, client, auth, make_user, monkeypatch):
    store = app.extensions[personal_cache.GENERATIONS_KEY]
    reads = []
    read_many = store.get_many
    monkeypatch.setattr(store, "get_many", lambda *keys: reads.append(keys) or read_many(*keys))
    person = make_user()
    auth.login(person)
    client.get("/events/")
    reads.clear()

    client.get("/events/")  # its kept sessions list and the navigation's count
    assert len(reads) == 1

    with app.test_request_context("/"):
        before = personal_cache.generation(person.id)
        person.pronouns = "she/her"
        db.session.commit()
        assert personal_cache.generation(person.id) != before


def test_a_kept_value_that_time_made_stale_is_worked_out_and_kept_again(app):
    with app.test_request_context("/"):
        made = []

        def compute():
            made.append(1)
            return len(made)

        def good(value):
            return value > 1  # the first value is stale once kept

        assert personal_cache.cached(7, "list", compute, still_good=good) == 1
        assert personal_cache.cached(7, "list", compute, still_good=good) == 2  # made again
        assert personal_cache.cached(7, "list", compute, still_good=good) == 2  # and kept
        assert len(made) == 2
