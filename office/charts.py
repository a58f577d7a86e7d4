"""Charts drawn as inline SVG (statistics pages of every duty): the geometry here, the markup in
templates/office/_month_chart.html (bars per month) and templates/office/_bar_chart.html
(horizontal bars, one per row — e.g. a rate per unit). No JavaScript, no chart library: the figures are
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


def month_bars(rows, series, *, title, basis, width=960, height=280, steps=5, unit="件"):
    """The geometry of a chart of `rows` (each with a `label`) and its bars side by side per
    month, one per series: bars, value labels, y-axis ticks, and its title and description in
    words (`basis`: what the months are, e.g. 按收文月份统计; `unit`: what is counted, 件 or 项)."""
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
                    "title": f"{row.label}{one.label} {value} {unit}",
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
        row.label + "、".join(f"{s.said or s.label}{s.value(row)}{unit}" for s in series)
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


def horizontal_bars(
    rows,
    *,
    label,
    value,
    title,
    basis,
    chart_id,
    unit="%",
    maximum=None,
    url=None,
    width=960,
    row_height=24,
    label_width=170,
    steps=5,
):
    """The geometry of one horizontal bar per row, in the rows' order: `label(row)` names it on
    the left, `value(row)` is its length (None: no bar, shown as —), `url(row)` (optional) the
    page the bar opens. The scale runs to `maximum` (100 for a percentage) or a round number
    above the peak; `chart_id` keeps the ids of several charts on one page apart."""
    left, right, top, bottom = label_width, 48, 8, 24
    plot_width = width - left - right
    values = [value(row) for row in rows]
    if maximum is None:
        maximum = nice_step(max((v for v in values if v is not None), default=0), steps) * steps
    scale = plot_width / maximum
    bar = row_height * 0.62
    bars = []
    for index, (row, amount) in enumerate(zip(rows, values, strict=True)):
        y = top + index * row_height
        length = float(amount or 0) * scale
        name = label(row)
        said = "—" if amount is None else f"{amount}{unit}"
        bars.append(
            {
                "label": name,
                "value": said,
                "title": f"{name} {said}",
                "url": url(row) if url else "",
                "y": round(y + (row_height - bar) / 2, 1),
                "width": round(length, 1),
                "text_y": round(y + row_height / 2 + 4, 1),
                "value_x": round(left + length + 4, 1),
            }
        )
    baseline = top + len(rows) * row_height
    ticks = [
        {"value": maximum * i // steps, "x": round(left + plot_width * i / steps, 1)}
        for i in range(steps + 1)
    ]
    description = "；".join(f"{b['label']}{b['value']}" for b in bars)
    return {
        "id": chart_id,
        "width": width,
        "height": baseline + bottom,
        "left": left,
        "top": top,
        "baseline": baseline,
        "label_x": left - 6,
        "tick_y": baseline + 16,
        "bar_height": round(bar, 1),
        "bars": bars,
        "ticks": ticks,
        "unit": unit,
        "title": title,
        "description": f"{basis}：{description}。" if description else f"{basis}：无数据。",
    }
