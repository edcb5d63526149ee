"""Doing what a learner does for the evidence rules, through the pages."""

from __future__ import annotations

from datetime import timedelta

from lms import clock


def spend_time(client, slug: str, step_slug: str, minutes: int) -> None:
    """Keep a step page open and active for ``minutes``: a heartbeat every 30 seconds,
    as the page's script sends them, with the frozen clock moving on."""
    start = clock.now()
    with clock.frozen_at(start):
        assert client.get(f"/learn/{slug}/{step_slug}").status_code == 200
    for beat in range(1, minutes * 2 + 1):
        with clock.frozen_at(start + timedelta(seconds=30 * beat)):
            assert client.post(f"/learn/{slug}/{step_slug}/engaged").status_code == 204
