"""Learning progress: enrollments at every stage, step progress, completions, certificates,
challenge submissions with revisions and mentor reviews, anonymous survey answers.

People are generated in chunks, each chunk's rows bulk-loaded before the
next, so memory stays flat whatever the number of people. Every moment
lies before the anchor (today, midnight UTC) and follows the module's
order; spaced modules respect their waiting days.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.content.kinds import KINDS
from lms.demo.scale import words
from lms.demo.scale.build import Build, ModulePlan, StepPlan
from lms.models import Certificate
from lms.services.certificates import CODE_ALPHABET, CODE_LENGTH

CHUNK = 2000
# step_progress rows per person, when the chosen modules have that many steps
TARGET_STEP_ROWS = 100
COMPLETED_SHARE = 0.6
DRAFT_AT_CURRENT_CHALLENGE = 0.6
# Minutes between two steps: mostly minutes, sometimes a day or a week.
GAPS = (4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 45, 60, 1440, 2880, 10080)
DAY = 1440

COLUMNS = {
    "enrollments": ["user_id", "module_id", "status", "started_at", "completed_at",
                    "completed_version", "last_step_id", "last_activity_at"],
    "module_completions": ["id", "user_id", "module_id", "content_hash", "completed_at"],
    "certificates": ["code", "user_id", "module_id", "completion_id", "learner_name",
                     "module_title", "standard", "minutes", "content_hash", "completed_at",
                     "issued_at"],
    "step_progress": ["user_id", "step_id", "completed_at", "data"],
    "submissions": ["id", "user_id", "step_id", "status", "answers", "draft_version",
                    "is_private", "created_at", "saved_at", "submitted_at",
                    "submitted_version"],
    "submission_revisions": ["id", "submission_id", "number", "answers", "content_hash",
                             "submitted_at"],
    "reviews": ["submission_id", "revision_id", "mentor_id", "decision", "comment", "improve",
                "rubric", "created_at"],
    "survey_participations": ["user_id", "step_id", "created_at"],
    "survey_responses": ["id", "step_id", "department_id", "content_hash", "answers",
                         "created_at"],
}


def make_progress(b: Build) -> None:
    """Generate every person's progress through the chosen modules."""
    _Progress(b).run()


class _Progress:
    def __init__(self, b: Build):
        self.b = b
        self.rng = b.rng("progress")
        loader = b.loader
        self.next_completion = loader.next_id("module_completions")
        self.next_submission = loader.next_id("submissions")
        self.next_revision = loader.next_id("submission_revisions")
        self.codes = set(loader.connection.scalars(sa.select(Certificate.code)))
        recorded = sum(m.recorded_steps for m in b.modules)
        # Expected rows per enrolled module: all of a completed one, about half otherwise.
        per_enrolment = COMPLETED_SHARE + (1 - COMPLETED_SHARE) / 2
        # With a margin for people who enrol in everything (the chance tops out at 1).
        self.chance = min(1.0, 1.1 * TARGET_STEP_ROWS / (per_enrolment * recorded)) \
            if recorded else 1.0
        self.bench = set(b.bench)
        self.rows: dict[str, list] = defaultdict(list)

    def run(self) -> None:
        # Indexes are built once, after loading: much faster at this size.
        with self.b.loader.indexes_deferred(COLUMNS):
            for start in range(0, self.b.people, CHUNK):
                for index in range(start, min(self.b.people, start + CHUNK)):
                    self.person(index)
                # Released answers are stored in no particular order (as the release
                # writes them), so row order says nothing about who answered.
                self.rng.shuffle(self.rows["survey_responses"])
                for table, columns in COLUMNS.items():
                    self.b.loader.load(table, columns, self.rows.pop(table, []))

    # --- one person -----------------------------------------------------------------------

    def person(self, index: int) -> None:
        b, rng = self.b, self.rng
        keen = 0.4 + 1.2 * rng.random()  # some take a little, some take everything
        completed: set[str] = set()
        for module in b.modules:
            if not all(slug in completed for slug in module.prerequisites):
                continue  # locked: nobody has started it
            if index in self.bench and module is b.bench_module:
                self.in_progress(index, module, current=b.bench_step)
            elif rng.random() < self.chance * keen:
                if rng.random() < COMPLETED_SHARE:
                    self.complete(index, module)
                    completed.add(module.slug)
                else:
                    self.in_progress(index, module)

    def offsets(self, steps: list[StepPlan]) -> list[int]:
        """Minutes from the start at which each step was done."""
        random, gaps, moment, result = self.rng.random, len(GAPS), 0, []
        for step in steps:
            moment += GAPS[int(random() * gaps)]
            if step.unlock_days:
                moment = max(moment, step.unlock_days * DAY + self.rng.randint(0, 2 * DAY))
            result.append(moment)
        return result

    def complete(self, index: int, module: ModulePlan) -> None:
        b, rng = self.b, self.rng
        offsets = self.offsets(module.steps)
        start = b.ago(offsets[-1] + rng.randint(10 * DAY, 540 * DAY))
        done = self.steps(index, module, module.steps, start, offsets, final=True)
        user_id = b.user_id(index)
        self.rows["enrollments"].append((user_id, module.id, "completed", start, done,
                                         module.content_hash, module.steps[-1].id, done))
        completion = self.next_completion
        self.next_completion += 1
        self.rows["module_completions"].append((completion, user_id, module.id,
                                                module.content_hash, done))
        if module.has_certificate:
            self.rows["certificates"].append((
                self.certificate_code(), user_id, module.id, completion, b.names[index],
                module.title, module.standard, module.minutes, module.content_hash, done, done))

    def in_progress(self, index: int, module: ModulePlan, current: StepPlan | None = None
                    ) -> None:
        b, rng = self.b, self.rng
        steps = module.steps
        reached = steps.index(current) if current is not None else rng.randrange(len(steps))
        offsets = self.offsets(steps[:reached + 1])
        start = b.ago(offsets[-1] + rng.randint(10, 300 * DAY))
        last, last_step = start, None
        if reached:
            self.steps(index, module, steps[:reached], start, offsets, final=False)
            last, last_step = start + timedelta(minutes=offsets[reached - 1]), \
                steps[reached - 1].id
        step = steps[reached]
        if step.kind == "challenge":
            # Working on it: a draft, or (when a mentor must approve) waiting for review.
            at = start + timedelta(minutes=offsets[reached])
            if current is None and step.review_required and rng.random() < 0.5:
                self.submission(index, module, step, at, rng.choices(
                    ("waiting", "revise", "resubmitted"), weights=(3, 2, 1))[0])
                last, last_step = at, step.id
            elif current is not None or rng.random() < DRAFT_AT_CURRENT_CHALLENGE:
                self.draft(index, step, at)
                last, last_step = at, step.id
        self.rows["enrollments"].append((b.user_id(index), module.id, "in_progress", start,
                                         None, None, last_step, last))

    def steps(self, index: int, module: ModulePlan, steps: list[StepPlan], start: datetime,
              offsets: list[int], *, final: bool) -> datetime:
        """Record ``steps`` as done at ``start`` plus their offsets; returns when the last
        counted as done. Pages and videos, most of the rows, are written here directly."""
        user_id = self.b.user_id(index)
        progress = self.rows["step_progress"].append
        done = start
        for step, offset in zip(steps, offsets, strict=False):
            at = start + timedelta(minutes=offset)
            if KINDS[step.kind].marked_done:
                progress((user_id, step.id, at, "{}"))
                done = at if at > done else done
            else:
                moment = self.step(index, module, step, at, final=final)
                done = moment if moment > done else done
        return done

    def step(self, index: int, module: ModulePlan, step: StepPlan, at: datetime, *,
             final: bool) -> datetime:
        """Record one step as done at ``at``; returns when it counted as done."""
        b, rows = self.b, self.rows
        user_id = b.user_id(index)
        kind = step.kind
        if kind == "survey":
            rows["step_progress"].append((user_id, step.id, at, "{}"))
            day = at.replace(hour=0, minute=0, second=0, microsecond=0)
            rows["survey_participations"].append((user_id, step.id, day))
            rows["survey_responses"].append((
                f"{self.rng.getrandbits(128):032x}", step.id, b.department_of[index],
                module.content_hash, self.rng.choice(step.variants), day))
        elif kind == "challenge":
            state = "approved" if final else self.rng.choices(
                ("approved", "waiting", "revise", "resubmitted"), weights=(4, 3, 2, 1))[0]
            return self.submission(index, module, step, at, state)
        elif kind == "live":
            if final or self.rng.random() < 0.5:
                b.attendance_needed.append((index, step.config.get("training", ""), at))
        elif kind == "plan":
            b.plan_needed[index] = min(b.plan_needed.get(index, at), at)
        else:
            # A page or video, a check, or any kind whose answers are the step's record
            # (``StepKind.take``): the record, holding a sample answer when the kind has one.
            rows["step_progress"].append((user_id, step.id, at, self.rng.choice(step.variants)
                                          if step.variants else "{}"))
        return at

    # --- reflections ------------------------------------------------------------------------

    def later(self, moment: datetime) -> datetime:
        """A moment hours to days after ``moment``, still before the anchor."""
        after = moment + timedelta(minutes=self.rng.randint(60, 5 * DAY))
        limit = self.b.anchor - timedelta(minutes=5)
        return after if after < limit else moment + (limit - moment) / 2

    def draft(self, index: int, step: StepPlan, at: datetime) -> None:
        submission = self.next_submission
        self.next_submission += 1
        self.rows["submissions"].append((
            submission, self.b.user_id(index), step.id, "draft", self.rng.choice(step.drafts),
            self.rng.randint(1, 6), False, at - timedelta(minutes=20), at, None, None))

    def submission(self, index: int, module: ModulePlan, step: StepPlan, at: datetime,
                   state: str) -> datetime:
        """A submitted reflection and what its mentor did with it; returns when it counted
        as done (approval, for a reflection that needs it).

        ``state`` (approved, waiting, revise or resubmitted) applies to reflections a
        mentor must approve; others are simply submitted.
        """
        b, rng, rows = self.b, self.rng, self.rows
        mentor = b.mentor_of.get(index)
        # Kept private only once done: a private reflection counts as done when submitted.
        private = step.allow_private and state == "approved" and rng.random() < 0.05
        if not (step.review_required and not private and mentor is not None):
            state = "submitted"
        submission = self.next_submission
        self.next_submission += 1
        version = rng.randint(2, 8)
        revisions = [(1, rng.choice(step.variants), at)]
        reviews = []
        mentor_id = b.user_id(mentor) if mentor is not None else None
        done = at
        if state in ("revise", "resubmitted") or (state == "approved" and rng.random() < 0.3):
            asked = self.later(at)
            reviews.append((1, "revise", "", rng.choice(words.REVIEW_IMPROVEMENTS), "[]", asked))
            if state != "revise":
                version += rng.randint(1, 3)
                revisions.append((2, rng.choice(step.variants), self.later(asked)))
        number, answers, submitted_at = revisions[-1]
        if state == "approved":
            done = self.later(submitted_at)
            reviews.append((number, "approve", rng.choice(words.REVIEW_APPROVALS), "",
                            json.dumps(self.rubric(step)), done))
        elif state == "submitted" and mentor_id is not None and not private \
                and rng.random() < 0.3:
            reviews.append((number, "comment", rng.choice(words.REVIEW_COMMENTS), "", "[]",
                            self.later(submitted_at)))
        elif state != "revise" and mentor is not None and not private:
            b.waiting[mentor] += 1
        status = {"approved": "approved", "revise": "needs_revision"}.get(state, "submitted")
        rows["submissions"].append((submission, b.user_id(index), step.id, status, answers,
                                    version, private, at - timedelta(minutes=30),
                                    submitted_at, submitted_at, version))
        revision_ids = {}
        for number, revision_answers, moment in revisions:
            revision_ids[number] = self.next_revision
            rows["submission_revisions"].append((self.next_revision, submission, number,
                                                 revision_answers, module.content_hash, moment))
            self.next_revision += 1
        for number, decision, comment, improve, rubric, moment in reviews:
            rows["reviews"].append((submission, revision_ids[number], mentor_id, decision,
                                    comment, improve, rubric, moment))
        return done

    def rubric(self, step: StepPlan) -> list[dict]:
        chosen = []
        for criterion in step.config.get("rubric") or []:
            levels = criterion["levels"]
            level = len(levels) - 1 - self.rng.randint(0, min(1, len(levels) - 1))
            chosen.append({"criterion": criterion["criterion"], "level": level + 1,
                           "of": len(levels), "label": levels[level]})
        return chosen

    def certificate_code(self) -> str:
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code
