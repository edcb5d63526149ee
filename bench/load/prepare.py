"""The data under the load benchmark: migrations, content, people, and the manifest.

The real path is ``flask demo scale``, which generates an institution and
writes a manifest of who to sign in as and what to ask for. ``--demo`` is a
quick stand-in for development: the small ``flask demo load`` data set and a
manifest derived from it (see ``bench.load.demo``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.load.server import ROOT

MANIFEST_KEYS = ("password", "admin", "mentor", "learners", "module_slug",
                 "challenge_step_slug", "offering_ids", "feed_tokens", "counts")


@dataclass(frozen=True)
class Manifest:
    """What ``flask demo scale --manifest`` promises about the data it made."""

    password: str
    admin: str
    mentor: str  # has a non-empty review queue
    learners: list[str]  # in progress in module_slug, with a draft on challenge_step_slug
    module_slug: str
    challenge_step_slug: str
    offering_ids: list[int]  # future, open for registration, big capacity
    feed_tokens: list[str]
    counts: dict[str, int]
    assignment_id: int | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text())
        missing = [key for key in MANIFEST_KEYS if not data.get(key)]
        if missing:
            raise RuntimeError(f"the manifest {path.name} lacks {', '.join(missing)}")
        known = {*MANIFEST_KEYS, "assignment_id"}
        return cls(**{k: v for k, v in data.items() if k in known},
                   extra={k: v for k, v in data.items() if k not in known})


def flask_env(database_url: str, secret_key: str) -> dict[str, str]:
    """The environment for ``flask`` commands and gunicorn: only what we set, from LMS_* on."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LMS_", "MAIL_")) and k not in ("DATABASE_URL", "REDIS_URL",
                                                                 "SECRET_KEY", "FLASK_APP")}
    env.update({"DATABASE_URL": database_url, "SECRET_KEY": secret_key})
    return env


def flask(env: dict[str, str], *args: str) -> str:
    """Run ``flask --app wsgi ARGS``; raises ``RuntimeError`` with its output when it fails."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return done.stdout


def prepare(env: dict[str, str], manifest_path: Path, *, users: int, departments: int,
            modules: int, seed: int, demo: bool) -> Manifest:
    """Migrate, load the training content and the people; return the manifest."""
    flask(env, "db", "upgrade")
    flask(env, "modules", "sync")
    if demo:
        from bench.load.demo import write_demo_manifest

        flask(env, "demo", "load")
        write_demo_manifest(env["DATABASE_URL"], manifest_path)
    else:
        if "scale" not in flask(env, "demo", "--help"):
            raise RuntimeError("this build has no `flask demo scale`, which generates the data; "
                               "`--demo` runs on the small demo data set instead")
        flask(env, "demo", "scale", "--users", str(users), "--departments", str(departments),
              "--modules", str(modules), "--seed", str(seed), "--manifest", str(manifest_path))
    return Manifest.read(manifest_path)
