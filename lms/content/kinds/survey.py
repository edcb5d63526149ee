"""``survey``: an anonymous post-module evaluation (agreement scales, yes/no)."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.content.checker import DEFAULT_LIKERT, Checker, Where
from lms.content.kinds import Answered, StepKind, Visit
from lms.content.kinds.editor import Editor, Field, Part, Posted, put
from lms.content.yamlio import LineDict

ITEM_TYPES = ("likert", "yes_no")


def check(c: Checker, s: LineDict, where: Where) -> dict[str, Any]:
    items = []
    seen: set[str] = set()
    for i in c.mapping_list(s, "items", where=where):
        i_where = where.part("item", i.get("id", "?"))
        c.unknown_keys(i, {"id", "type", "text", "scale"}, i_where)
        iid = c.item_id(i, seen, own_where=i_where, where=where,
                        duplicate=_("duplicate item id '%(id)s'", id=i.get("id")))
        kind = c.choice(i, "type", ITEM_TYPES, default="likert", where=i_where)
        item = {"id": iid, "type": kind, "text": c.text(i, "text", required=True, where=i_where)}
        if kind == "likert":
            item["scale"] = c.text_list(i, "scale", where=i_where) or DEFAULT_LIKERT
        items.append(item)
    return {"items": items, "intro_html": c.markdown_file(s, "intro", required=False,
                                                          where=where)}


def sample(config: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """An evaluation leaning towards agreement."""
    answers = {}
    for item in config["items"]:
        if item["type"] == "yes_no":
            answers[item["id"]] = "yes" if rng.random() < 0.85 else "no"
        else:
            scale = item["scale"]
            answers[item["id"]] = scale[min(len(scale) - 1, int(rng.triangular(
                0, len(scale), len(scale) - 1)))]
    return answers


def context(visit: Visit) -> dict[str, Any]:
    """Whether the person has answered already (they are thanked, not asked again)."""
    return {"answered": visit.learning.surveys.has_answered(visit.user, visit.step)}


def read(visit: Visit, form: Any) -> tuple[dict[str, Any], list[str]]:
    """The answers chosen in a posted form, and the ids of items left unanswered."""
    answers, missing = {}, []
    for item in visit.step.config["items"]:
        value = form.get(f"s-{item['id']}", "")
        allowed = item.get("scale") if item["type"] == "likert" else ["yes", "no"]
        if value in allowed:
            answers[item["id"]] = value
        else:
            missing.append(item["id"])
    return answers, missing


def accept(visit: Visit, form: Any) -> Answered:
    """Every item answered (or an optional survey skipped): the answers are kept without
    the person (``surveys.record_response``) and the step is done."""
    answers, missing = read(visit, form)
    skip = form.get("skip") == "1" and visit.step.is_optional
    if missing and not skip:
        return Answered(refused={"answered": False, "chosen": answers, "missing": missing})
    if not skip:
        visit.learning.surveys.record_response(visit.user, visit.step, answers)
    visit.learning.progress.mark_step_done(visit.user, visit.step)
    return Answered(message=_("Thank you. Your answers were stored without your name."))


def _item(form: Posted, i: int) -> dict[str, Any]:
    item: dict[str, Any] = {"id": form.text(f"item-{i}-id"),
                            "type": form.get(f"item-{i}-type", "likert"),
                            "text": form.text(f"item-{i}-text")}
    if item["type"] == "likert":
        put(item, "scale", form.lines(f"item-{i}-scale"))
    return item


EDITOR = Editor(
    fields=(Field("intro", _l("Introduction"), "markdown", file="{slug}-intro.md"),),
    parts=(Part("item", "items", _l("Statement %(number)d"), lambda items: {
        "id": f"item{len(items) + 1}", "type": "likert", "text": _("A new statement")}),),
    start={"items": [{"id": "useful", "type": "likert", "text": "This module was useful."}]},
    read=lambda form: {"items": [_item(form, i) for i in form.indexes("item")]},
    template="studio/_kind_survey.html")


KIND = StepKind("survey", frozenset({"items", "intro"}), check, label=_l("Evaluation survey"),
                help=_l("Anonymous statements to agree with, or yes/no questions."), sample=sample,
                read=read, context=context, accept=accept, editor=EDITOR)
