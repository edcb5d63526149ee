"""Scorecard metric providers. Importing this package registers them all."""

from lms.services.scorecard.metrics import (  # noqa: F401  (registration on import)
    assignments,
    attendance,
    core,
    evaluation,
    plans,
)
from lms.services.scorecard.metrics.base import (
    REGISTRY,
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

__all__ = ["REGISTRY", "Column", "Context", "CoreModule", "Coverage", "Figures", "People",
           "Provider", "Rate", "Series", "active_providers", "register"]
