"""``live``: attend an offering of a live training; done when attendance is recorded."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.content.checker import SLUG, Checker, Where
from lms.content.kinds import StepKind
from lms.content.kinds.editor import Editor, Field
from lms.content.yamlio import LineDict
from lms.extensions import db
from lms.models import Offering, Registration, Training
from lms.models.events import ATTENDED


def check(c: Checker, s: LineDict, where: Where) -> dict[str, Any]:
    training = c.text(s, "training", required=True, where=where)
    if training and not SLUG.match(training):
        c.error(s.line_of("training"), _("'training' must be a training slug"), where)
    return {"training": training,
            "body_html": c.markdown_file(s, "body", required=False, where=where)}


def attended_training_slugs(user_id: int) -> set[str]:
    """Slugs of the trainings the person attended at least one offering of (one query).

    A module's ``live`` step is complete when its training slug is in this set.
    """
    rows = db.session.execute(
        select(Training.slug).distinct()
        .join(Offering, Offering.training_id == Training.id)
        .join(Registration, Registration.offering_id == Offering.id)
        .where(Registration.user_id == user_id, Registration.attendance == ATTENDED))
    return set(rows.scalars())


def done(user_id: int, steps: list[Any]) -> set[int]:
    """``live`` steps whose training the person attended."""
    attended = attended_training_slugs(user_id)
    return {s.id for s in steps if s.config.get("training") in attended}


KIND = StepKind("live", frozenset({"training", "body"}), check, label=_l("Live session"),
                help=_l("Attend an offering of a live training (done when attendance is taken)."),
                completion=done, editor=Editor(fields=(
                    Field("training", _l("Training"), hint=_l(
                        "The short name of the live training whose offerings count."),
                        start="training-slug"),
                    Field("body", _l("Text shown with the step"), "markdown", file="{slug}.md",
                          start="Write this step here.\n"))))
