"""A page of rows with what the ``pager`` macro needs, for queries that
``db.paginate`` does not fit (grouped rows, several columns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil


@dataclass
class Page:
    page: int
    per_page: int
    total: int
    items: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
