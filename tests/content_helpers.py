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
