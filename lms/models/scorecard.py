"""Indexes the scorecard's set-based queries need, on tables other areas own.

Kept here rather than in those models so each area's file stays its own;
the migration that adds them is the scorecard's.

- ``users (department_id, is_active_account)``: staff per department is an
  index-only scan instead of reading every account row.
- ``module_completions (completed_at, user_id)``: people completing a module
  per month reads only the months shown, from the index alone.
"""

from sqlalchemy import Index

from lms.models.progress import ModuleCompletion
from lms.models.users import User

ix_users_department_active = Index(
    "ix_users_department_active", User.department_id, User.is_active_account)
ix_module_completions_completed_user = Index(
    "ix_module_completions_completed_user", ModuleCompletion.completed_at,
    ModuleCompletion.user_id)
