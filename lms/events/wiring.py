"""How live sessions meet the rest of the product.

- a module's ``live`` step is complete once the learner attended an offering
  of the training it names;
- reminders for tomorrow's sessions run with ``flask reminders send``.
"""

from __future__ import annotations

from lms.models import Step
from lms.services import reminders
from lms.services.events import mail as event_mail
from lms.services.events import offerings as events
from lms.services.learning import progress as learning


def live_steps_done(user_id: int, steps: list[Step]) -> set[int]:
    attended = events.attended_training_slugs(user_id)
    return {s.id for s in steps if s.config.get("training") in attended}


def register() -> None:
    learning.STEP_COMPLETION_PROVIDERS["live"] = live_steps_done
    reminders.register_job("live sessions", event_mail.send_reminders)
