"""Server-drawn charts carry their numbers as a table and escape their labels."""

from __future__ import annotations

from pocketbook.reports.charts import ChartRow, bar_chart, line_chart, stacked_bar


def test_a_bar_chart_draws_a_bar_per_row_and_repeats_the_numbers_in_a_table():
    # given
    rows = [ChartRow("สุขภาพ", 12), ChartRow("<b>income</b>", None, "< 5")]
    # when
    markup = str(bar_chart(rows, title="Failing", unit="%"))
    # then
    assert markup.count("<rect") == 2
    assert "role='img'" in markup
    assert "<td class='num'>12</td>" in markup
    assert "<td class='num'>&lt; 5</td>" in markup
    assert "<b>income</b>" not in markup
    assert "&lt;b&gt;income&lt;/b&gt;" in markup


def test_a_stacked_bar_and_a_line_chart_list_every_series():
    # given / when
    stacked = str(stacked_bar([("2569", [3, 5, 2])], series=["better", "same", "worse"], title="Change"))
    line = str(line_chart(["2568", "2569"], {"M0": [0.25, None]}, title="M0"))
    # then
    assert stacked.count("<rect") == 6  # three legend keys, three parts
    assert "<td class='num'>3</td><td class='num'>5</td><td class='num'>2</td>" in stacked
    assert "<polyline" in line
    assert "<td class='num'>0.25</td>" in line
    assert "<td class='num'></td>" in line
