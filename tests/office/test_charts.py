"""Month bar charts (office.charts): the scale ends on a round number above the peak, bars of a
month stand side by side around its centre, and the description reads the figures out."""

from types import SimpleNamespace

import pytest

from office.charts import Series, horizontal_bars, month_bars, nice_step


@pytest.mark.parametrize(
    "peak, steps, step",
    [(0, 5, 1), (5, 5, 1), (6, 5, 2), (41, 4, 20), (46, 5, 10), (4973, 4, 2000)],
)
def test_the_axis_step_is_one_two_or_five_times_a_power_of_ten(peak, steps, step):
    assert nice_step(peak, steps) == step


def test_two_series_stand_side_by_side_and_the_scale_fits_the_peak():
    rows = [SimpleNamespace(label=f"{m}月", a=a, b=b) for m, a, b in ((1, 40, 30), (2, 10, 0))]
    chart = month_bars(
        rows,
        [Series("received", "收文", lambda r: r.a), Series("done", "已办结", lambda r: r.b)],
        title="2026年各月收文",
        basis="按收文月份统计",
        width=500,
        height=250,
        steps=4,
    )
    january, february = chart["months"]
    received, done = january["bars"]
    assert done["x"] - received["x"] == pytest.approx(chart["bar_width"], abs=0.2)
    assert (received["x"] + done["x"] + chart["bar_width"]) / 2 == pytest.approx(
        january["x"], abs=0.2
    )
    assert [t["value"] for t in chart["ticks"]] == [0, 10, 20, 30, 40]
    assert received["y"] == chart["ticks"][-1]["y"]  # the peak reaches the top tick
    assert received["height"] == pytest.approx(done["height"] * 4 / 3, abs=0.2)
    assert february["bars"][1]["height"] == 0
    assert received["title"] == "1月收文 40 件"
    assert (
        chart["description"] == "按收文月份统计：1月收文40件、已办结30件；2月收文10件、已办结0件。"
    )


def test_horizontal_bars_run_to_the_maximum_and_say_their_values():
    rows = [SimpleNamespace(name="市教育局", rate=100), SimpleNamespace(name="市住建局", rate=None)]
    chart = horizontal_bars(
        rows,
        label=lambda r: r.name,
        value=lambda r: r.rate,
        url=lambda r: f"/items/?unit={r.name}",
        title="各单位办结率",
        basis="办结率",
        chart_id="by_unit",
        maximum=100,
        width=500,
    )
    full, empty = chart["bars"]
    assert full["width"] == chart["ticks"][-1]["x"] - chart["left"]  # 100% reaches the end
    assert empty["width"] == 0 and empty["value"] == "—"
    assert full["url"] == "/items/?unit=市教育局" and full["y"] < empty["y"]
    assert [t["value"] for t in chart["ticks"]] == [0, 20, 40, 60, 80, 100]
    assert chart["description"] == "办结率：市教育局100%；市住建局—。"


def test_horizontal_bars_of_counts_end_on_a_round_number():
    rows = [SimpleNamespace(n=7), SimpleNamespace(n=3)]
    chart = horizontal_bars(
        rows, label=str, value=lambda r: r.n, title="t", basis="b", chart_id="c", unit="项"
    )
    assert chart["ticks"][-1]["value"] == 10 and chart["bars"][0]["value"] == "7项"
