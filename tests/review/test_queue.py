"""The review queue: only the mentor's learners, oldest first, filters, counts, htmx (its
query budget is in tests/perf)."""

from __future__ import annotations

from datetime import UTC, datetime

from lms.extensions import db
from lms.services.reviews import review as reviews
from tests.review.conftest import challenge_step


def test_only_my_learners_oldest_first_with_counts(app, synced, people, submit, make_user,
                                                   link, client_for):
    from lms import clock

    later = make_user(name="Zoe Later")
    link(people.mentor, learner=later)
    with clock.frozen_at(datetime(2026, 3, 2, 9, tzinfo=UTC)):
        submit(later)
    with clock.frozen_at(datetime(2026, 3, 1, 9, tzinfo=UTC)):
        first = submit(people.learner)
    submit(people.other_learner)  # not linked to this mentor
    reviews.decide(people.mentor, first, first.revisions[0], decision="revise", improve="More.")
    db.session.commit()
    with clock.frozen_at(datetime(2026, 3, 3, 9, tzinfo=UTC)):
        submit(people.learner, "identity-mapping", answers={"catalyst_for_change": "Act."})

    queue = reviews.review_queue(people.mentor, reviews.QueueFilters(status="all"))
    names = [row.learner_name for row in queue.page.items]
    assert names == ["Priya Shah", "Zoe Later", "Priya Shah"]
    assert "Jordan Miles" not in names
    assert queue.counts == {"waiting": 2, "commented": 0, "needs_revision": 1, "approved": 0,
                            "private": 0, "withdrawn": 0}

    client = client_for(people.mentor)
    html = client.get("/review/").get_data(as_text=True)
    assert "Waiting for review (2)" in html
    rows = html[html.index("<tbody>"):]
    assert rows.index("Zoe Later") < rows.index("Identity Mapping Challenge")  # oldest first
    assert "Jordan Miles" not in html


def test_filters(app, synced, people, submit, make_user, link, client_for):
    other = make_user(name="Sam Whitfield", email="sam@example.edu")
    link(people.mentor, learner=other)
    submit(people.learner)
    submit(other, "identity-mapping", answers={"catalyst_for_change": "Act."})
    step = challenge_step("identity-mapping")
    client = client_for(people.mentor)

    def names(**args):
        filters = reviews.QueueFilters(status=args.pop("status", "waiting"), **args)
        return [r.learner_name for r in reviews.review_queue(people.mentor,
                                                             filters).page.items]

    assert names(module_id=step.module_id) == ["Sam Whitfield"]
    assert names(step_id=step.id) == ["Sam Whitfield"]
    assert names(learner="SAM@") == ["Sam Whitfield"]
    assert names(learner="priya") == ["Priya Shah"]
    assert names(status="approved") == []
    page = client.get(f"/review/?module={step.module_id}&learner=sam").get_data(as_text=True)
    assert "Sam Whitfield" in page and "Priya Shah" not in page
    # Counts follow the other filters, so they always add up to what a click would show.
    assert '<span class="count">1</span>' in page


def test_htmx_gets_the_fragment_only(app, synced, people, submit, client_for):
    submit(people.learner)
    client = client_for(people.mentor)
    response = client.get("/review/?learner=priya", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "<h1" not in html
    assert "Priya Shah" in html
    assert 'id="queue-status" data-hx-swap-oob="innerHTML"' in html
    assert "1 reflection shown: waiting for review." in html


def test_empty_queue_says_so_kindly(app, people, make_user, client_for):
    lonely = make_user(roles=("mentor",))
    client = client_for(lonely)
    html = client.get("/review/").get_data(as_text=True)
    assert "No learners are linked to you yet" in html
    assert "Nothing is waiting for your review." in html
    client = client_for(people.mentor)
    html = client.get("/review/").get_data(as_text=True)
    assert "No learners are linked to you yet" not in html
    assert "Nothing is waiting for your review." in html
    filtered = client.get("/review/?learner=nobody").get_data(as_text=True)
    assert "No reflections match these filters." in filtered


def test_bad_filter_values_are_ignored_or_refused(app, people, client_for):
    client = client_for(people.mentor)
    for query in ("status=bogus", "page=999"):
        assert client.get(f"/review/?{query}").status_code == 200
    # Numbers from the address go through one parser: not a number is a 400 (issue 13).
    for query in ("module=abc", "challenge=-1", "page=x"):
        assert client.get(f"/review/?{query}").status_code == 400


def test_rows_link_to_their_review_and_name_it_for_screen_readers(app, synced, people, submit,
                                                                  make_user, link, client_for):
    odd = make_user(name="Ann <i>Bold</i>")
    link(people.mentor, learner=odd)
    required = submit(odd)  # equity-impact: review required
    optional = submit(odd, "identity-mapping", answers={"catalyst_for_change": "Act."})
    html = client_for(people.mentor).get("/review/").get_data(as_text=True)
    rows = html[html.index("<tbody>"):html.index("</tbody>")].split("<tr>")[1:]
    by_id = {next(s.id for s in (required, optional) if f"/submissions/{s.id}\"" in row): row
             for row in rows}
    assert set(by_id) == {required.id, optional.id}
    for row in by_id.values():
        assert "Ann &lt;i&gt;Bold&lt;/i&gt;’s" in row and "<i>Bold" not in row
    assert f'href="/review/submissions/{required.id}"' in by_id[required.id]
    assert "Review optional" in by_id[optional.id]
    assert "Review optional" not in by_id[required.id]


def test_the_challenge_filter_is_kept_until_the_catalogue_changes(app, synced, people,
                                                                 client_for, count_queries):
    from lms.models import Step

    step = challenge_step("identity-mapping")
    client = client_for(people.mentor)
    assert step.title in client.get("/review/").get_data(as_text=True)
    with count_queries() as counter:
        client.get("/review/")
    assert not any("steps.position" in s for s in counter.statements)  # choices, in order
    db.session.get(Step, step.id).title = "Mapping, renamed"
    db.session.commit()
    assert "Mapping, renamed" in client.get("/review/").get_data(as_text=True)


def test_a_learner_moving_department_leaves_the_queue_of_its_mentor(
        app, synced, people, submit, make_user, make_department, link, client_for):
    from lms.services.accounts import people as accounts

    surgery = make_department("Surgery")
    mentor = make_user(roles=("mentor",), name="Dept Mentor")
    link(mentor, department=people.department)
    submit(people.other_learner)
    client = client_for(mentor)
    assert "Waiting for review (1)" in client.get("/review/").get_data(as_text=True)
    mover = people.other_learner
    accounts.update_user(mover, actor=people.admin, name=mover.name, email=mover.email,
                         roles=("learner",), department=surgery,
                         is_active=True)
    db.session.commit()
    html = client.get("/review/").get_data(as_text=True)
    assert "Jordan Miles" not in html
    assert "Waiting for review (0)" in html  # the kept counts too


def test_a_kept_queue_page_shows_its_rows_as_they_are_now(app, synced, people, submit,
                                                          make_user, link, client_for,
                                                          count_queries):
    second = make_user(roles=("mentor",), name="Dr. Second")
    link(second, learner=people.learner)
    reflection = submit(people.learner)
    client = client_for(people.mentor)
    assert "Priya Shah" in client.get("/review/").get_data(as_text=True)
    with count_queries() as again:
        client.get("/review/")
    # Which reflections the page lists is kept: only what they show is read again.
    assert not any("mentor_links" in statement for statement in again.statements)
    people.learner.name = "Priya Shah-Okoro"  # moves only the learner's generation
    db.session.commit()
    assert "Priya Shah-Okoro" in client.get("/review/").get_data(as_text=True)
    reviews.decide(second, reflection, reflection.revisions[0], decision="approve",
                   comment="Thank you.")
    db.session.commit()
    html = client.get("/review/").get_data(as_text=True)
    assert "Priya Shah" not in html and "Waiting for review (0)" in html
    assert "Priya Shah-Okoro" in client.get("/review/?status=approved").get_data(as_text=True)
