"""Access rules in one place.

Every view declares who may reach it with ``@public`` or ``@roles_required``
(``authenticated`` means any signed-in person). A ``before_request`` hook
refuses any endpoint that declares nothing, so a new page cannot forget its
check. Object-level rules (whose reflection, whose plan, whose roster, which
departments) are functions here too, called by views after loading the object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import select

from lms.extensions import db
from lms.models import (
    ActionPlan,
    Application,
    ApplicationCall,
    Department,
    Offering,
    Registration,
    StudioImage,
    Submission,
    User,
)
from lms.models.events import REGISTERED
from lms.services.accounts.mentoring import is_mentor_of
from lms.services.applications.calls import is_reviewer
from lms.services.departments import department_descendants
from lms.services.events.offerings import is_facilitator
from lms.services.plans.action_plans import owns
from lms.services.reviews.review import is_author
from lms.services.studio.images import is_published as image_is_published

F = TypeVar("F", bound=Callable)

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ACCESS_ATTR = "_lms_access"


def public(view: F) -> F:
    """Anyone, signed in or not, may open this view."""
    setattr(view, ACCESS_ATTR, (PUBLIC,))
    return view


def login_required(view: F) -> F:
    """Any signed-in, active person may open this view."""
    setattr(view, ACCESS_ATTR, (AUTHENTICATED,))
    return view


def roles_required(*roles: str) -> Callable[[F], F]:
    """Only people holding one of ``roles`` may open this view."""

    def decorator(view: F) -> F:
        setattr(view, ACCESS_ATTR, tuple(roles))
        return view

    return decorator


def declared_access(endpoint: str | None) -> tuple[str, ...] | None:
    if endpoint is None:
        return None
    if endpoint == "static":
        return (PUBLIC,)
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTR, None)


def enforce_access():
    """``before_request`` hook: default-deny for every endpoint."""
    if request.endpoint is None:  # 404/405 are handled by routing
        return
    access = declared_access(request.endpoint)
    if access is None:
        current_app.logger.error("endpoint %s declares no access rule", request.endpoint)
        abort(403)
    if PUBLIC in access:
        return
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # redirect to login
    if AUTHENTICATED in access:
        return
    if not current_user.has_role(*access):
        abort(403)


# --- object-level rules -----------------------------------------------------------------------

def can_review(user: User, submission: Submission) -> bool:
    """A linked mentor (holding the mentor role) of a submitted, non-private reflection,
    who is not one of its authors (nobody reviews their own work)."""
    return (user.has_role("mentor") and not is_author(user, submission)
            and not submission.is_private and bool(submission.revisions)
            and is_mentor_of(user, submission.user))


def can_view_plan(viewer: User, plan: ActionPlan) -> bool:
    """The owner always; the owner's mentors while the plan is shared; nobody else.

    Admins get no exception: they see counts, never plan text.
    """
    if owns(viewer, plan):
        return True
    return plan.is_shared and is_mentor_of(viewer, plan.user)


def can_manage_roster(user: User, offering: Offering) -> bool:
    """Admins, and the facilitators of the offering's training."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role("admin") or is_facilitator(user, offering.training_id)


def can_see_video_link(user: User, offering: Offering, registration: Registration | None) -> bool:
    """The call link is for people holding a seat, facilitators and admins."""
    if registration is not None and registration.status in (REGISTERED, "drop_in") \
            and registration.user_id == user.id:
        return True
    return can_manage_roster(user, offering)


def can_see_studio_image(user: User, image: StudioImage) -> bool:
    """Authors and admins see every uploaded image; anyone else only one that a published
    version of a module in the catalogue shows (a draft's image stays with its authors)."""
    return user.has_role("author", "admin") or image_is_published(image)


def can_review_call(user: User, call: ApplicationCall) -> bool:
    """The call's named reviewers; admins only if they are named too."""
    return getattr(user, "is_authenticated", False) and is_reviewer(user, call)


def can_read_application(user: User, application: Application) -> bool:
    """Answers are as private as reflections: the applicant, and the call's reviewers once
    it is submitted (never a reviewer's own). Admins get counts and decisions, not text."""
    if application.user_id == user.id:
        return True
    return (application.status == "submitted" and can_review_call(user, application.call))


LEAD_NOTICE = "You see compliance status for your department; never reflection text."


def visible_departments(user: User) -> set[int] | None:
    """``None`` for admins (everything); otherwise the departments ``user`` leads and below.

    The department lead's permission: leading a department (``Department.lead``) is
    not a role an admin ticks but follows from the department record, and it grants
    exactly one thing: the compliance status of the people in the departments one
    leads and in those below them (a lead of Internal Medicine also sees Cardiology)
    — names, emails, assigned modules, due dates and status — on the compliance page
    and its CSV. It never grants reflection text, submissions, action plans or mentor
    access: those follow the mentor links alone. Everyone it reaches is shown
    ``LEAD_NOTICE`` on the page.
    """
    if user.has_role("admin"):
        return None
    led = db.session.execute(select(Department.id).where(Department.lead_id == user.id)).scalars()
    return department_descendants(led)
