"""The modules learners work on: the synced real ones, then generated ones when more are asked.

Generated modules are published modules of plain page steps, stored like
synced ones (module, version, steps). They have no folder in ``modules/``,
so a later ``flask modules sync`` unpublishes them (their history stays).
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lms.content.markdown import render_markdown
from lms.demo.scale import words
from lms.demo.scale.build import Build, ModulePlan, StepPlan, unique_name
from lms.extensions import db
from lms.models import Module
from lms.services.errors import DomainError

VARIANTS = 6


def choose_modules(b: Build) -> None:
    """The first ``module_count`` synced modules, plus generated ones to make up the number;
    and the module and challenge step the benchmark's learners work on."""
    real = list(db.session.execute(
        sa.select(Module).where(Module.is_published).order_by(Module.id)
        .options(selectinload(Module.steps))).scalars())
    if not real:
        raise DomainError("No published modules: run `flask modules sync` first.")
    rng = b.rng("content")
    plans = [_plan(module, rng) for module in real[:b.module_count]]
    missing = b.module_count - len(plans)
    if missing > 0:
        plans += _generated_modules(b, missing, rng)
    b.modules = _prerequisites_first(plans)
    b.bench_module, b.bench_step = _bench_step(b.modules)


def _plan(module: Module, rng: random.Random) -> ModulePlan:
    steps = [StepPlan(id=s.id, slug=s.slug, kind=s.kind, title=s.title,
                      unlock_days=s.unlock_after_days if module.pacing == "spaced" else 0,
                      config=s.config) for s in module.steps if not s.is_optional]
    for step in steps:
        _add_variants(step, rng)
    return ModulePlan(id=module.id, slug=module.slug, title=module.title,
                      content_hash=module.content_hash, has_certificate=module.has_certificate,
                      minutes=module.estimated_minutes, standard=module.standard,
                      prerequisites=list(module.prerequisites or []), steps=steps)


def _prerequisites_first(plans: list[ModulePlan]) -> list[ModulePlan]:
    """Modules in an order where each comes after the modules it requires."""
    ordered: list[ModulePlan] = []
    remaining = list(plans)
    while remaining:
        placed = {p.slug for p in ordered}
        ready = [p for p in remaining if all(r in placed or r not in {q.slug for q in plans}
                                             for r in p.prerequisites)] or remaining[:1]
        ordered.append(ready[0])
        remaining.remove(ready[0])
    return ordered


def _bench_step(plans: list[ModulePlan]) -> tuple[ModulePlan | None, StepPlan | None]:
    """An open reflection challenge: no prerequisites, no waiting days; review required
    preferred (it feeds the mentors' queues), individual work preferred."""
    best = None
    for plan in plans:
        if plan.prerequisites:
            continue
        for step in plan.steps:
            if step.kind != "challenge" or step.unlock_days:
                continue
            rank = (not step.review_required, step.config.get("mode") == "group")
            if best is None or rank < best[0]:
                best = (rank, plan, step)
    return (best[1], best[2]) if best else (None, None)


# --- answers ---------------------------------------------------------------------------------

def _long_text(prompt: dict, rng: random.Random) -> str:
    wanted = max(prompt.get("min_words") or 0, 20) + 12
    limit = prompt.get("max_words")
    sentences, count = [], 0
    while count < wanted:
        sentence = rng.choice(words.REFLECTION_SENTENCES)
        if limit and count + len(sentence.split()) > limit:
            break
        sentences.append(sentence)
        count += len(sentence.split())
    return " ".join(sentences)


def _cell(column: dict, rng: random.Random) -> str:
    if column["type"] == "single_choice":
        return rng.choice(column["options"])
    if column["type"] == "long_text":
        return rng.choice(words.REFLECTION_SENTENCES)
    return rng.choice(words.SHORT_ANSWERS)


def _answer(prompt: dict, rng: random.Random) -> Any:
    kind = prompt["type"]
    if kind == "long_text":
        return _long_text(prompt, rng)
    if kind == "short_text":
        return rng.choice(words.SHORT_ANSWERS)[:prompt.get("max_chars") or 300]
    if kind == "single_choice":
        return rng.choice(prompt["options"])
    if kind == "multi_choice":
        return rng.sample(prompt["options"], k=min(2, len(prompt["options"])))
    if kind == "likert":
        return rng.choice(prompt["scale"][len(prompt["scale"]) // 2:])
    if kind == "acknowledge":
        return True
    rows = min(max(prompt.get("min_rows", 1), rng.randint(2, 4)), prompt.get("max_rows", 20))
    return [{c["id"]: _cell(c, rng) for c in prompt["columns"]} for _ in range(rows)]


def challenge_answers(prompts: list[dict], rng: random.Random, *, draft: bool = False) -> dict:
    """Answers that pass the final checks of a submission; a draft answers the first half."""
    chosen = prompts[:max(1, len(prompts) // 2)] if draft else prompts
    return {p["id"]: _answer(p, rng) for p in chosen}


def _check_result(questions: list[dict], rng: random.Random) -> dict:
    chosen = {}
    for question in questions:
        options = question["options"]
        right = [k for k, o in enumerate(options) if o["correct"]]
        chosen[question["id"]] = right[0] if rng.random() < 0.8 else rng.randrange(len(options))
    correct = sum(1 for q in questions if q["options"][chosen[q["id"]]]["correct"])
    return {"chosen": chosen, "correct": correct, "total": len(questions)}


def _survey_answers(items: list[dict], rng: random.Random) -> dict:
    answers = {}
    for item in items:
        if item["type"] == "yes_no":
            answers[item["id"]] = "yes" if rng.random() < 0.85 else "no"
        else:
            scale = item["scale"]
            answers[item["id"]] = scale[min(len(scale) - 1, int(rng.triangular(
                0, len(scale), len(scale) - 1)))]
    return answers


def _add_variants(step: StepPlan, rng: random.Random) -> None:
    config = step.config
    if step.kind == "challenge":
        step.variants = [json.dumps(challenge_answers(config["prompts"], rng))
                         for _ in range(VARIANTS)]
        step.drafts = [json.dumps(challenge_answers(config["prompts"], rng, draft=True))
                       for _ in range(VARIANTS)]
    elif step.kind == "check":
        step.variants = [json.dumps(_check_result(config["questions"], rng))
                         for _ in range(VARIANTS)]
    elif step.kind == "survey":
        step.variants = [json.dumps(_survey_answers(config["items"], rng))
                         for _ in range(VARIANTS * 4)]


# --- generated modules -----------------------------------------------------------------------

def _page_html(rng: random.Random, title: str) -> str:
    paragraphs = rng.sample(words.PAGE_PARAGRAPHS, k=3)
    return render_markdown(f"## {title}\n\n" + "\n\n".join(paragraphs))


def _generated_modules(b: Build, count: int, rng: random.Random) -> list[ModulePlan]:
    connection = b.loader.connection
    taken_slugs = set(connection.scalars(sa.select(Module.slug)))
    module_base = b.loader.next_id("modules")
    step_base = b.loader.next_id("steps")
    version_base = b.loader.next_id("module_versions")
    stamp = b.ago(30 * 1440)
    module_rows, step_rows, version_rows, plans = [], [], [], []
    for k in range(count):
        title, summary, topics = words.MODULE_TOPICS[k % len(words.MODULE_TOPICS)]
        if k >= len(words.MODULE_TOPICS):
            title = f"{title} {k // len(words.MODULE_TOPICS) + 1}"
        plain = "".join(c for c in title.lower().replace(" ", "-") if c.isalnum() or c == "-")
        slug = unique_name(plain, taken_slugs, "-")
        module_id = module_base + k
        content_hash = hashlib.sha256(f"scale:{b.seed}:{slug}".encode()).hexdigest()
        pages = 8 + (k * 5) % 7
        certificate = k % 4 == 3
        data = {"slug": slug, "title": title, "summary": summary, "topics": topics,
                "estimated_minutes": pages * 5, "audience": "All faculty, staff and students",
                "prerequisites": [], "pacing": "self-paced", "certificate": certificate,
                "standard": None}
        steps, specs = [], []
        for position in range(pages):
            step_title = words.SECTION_TITLES[(k + position) % len(words.SECTION_TITLES)]
            step_slug = f"part-{position + 1}"
            config = {"body_html": _page_html(rng, step_title)}
            step_id = step_base + len(step_rows)
            step_rows.append((step_id, module_id, step_slug, position, "page", step_title,
                              False, 0, json.dumps(config), True))
            steps.append(StepPlan(id=step_id, slug=step_slug, kind="page", title=step_title,
                                  unlock_days=0, config=config))
            specs.append({"slug": step_slug, "kind": "page", "title": step_title,
                          "optional": False, "unlock_after_days": 0, "config": config})
        module_rows.append((module_id, slug, title, summary, json.dumps(topics), pages * 5,
                            data["audience"], "[]", "self-paced", certificate, None,
                            content_hash, True, stamp, "{}"))
        version_rows.append((version_base + k, module_id, content_hash,
                             json.dumps({"module": data, "steps": specs}), stamp))
        plans.append(ModulePlan(id=module_id, slug=slug, title=title, content_hash=content_hash,
                                has_certificate=certificate, minutes=pages * 5, standard=None,
                                prerequisites=[], steps=steps))
    loader = b.loader
    loader.load("modules", ["id", "slug", "title", "summary", "topics", "estimated_minutes",
                            "audience", "prerequisites", "pacing", "has_certificate",
                            "standard", "content_hash", "is_published", "synced_at",
                            "translations"],
                module_rows)
    loader.load("module_versions", ["id", "module_id", "content_hash", "definition",
                                    "created_at"], version_rows)
    loader.load("steps", ["id", "module_id", "slug", "position", "kind", "title", "is_optional",
                          "unlock_after_days", "config", "is_active"], step_rows)
    return plans
