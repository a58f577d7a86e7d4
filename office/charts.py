"""Month bar charts drawn as inline SVG (statistics pages of every duty): the geometry here, the
markup in templates/office/_month_chart.html. No JavaScript, no chart library: the figures are
also in the table under each chart, and the SVG carries a text description for screen readers."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    """One bar per month: `kind` names its CSS class (bar-<kind>), `label` its words in the
    tooltip and the description (收文, 已办结, 发文), `value(row)` its height."""

    kind: str
    label: str
    value: object
    said: str = ""  # how the description says it, if not as `label` (e.g. 其中已办结)


def nice_step(peak, steps):
    """The smallest of 1, 2, 5 × 10ⁿ such that `steps` of it reach `peak`."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude * steps >= peak:
                return factor * magnitude
        magnitude *= 10


def month_bars(rows, series, *, title, basis, width=960, height=280, steps=5):
    """The geometry of a chart of `rows` (each with a `label`) and its bars side by side per
    month, one per series: bars, value labels, y-axis ticks, and its title and description in
    words (`basis`: what the months are, e.g. 按收文月份统计)."""
    left, right, top, bottom = 44, 8, 16, 30
    plot_width, plot_height = width - left - right, height - top - bottom
    peak = max((s.value(row) for row in rows for s in series), default=0)
    step = nice_step(peak, steps)
    scale = plot_height / (step * steps)
    slot = plot_width / max(len(rows), 1)
    bar = slot * min(0.45, 0.64 / len(series))
    months = []
    for index, row in enumerate(rows):
        x = left + index * slot + slot / 2
        bars = []
        for position, one in enumerate(series):
            value = one.value(row)
            h = value * scale
            bar_x = x - len(series) * bar / 2 + position * bar
            bars.append(
                {
                    "kind": one.kind,
                    "value": value,
                    "title": f"{row.label}{one.label} {value} 件",
                    "x": round(bar_x, 1),
                    "y": round(top + plot_height - h, 1),
                    "height": round(h, 1),
                    "label_x": round(bar_x + bar / 2, 1),
                    "label_y": round(top + plot_height - h - 3, 1),
                }
            )
        months.append({"label": row.label, "x": round(x, 1), "bars": bars})
    ticks = [
        {"value": step * i, "y": round(top + plot_height - step * i * scale, 1)}
        for i in range(steps + 1)
    ]
    description = "；".join(
        row.label + "、".join(f"{s.said or s.label}{s.value(row)}件" for s in series)
        for row in rows
    )
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "baseline": top + plot_height,
        "label_y": height - 10,
        "bar_width": round(bar, 1),
        "months": months,
        "ticks": ticks,
        "title": title,
        "description": f"{basis}：{description}。" if description else f"{basis}：无数据。",
    }
