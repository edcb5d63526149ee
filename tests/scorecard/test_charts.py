"""Charts are pictures with words: a title, a description and text on every bar."""

from __future__ import annotations

import pytest

from lms.services.scorecard.charts import bar_chart, describe, scale


@pytest.mark.parametrize(("value", "expected"), [(0, (1, 1)), (1, (1, 1)), (3, (3, 1)),
                                                 (6, (6, 2)), (7, (8, 2)), (10, (10, 2)),
                                                 (11, (15, 5)), (24, (25, 5)), (101, (150, 50)),
                                                 (4999, (5000, 1000))])
def test_scales_step_in_round_whole_numbers(value, expected):
    assert scale(value) == expected


def test_a_chart_is_an_image_with_a_title_and_description():
    points = [("Jan 2026", 12, "12"), ("Feb 2026", None, "fewer than 5"), ("Mar 2026", 30, "30")]
    svg = str(bar_chart("chart-x", "People <completing>", "Per month.", points))
    assert svg.startswith('<svg class="chart" role="img"')
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">People &lt;completing&gt;</title>' in svg
    assert "Highest: 30 people in Mar 2026; lowest: 12 in Jan 2026." in svg
    assert "1 month is not drawn because the figure is too small to publish." in svg
    # The suppressed month is an outline marked "<5", never a bar of some height.
    assert svg.count('class="chart-bar"') == 2
    assert svg.count('class="chart-hidden"') == 1
    assert "&lt;5" in svg
    assert "style=" not in svg  # the content security policy allows no inline styles


def test_the_description_of_an_empty_chart_still_reads():
    text = describe("Nothing", "", [("Jan 2026", None, "fewer than 5")], "people")
    assert text.startswith("Bar chart: Nothing, Jan 2026 to Jan 2026.")
