"""The authoring studio through its pages: write, validate, preview, publish, history, exchange."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from PIL import Image
from sqlalchemy import delete, select

from lms.content.sync import sync_modules
from lms.extensions import db
from lms.models import (
    CheckAttempt,
    Enrollment,
    Module,
    ModuleDraft,
    ModuleVersion,
    StepProgress,
    StudioImage,
    Submission,
)
from lms.services.learning import challenges
from lms.services.studio import drafts, exchange, images
from tests.content_helpers import page, write_module
from tests.fixtures.people import AuthActions


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png()


def csrf(client, url: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                     client.get(url).get_data(as_text=True))[1]


@pytest.fixture
def author(make_user):
    return make_user(roles=("author",), name="Ada Author")


@pytest.fixture
def signed_in(client, author):
    AuthActions(client).login(author)
    return client


def create(client, slug="allyship-basics", title="Allyship basics") -> ModuleDraft:
    token = csrf(client, "/studio/")
    response = client.post("/studio/new", data={"csrf_token": token, "title": title,
                                                "slug": slug})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(ModuleDraft).where(ModuleDraft.slug == slug))


def add_step(client, draft, kind) -> int:
    token = csrf(client, f"/studio/{draft.id}")
    response = client.post(f"/studio/{draft.id}/steps", data={"csrf_token": token,
                                                              "kind": kind})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def save_step(client, draft, index, **fields):
    token = csrf(client, f"/studio/{draft.id}/steps/{index}")
    return client.post(f"/studio/{draft.id}/steps/{index}", data={"csrf_token": token,
                                                                  **fields})


def write_module_in_studio(client) -> ModuleDraft:
    draft = create(client)
    token = csrf(client, f"/studio/{draft.id}")
    client.post(f"/studio/{draft.id}", data={
        "csrf_token": token, "title": "Allyship basics", "summary": "Start here.",
        "topics": "allyship, listening", "estimated_minutes": "20", "pacing": "self-paced"})
    index = add_step(client, draft, "page")
    assert save_step(client, draft, index, title="Welcome", slug="welcome",
                     body="## Why allies matter\n\nListening comes first.").status_code == 302
    index = add_step(client, draft, "challenge")
    response = save_step(client, draft, index, **{
        "title": "Map your identities", "slug": "identities", "review": "optional",
        "prompt_count": "1", "prompt-0-id": "identities", "prompt-0-type": "rows",
        "prompt-0-label": "Your identities", "prompt-0-required": "y",
        "prompt-0-columns": "identity | Identity\nshows | How it shows up | long_text",
        "prompt-0-min_rows": "1"})
    assert response.status_code == 302
    index = add_step(client, draft, "check")
    save_step(client, draft, index, **{
        "title": "Quick check", "slug": "quick-check", "question_count": "1",
        "question-0-id": "q1", "question-0-prompt": "What comes first?",
        "question-0-options": "* Listening | Yes.\nSpeaking | Not first."})
    return draft


def test_an_author_writes_a_module_that_validates_and_publishes(signed_in, author):
    draft = write_module_in_studio(signed_in)
    page_html = signed_in.get(f"/studio/{draft.id}").get_data(as_text=True)
    assert "problem" not in page_html.lower()
    assert "Map your identities" in page_html
    listing = signed_in.get("/studio/").get_data(as_text=True)
    assert "Allyship basics" in listing and "Draft" in listing and "Ada Author" in listing
    assert signed_in.get("/learn/allyship-basics").status_code == 404

    token = csrf(signed_in, f"/studio/{draft.id}")
    response = signed_in.post(f"/studio/{draft.id}/publish", data={"csrf_token": token})
    assert response.status_code == 302
    module = db.session.scalar(select(Module).where(Module.slug == "allyship-basics"))
    assert [s.kind for s in module.steps] == ["page", "challenge", "check"]
    assert module.steps[1].config["prompts"][0]["columns"][1]["type"] == "long_text"
    version = db.session.scalar(select(ModuleVersion).where(ModuleVersion.module_id == module.id))
    assert version.source == "studio" and version.author_id == author.id
    assert signed_in.get("/learn/allyship-basics").status_code == 200


def test_validation_is_shown_at_the_step_and_blocks_publishing(signed_in):
    draft = create(signed_in)
    index = add_step(signed_in, draft, "video")
    save_step(signed_in, draft, index, title="A talk", slug="talk", url="ftp://nope",
              transcript="Words.")
    html = signed_in.get(f"/studio/{draft.id}/steps/{index}").get_data(as_text=True)
    assert "must start with http:// or https://" in html
    token = csrf(signed_in, f"/studio/{draft.id}")
    response = signed_in.post(f"/studio/{draft.id}/publish", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Fix the 1 problem shown" in response.get_data(as_text=True)
    assert db.session.scalar(select(Module).where(Module.slug == draft.slug)) is None


def test_metadata_errors_show_at_their_field(signed_in):
    draft = create(signed_in)
    token = csrf(signed_in, f"/studio/{draft.id}")
    signed_in.post(f"/studio/{draft.id}", data={"csrf_token": token, "title": "T",
                                               "estimated_minutes": "lots",
                                               "pacing": "self-paced"})
    html = signed_in.get(f"/studio/{draft.id}").get_data(as_text=True)
    assert re.search(r'id="estimated_minutes-error">[^<]*whole number', html)


def test_steps_move_up_and_down_and_are_removed(signed_in):
    draft = create(signed_in)
    add_step(signed_in, draft, "page")
    add_step(signed_in, draft, "video")
    token = csrf(signed_in, f"/studio/{draft.id}")
    signed_in.post(f"/studio/{draft.id}/steps/1/move", data={"csrf_token": token,
                                                             "direction": "up"})
    db.session.refresh(draft)
    assert "- slug: video-2" in draft.files["module.yaml"].split("- slug: page-1")[0]
    response = signed_in.post(f"/studio/{draft.id}/steps/0/move", headers={"HX-Request": "1"},
                              data={"csrf_token": token, "direction": "down"})
    assert 'id="move-1-up" data-autofocus="Moved to position 2."' in response.get_data(
        as_text=True)
    signed_in.post(f"/studio/{draft.id}/steps/0/remove", data={"csrf_token": token})
    db.session.refresh(draft)
    assert "page-1" not in draft.files["module.yaml"]
    assert "page-1.md" not in draft.files


def test_prompts_are_added_and_reordered_before_saving(signed_in):
    draft = create(signed_in)
    index = add_step(signed_in, draft, "challenge")
    form = {"title": "Reflect", "slug": "reflect", "prompt_count": "1",
            "prompt-0-id": "first", "prompt-0-type": "long_text", "prompt-0-label": "First"}
    html = save_step(signed_in, draft, index, add_prompt="1", **form).get_data(as_text=True)
    assert 'name="prompt_count" value="2"' in html and "A new prompt" in html
    form.update({"prompt_count": "2", "prompt-1-id": "second", "prompt-1-type": "short_text",
                 "prompt-1-label": "Second"})
    html = save_step(signed_in, draft, index, move_prompt="1:up", **form).get_data(as_text=True)
    assert html.index('value="second"') < html.index('value="first"')


def test_preview_renders_the_learner_player_from_the_draft(signed_in):
    draft = write_module_in_studio(signed_in)
    html = signed_in.get(f"/studio/{draft.id}/preview/identities").get_data(as_text=True)
    assert "Preview of the draft" in html and "Your identities" in html
    assert "How it shows up" in html
    assert signed_in.get(f"/studio/{draft.id}/preview/quick-check").status_code == 200
    assert "Listening comes first" in signed_in.get(
        f"/studio/{draft.id}/preview").get_data(as_text=True)


LEARNER_ADDRESS = re.compile(r'="(/learn/allyship-basics|/studio/\d+/preview)[^"]*"')
TOKEN = re.compile(r'value="[A-Za-z0-9._-]{30,}"')


def player_markup(html: str) -> str:
    """The player of a step page, with the addresses of its forms and of the module's
    steps and the session's CSRF tokens set aside."""
    player = html[html.index('<div class="player">'):html.index("</main>")]
    return TOKEN.sub('value="token"', LEARNER_ADDRESS.sub('="address"', player))


def test_the_preview_is_the_learners_player_for_the_draft(signed_in, make_user):
    draft = write_module_in_studio(signed_in)
    slugs = ["welcome", "identities", "quick-check"]
    previews = {slug: signed_in.get(f"/studio/{draft.id}/preview/{slug}").get_data(
        as_text=True) for slug in slugs}
    second_part = signed_in.get(f"/studio/{draft.id}/preview/identities?part=2").get_data(
        as_text=True)
    assert f'action="/studio/{draft.id}/preview/quick-check"' in previews["quick-check"]
    assert f'href="/studio/{draft.id}/preview/identities?part=2"' in previews["identities"]
    assert "disabled" not in previews["identities"]
    signed_in.post(f"/studio/{draft.id}/publish",
                   data={"csrf_token": csrf(signed_in, f"/studio/{draft.id}")})
    signed_in.post("/auth/logout")
    AuthActions(signed_in).login(make_user(roles=("learner",)))
    for slug in slugs:
        learner = signed_in.get(f"/learn/allyship-basics/{slug}").get_data(as_text=True)
        assert player_markup(previews[slug]) == player_markup(learner), slug
    assert player_markup(second_part) == player_markup(signed_in.get(
        "/learn/allyship-basics/identities?part=2").get_data(as_text=True))


def test_the_preview_records_nothing(signed_in, author):
    draft = write_module_in_studio(signed_in)
    for slug in ("welcome", "identities", "quick-check"):
        signed_in.get(f"/studio/{draft.id}/preview/{slug}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', signed_in.get(
        f"/studio/{draft.id}/preview/quick-check").get_data(as_text=True))[1]
    response = signed_in.post(f"/studio/{draft.id}/preview/quick-check", data={
        "csrf_token": token, "part": "1", "q-q1": "0"})
    assert response.headers["Location"].endswith(f"/studio/{draft.id}/preview/quick-check")
    assert "This is a preview: nothing is saved." in signed_in.get(
        response.headers["Location"]).get_data(as_text=True)
    autosave = signed_in.post(f"/studio/{draft.id}/preview/identities", data={
        "csrf_token": token, "identities-0-identity": "Teacher"}, headers={"HX-Request": "true"})
    assert "nothing is saved" in autosave.get_data(as_text=True)
    for model in (Enrollment, StepProgress, Submission, CheckAttempt):
        assert db.session.scalar(select(model)) is None, model


def test_answers_stay_with_the_prompt_they_were_given_to(signed_in, make_user, client, app):
    draft = write_module_in_studio(signed_in)
    token = csrf(signed_in, f"/studio/{draft.id}")
    signed_in.post(f"/studio/{draft.id}/publish", data={"csrf_token": token})
    module = db.session.scalar(select(Module).where(Module.slug == "allyship-basics"))
    learner = make_user(roles=("learner",))
    step = module.steps[1]
    challenges.submit(learner, step, {"identities": [{"identity": "Teacher",
                                                      "shows": "I lead the room"}]}, 0)
    db.session.commit()
    # The author renames the prompt's column and drops the prompt: publishing asks first.
    save_step(signed_in, draft, 1, **{
        "title": "Map your identities", "slug": "identities", "review": "optional",
        "prompt_count": "1", "prompt-0-id": "values", "prompt-0-type": "long_text",
        "prompt-0-label": "What you value", "prompt-0-required": "y"})
    response = signed_in.post(f"/studio/{draft.id}/publish", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Earlier answers were given to prompts" in response.get_data(as_text=True)
    response = signed_in.post(f"/studio/{draft.id}/publish", data={"csrf_token": token,
                                                                   "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    submission = db.session.scalar(select(Submission).where(Submission.user_id == learner.id))
    assert [p["id"] for p in challenges.prompts_answered(submission)] == ["identities"]
    signed_in.post("/auth/logout")
    AuthActions(signed_in).login(learner)
    html = signed_in.get("/learn/allyship-basics/identities").get_data(as_text=True)
    assert "Your identities" in html and "Teacher" in html and "How it shows up" in html


def test_history_shows_a_readable_diff_and_reverts(signed_in):
    draft = write_module_in_studio(signed_in)
    token = csrf(signed_in, f"/studio/{draft.id}")
    signed_in.post(f"/studio/{draft.id}/publish", data={"csrf_token": token})
    signed_in.post(f"/studio/{draft.id}", data={"csrf_token": token, "title": "Allyship 101",
                                               "pacing": "self-paced"})
    signed_in.post(f"/studio/{draft.id}/publish", data={"csrf_token": token})
    html = signed_in.get(f"/studio/{draft.id}/history").get_data(as_text=True)
    assert html.count("<td>Ada Author</td>") == 2 and "Current" in html
    ids = [v.id for v in db.session.scalars(select(ModuleVersion).order_by(ModuleVersion.id))]
    diff = signed_in.get(f"/studio/{draft.id}/diff?from={ids[0]}&to={ids[1]}").get_data(
        as_text=True)
    assert "<del>−title: Allyship basics</del>" in diff
    assert "<ins>+title: Allyship 101</ins>" in diff
    signed_in.post(f"/studio/{draft.id}/revert/{ids[0]}", data={"csrf_token": token})
    db.session.refresh(draft)
    assert "title: Allyship basics" in draft.files["module.yaml"]
    assert signed_in.get(f"/studio/{draft.id}/diff?from={ids[0]}&to=999").status_code == 404


def test_export_import_export_is_byte_identical(signed_in):
    draft = write_module_in_studio(signed_in)
    first = signed_in.get(f"/studio/{draft.id}/export")
    assert first.headers["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(first.data)).namelist()
    assert names == sorted(names) and "allyship-basics/module.yaml" in names
    token = csrf(signed_in, "/studio/")
    response = signed_in.post("/studio/import", data={
        "csrf_token": token, "archive": (io.BytesIO(first.data), "allyship-basics.zip")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert signed_in.get(f"/studio/{draft.id}/export").data == first.data


def test_images_travel_in_the_zip_and_the_round_trip_is_byte_identical(signed_in):
    draft = write_module_in_studio(signed_in)
    token = csrf(signed_in, f"/studio/{draft.id}")
    signed_in.post(f"/studio/{draft.id}/images", data={
        "csrf_token": token, "image": (io.BytesIO(PNG), "dot.png")},
        content_type="multipart/form-data")
    save_step(signed_in, draft, 0, title="Welcome", slug="welcome",
              body=f"Listening comes first.\n\n![A teal dot](/studio/images/{draft.id}/dot.png)")
    first = signed_in.get(f"/studio/{draft.id}/export").data
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.read("allyship-basics/images/dot.png") == PNG
    assert "![A teal dot](images/dot.png)" in archive.read(
        "allyship-basics/welcome.md").decode()
    # Imported where the draft and its image are gone (another installation, say), as a
    # draft of another number.
    create(signed_in, "placeholder", "Placeholder")
    db.session.execute(delete(StudioImage))
    db.session.delete(draft)
    db.session.commit()
    response = signed_in.post("/studio/import", data={
        "csrf_token": csrf(signed_in, "/studio/"),
        "archive": (io.BytesIO(first), "allyship-basics.zip")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    imported = db.session.scalar(select(ModuleDraft).where(
        ModuleDraft.slug == "allyship-basics"))
    assert imported.id != draft.id
    assert f"](/studio/images/{imported.id}/dot.png)" in imported.files["welcome.md"]
    assert signed_in.get(f"/studio/images/{imported.id}/dot.png").data == PNG
    preview = signed_in.get(f"/studio/{imported.id}/preview/welcome").get_data(as_text=True)
    assert f'src="/studio/images/{imported.id}/dot.png"' in preview
    assert signed_in.get(f"/studio/{imported.id}/export").data == first


def test_an_image_in_the_zip_is_checked_like_an_upload(signed_in):
    draft = write_module_in_studio(signed_in)
    files = dict(draft.files)
    response = signed_in.post("/studio/import", data={
        "csrf_token": csrf(signed_in, "/studio/"),
        "archive": (io.BytesIO(exchange.export_zip("allyship-basics", files, {
            "dot.png": b"<svg onload=alert(1)>"})), "m.zip")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "images/dot.png: Upload a PNG, JPEG, GIF or WebP image." in response.get_data(
        as_text=True)
    assert db.session.scalar(select(StudioImage)) is None
    assert db.session.get(ModuleDraft, draft.id).files == files


def test_import_refuses_what_is_not_a_module(signed_in):
    token = csrf(signed_in, "/studio/")
    for data, message in ((b"not a zip", "This is not a zip file."),
                          (exchange.export_zip("x", {"../evil.md": "x"}), "Unexpected entry"),
                          (exchange.export_zip("bad", {"module.yaml": "slug: bad\n"}),
                           "The module has problems")):
        response = signed_in.post("/studio/import", data={
            "csrf_token": token, "archive": (io.BytesIO(data), "m.zip")},
            content_type="multipart/form-data")
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(ModuleDraft)) is None


def test_sync_reports_a_conflict_with_a_studio_module_and_leaves_it(signed_in, tmp_path, runner):
    root = tmp_path / "modules"
    write_module(root, "allyship-basics", [page("intro")], title="From the folder")
    sync_modules(root)
    db.session.commit()
    module = db.session.scalar(select(Module).where(Module.slug == "allyship-basics"))
    token = csrf(signed_in, "/studio/")
    signed_in.post(f"/studio/adopt/{module.id}", data={"csrf_token": token})
    draft = db.session.scalar(select(ModuleDraft))
    assert draft.files["intro.md"].startswith("## Intro")
    signed_in.post(f"/studio/{draft.id}", data={"csrf_token": token, "title": "From the studio",
                                               "pacing": "self-paced"})
    signed_in.post(f"/studio/{draft.id}/publish", data={"csrf_token": token})
    write_module(root, "allyship-basics", [page("intro")], title="Changed in the folder")
    result = runner.invoke(args=["modules", "sync", "--path", str(root)])
    assert "Conflict: allyship-basics was changed in the studio" in result.output
    db.session.expire_all()
    assert db.session.get(Module, module.id).title == "From the studio"
    result = runner.invoke(args=["modules", "sync", "--path", str(root), "--override-studio"])
    db.session.expire_all()
    assert db.session.get(Module, module.id).title == "Changed in the folder"


def test_images_are_checked_and_served_as_images(signed_in, monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 5000)  # the limit, small enough to send quickly
    draft = create(signed_in)
    token = csrf(signed_in, f"/studio/{draft.id}")

    def upload(data, name):
        return signed_in.post(f"/studio/{draft.id}/images", data={
            "csrf_token": token, "image": (io.BytesIO(data), name)},
            content_type="multipart/form-data")

    assert "Upload a PNG, JPEG, GIF or WebP image." in upload(
        b"<svg onload=alert(1)>", "x.png").get_data(as_text=True)
    assert "could not be read as an image" in upload(
        b"\x89PNG\r\n\x1a\n" + b"junk" * 10, "x.png").get_data(as_text=True)
    assert "must end in .png" in upload(PNG, "dot.html").get_data(as_text=True)
    assert "larger than 2 MB" in upload(PNG + b"\0" * 5001, "big.png").get_data(as_text=True)
    assert upload(PNG, "My Dot.PNG").status_code == 302
    response = signed_in.get(f"/studio/images/{draft.id}/my-dot.png")
    assert response.data == PNG and response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_the_studio_list_runs_a_fixed_number_of_queries(signed_in, count_queries):
    create(signed_in, "one", "One")
    with count_queries() as few:
        signed_in.get("/studio/")
    for n in range(4):
        create(signed_in, f"more-{n}", f"More {n}")
    with count_queries() as many:
        signed_in.get("/studio/")
    assert many.count == few.count


def test_a_prompts_problem_is_shown_in_its_own_fieldset(signed_in):
    draft = create(signed_in)
    index = add_step(signed_in, draft, "challenge")
    save_step(signed_in, draft, index, **{
        "title": "Reflect", "slug": "reflect", "prompt_count": "2",
        "prompt-0-id": "fine", "prompt-0-type": "long_text", "prompt-0-label": "Fine",
        "prompt-1-id": "rows", "prompt-1-type": "rows", "prompt-1-label": "Rows",
        "prompt-1-min_words": "5"})
    html = signed_in.get(f"/studio/{draft.id}/steps/{index}").get_data(as_text=True)
    fieldset = html.split('id="prompt-1-heading"')[1].split("</fieldset>")[0]
    assert "&#39;columns&#39; must be a non-empty list" in fieldset
    assert 'href="#prompt-1-heading">Prompt 2: &#39;columns&#39; must be' in html
    assert "To fix" not in html.split('id="prompt-1-heading"')[0]


def test_a_checks_pass_rules_are_edited_and_kept(signed_in):
    draft = create(signed_in)
    index = add_step(signed_in, draft, "check")
    fields = {"title": "Quick check", "slug": "quick-check", "question_count": "2",
              "question-0-id": "q1", "question-0-prompt": "What comes first?",
              "question-0-options": "* Listening\nSpeaking",
              "question-1-id": "q2", "question-1-prompt": "And then?",
              "question-1-options": "* Asking\nTelling",
              "pass_mark": "80", "attempts": "3", "feedback": "when_done", "draw": "1"}
    assert save_step(signed_in, draft, index, **fields).status_code == 302
    step = drafts.step_at(draft, index)
    assert {key: step.get(key) for key in ("pass_mark", "attempts", "feedback", "draw")} == {
        "pass_mark": 80, "attempts": 3, "feedback": "when_done", "draw": 1}
    page = signed_in.get(f"/studio/{draft.id}/steps/{index}").get_data(as_text=True)
    assert 'id="pass_mark" name="pass_mark" value="80"' in page
    assert '<option value="when_done" selected>' in page

    # The validator's check of the kind names a draw larger than the pool.
    save_step(signed_in, draft, index, **{**fields, "draw": "5"})
    assert "asks for 5 questions but the pool has 2" in signed_in.get(
        f"/studio/{draft.id}/steps/{index}").get_data(as_text=True)
    save_step(signed_in, draft, index, **{**fields, "pass_mark": "", "attempts": "",
                                           "feedback": "each_try", "draw": ""})
    assert not {"pass_mark", "attempts", "feedback", "draw"} & set(drafts.step_at(draft, index))


def test_a_module_folder_with_images_syncs_and_shows_them(signed_in, runner, tmp_path,
                                                          make_user):
    draft = write_module_in_studio(signed_in)
    signed_in.post(f"/studio/{draft.id}/images", data={
        "csrf_token": csrf(signed_in, f"/studio/{draft.id}"),
        "image": (io.BytesIO(PNG), "dot.png")}, content_type="multipart/form-data")
    save_step(signed_in, draft, 0, title="Welcome", slug="welcome",
              body=f"Listening comes first.\n\n![A teal dot](/studio/images/{draft.id}/dot.png)")
    exported = signed_in.get(f"/studio/{draft.id}/export").data
    # The export committed to modules/ of an installation that never had the draft.
    db.session.execute(delete(StudioImage))
    db.session.delete(draft)
    db.session.commit()
    root = tmp_path / "modules"
    zipfile.ZipFile(io.BytesIO(exported)).extractall(root)
    assert (root / "allyship-basics" / "images" / "dot.png").read_bytes() == PNG

    result = runner.invoke(args=["modules", "sync", "--path", str(root)])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    db.session.expire_all()
    module = db.session.scalar(select(Module).where(Module.slug == "allyship-basics"))
    stored = db.session.scalar(select(StudioImage))
    assert stored.data == PNG and stored.media_type == "image/png"
    synced = db.session.get(ModuleDraft, stored.draft_id)
    assert synced.module_id == module.id
    served = f"/studio/images/{synced.id}/dot.png"
    assert f"![A teal dot]({served})" in synced.files["welcome.md"]

    learner = make_user(roles=("learner",))
    AuthActions(signed_in).login(learner)
    signed_in.post("/learn/allyship-basics/start")
    page = signed_in.get("/learn/allyship-basics/welcome").get_data(as_text=True)
    assert f'<img src="{served}" alt="A teal dot">' in page
    assert signed_in.get(served).data == PNG

    again = runner.invoke(args=["modules", "sync", "--path", str(root)])
    assert again.exit_code == 0 and "1 unchanged" in again.output
    # The studio exports the synced module as the folder it came from.
    AuthActions(signed_in).login(make_user(roles=("author",)))
    assert signed_in.get(f"/studio/{synced.id}/export").data == exported


def test_a_folder_image_that_is_not_one_stops_its_module(app, runner, tmp_path):
    root = tmp_path / "modules"
    write_module(root, "with-images", [page("welcome")])
    (root / "with-images" / "images").mkdir()
    (root / "with-images" / "images" / "dot.png").write_bytes(b"<svg onload=alert(1)>")
    result = runner.invoke(args=["modules", "sync", "--path", str(root)])
    assert result.exit_code == 1
    assert "images/dot.png: Upload a PNG, JPEG, GIF or WebP image." in result.output
    assert db.session.scalar(select(Module)) is None
    assert db.session.scalar(select(ModuleDraft)) is None
    assert db.session.scalar(select(StudioImage)) is None


def test_the_studios_messages_follow_the_language(signed_in, author):
    author.locale = "es"
    db.session.commit()
    draft = create(signed_in)
    response = signed_in.post(f"/studio/{draft.id}/images", data={
        "csrf_token": csrf(signed_in, f"/studio/{draft.id}"),
        "image": (io.BytesIO(b"<svg onload=alert(1)>"), "x.png")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Suba una imagen PNG, JPEG, GIF o WebP." in response.get_data(as_text=True)
    refused = signed_in.post("/studio/import", data={
        "csrf_token": csrf(signed_in, "/studio/"),
        "archive": (io.BytesIO(b"not a zip"), "m.zip")}, content_type="multipart/form-data")
    assert "Esto no es un archivo zip." in refused.get_data(as_text=True)


def test_a_spanish_author_reads_the_validators_problems_in_spanish(signed_in, author):
    author.locale = "es"
    db.session.commit()
    draft = create(signed_in)
    index = add_step(signed_in, draft, "challenge")
    assert drafts.step_at(draft, index)["title"] == "Nuevo paso: reto"
    save_step(signed_in, draft, index, **{
        "title": "Reflect", "slug": "reflect", "prompt_count": "2",
        "prompt-0-id": "fine", "prompt-0-type": "long_text", "prompt-0-label": "Fine",
        "prompt-1-id": "rows", "prompt-1-type": "rows", "prompt-1-label": "Rows"})
    html = signed_in.get(f"/studio/{draft.id}/steps/{index}").get_data(as_text=True)
    fieldset = html.split('id="prompt-1-heading"')[1].split("</fieldset>")[0]
    assert "&#39;columns&#39; debe ser una lista no vacía" in fieldset
    assert "must be" not in html
    # The draft's overview names the step's problem in Spanish too.
    overview = signed_in.get(f"/studio/{draft.id}").get_data(as_text=True)
    assert "pregunta &#39;rows&#39;: &#39;columns&#39; debe ser una lista no vacía" in overview


def test_new_steps_and_parts_are_titled_in_the_authors_language(signed_in, author):
    draft = create(signed_in)
    index = add_step(signed_in, draft, "page")
    assert drafts.step_at(draft, index)["title"] == "New page"
    author.locale = "es"
    db.session.commit()
    index = add_step(signed_in, draft, "check")
    assert drafts.step_at(draft, index)["title"] == "Nuevo paso: comprobación de conocimientos"


def test_a_spanish_author_reads_an_imported_modules_problems_in_spanish(signed_in, author):
    author.locale = "es"
    db.session.commit()
    token = csrf(signed_in, "/studio/")
    response = signed_in.post("/studio/import", data={
        "csrf_token": token,
        "archive": (io.BytesIO(exchange.export_zip("bad", {"module.yaml": "slug: bad\n"})),
                    "m.zip")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert ("El módulo tiene problemas: modules/bad/module.yaml:1: falta el campo obligatorio "
            "&#39;title&#39;") in response.get_data(as_text=True)
