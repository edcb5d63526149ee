"""Scorecard metric providers: each module's ``PROVIDER``, listed once in ``PROVIDERS``.

The scorecard area registers them with the application in its ``init_app``;
a new figure is one module here and one entry in ``PROVIDERS``.
"""

from lms.services.scorecard.metrics import (
    assignments,
    attendance,
    champions,
    core,
    evaluation,
    plans,
)
from lms.services.scorecard.metrics.base import (
    Column,
    Context,
    CoreModule,
    Coverage,
    Figures,
    People,
    Provider,
    Rate,
    Series,
    active_providers,
    register,
)

PROVIDERS: tuple[Provider, ...] = (core.PROVIDER, evaluation.PROVIDER, assignments.PROVIDER,
                                   attendance.PROVIDER, plans.PROVIDER, champions.PROVIDER)

__all__ = ["PROVIDERS", "Column", "Context", "CoreModule", "Coverage", "Figures", "People",
           "Provider", "Rate", "Series", "active_providers", "register"]
