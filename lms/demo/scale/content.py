"""The modules learners work on: the synced real ones, then generated ones when more are asked.

Generated modules are published modules of plain page steps, stored like
synced ones (module, version, steps). They have no folder in ``modules/``,
so a later ``flask modules sync`` unpublishes them (their history stays).
"""

from __future__ import annotations

import hashlib
import json
import random

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lms.content.kinds import KINDS
from lms.content.kinds.prompts import sample_answers
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

class _SampleText:
    """The generator's words for sample answers (``lms.content.kinds.prompts.SampleText``)."""

    def short(self, rng: random.Random) -> str:
        return rng.choice(words.SHORT_ANSWERS)

    def sentence(self, rng: random.Random) -> str:
        return rng.choice(words.REFLECTION_SENTENCES)

    def long(self, prompt: dict, rng: random.Random) -> str:
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


SAMPLE_TEXT = _SampleText()


def challenge_answers(prompts: list[dict], rng: random.Random, *, draft: bool = False) -> dict:
    """Answers that pass the final checks of a submission; a draft answers the first half."""
    return sample_answers(prompts, rng, SAMPLE_TEXT, draft=draft)


def _add_variants(step: StepPlan, rng: random.Random) -> None:
    config = step.config
    if step.kind == "challenge":
        step.variants = [json.dumps(challenge_answers(config["prompts"], rng))
                         for _ in range(VARIANTS)]
        step.drafts = [json.dumps(challenge_answers(config["prompts"], rng, draft=True))
                       for _ in range(VARIANTS)]
        return
    sample = KINDS[step.kind].sample
    if sample is not None:
        # A survey's answers are pooled across many more people than a check's results.
        count = VARIANTS * 4 if step.kind == "survey" else VARIANTS
        step.variants = [json.dumps(sample(config, rng)) for _ in range(count)]


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
                             json.dumps({"module": data, "steps": specs}), stamp, "files"))
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
                                    "created_at", "source"], version_rows)
    loader.load("steps", ["id", "module_id", "slug", "position", "kind", "title", "is_optional",
                          "unlock_after_days", "config", "is_active"], step_rows)
    return plans
