"""Writing small module folders for tests."""

from __future__ import annotations

from pathlib import Path

import yaml


def write_module(root: Path, folder_name: str, steps: list[dict], **fields) -> Path:
    """Create ``root/folder_name/module.yaml`` and the Markdown files the steps name."""
    folder = root / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    slug = fields.pop("slug", folder_name)
    data = {"slug": slug, "title": fields.pop("title", slug.replace("-", " ").title()),
            "summary": "A test module.", "estimated_minutes": 10, **fields, "steps": steps}
    for step in steps:
        for key in ("body", "transcript", "intro"):
            if key in step:
                (folder / step[key]).write_text(f"## {step['title']}\n\nSome text.\n")
    (folder / "module.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def page(slug: str, **extra) -> dict:
    return {"slug": slug, "kind": "page", "title": slug.title(), "body": f"{slug}.md", **extra}


def challenge(slug: str = "reflect", review: str = "optional", **extra) -> dict:
    return {"slug": slug, "kind": "challenge", "title": "Reflect", "review": review,
            "prompts": extra.pop("prompts", [
                {"id": "thoughts", "type": "long_text", "label": "Your thoughts",
                 "min_words": 3}]), **extra}


def meet_requirements(user, module) -> None:
    """Give ``user`` the engaged time ``module`` asks for and make its statement, as a
    learner who spent the time and affirmed would have (for tests about something else)."""
    from lms.extensions import db
    from lms.models import EngagedTime
    from lms.services.learning import evidence

    if module.minimum_minutes and module.steps:
        step = module.steps[0]
        row = db.session.query(EngagedTime).filter_by(user_id=user.id, step_id=step.id).first()
        if row is None:
            row = EngagedTime(user_id=user.id, step_id=step.id, module_id=module.id, seconds=0)
            db.session.add(row)
        row.seconds += module.minimum_minutes * 60
        db.session.flush()
    if module.attestation and evidence.attestation_for(user, module) is None:
        evidence.attest(user, module, steps_done=True, confirmed=True)
