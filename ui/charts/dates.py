"""Date axes that read on any span, for every Gantt (the plan's and the timeline's): weekly ticks that name
the day under about two months, month ticks beyond, and the first and last dates always labelled."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ccl.i18n import Lang


def _ms(d: date) -> str:
    """A day as plotly's date axis takes it (midnight, ISO)."""
    return datetime(d.year, d.month, d.day).isoformat()


TICK_MONTHS = (1, 2, 3, 6, 12)
TICK_WEEKS = (1, 2)
MAX_TICKS = 8
WEEKS_UNDER_DAYS = 62  # spans under about two months get weekly ticks with the day


def date_ticks(left: date, right: date, lang: Lang, first: date | None = None, last: date | None = None) -> dict:
    """Date-axis ticks that read on any span, as explicit values and labels (at most about ``MAX_TICKS``).

    Spans under about two months get weekly ticks (Mondays) that name the day; longer ones the first of
    every 1, 2, 3, 6 or 12 months. ``first`` and ``last`` (the first and last dates the chart draws) are
    always labelled with their full date, so a short plan's end date can be read; a regular tick too
    close to either gives way. Labels are two lines (year over month, or month over day), so a narrow
    chart keeps them level instead of tilting them.
    """
    span = (right - left).days
    regular = _week_ticks(left, right, span) if span < WEEKS_UNDER_DAYS else _month_ticks(left, right)
    ends = [d for d in dict.fromkeys((first, last)) if d is not None and left <= d <= right]
    gap = timedelta(days=max(3, span // (2 * MAX_TICKS)))
    ticks = sorted({*ends, *(d for d in regular if all(abs(d - e) > gap for e in ends))})
    weekly, yearly = span < WEEKS_UNDER_DAYS, _is_yearly(left, right)
    # a weekly tick that starts a new year names the year too ("2027年 1月4日" after "12月28日")
    full = [d in ends or (weekly and i > 0 and d.year != ticks[i - 1].year) for i, d in enumerate(ticks)]
    text = [_tick_label(d, lang, f, weekly, yearly) for d, f in zip(ticks, full, strict=True)]
    return {"tickmode": "array", "tickvals": [_ms(d) for d in ticks], "ticktext": text}


def _week_ticks(left: date, right: date, span: int) -> list[date]:
    step = next((w for w in TICK_WEEKS if span / (7 * w) <= MAX_TICKS), TICK_WEEKS[-1])
    monday = left + timedelta(days=(7 - left.weekday()) % 7)
    return [monday + timedelta(weeks=step * k) for k in range((right - monday).days // (7 * step) + 1)]


def _month_steps(left: date, right: date) -> int:
    months = (right.year - left.year) * 12 + right.month - left.month + 1
    return next((m for m in TICK_MONTHS if months / m <= MAX_TICKS), 12 * (months // (12 * MAX_TICKS) + 1))


def _is_yearly(left: date, right: date) -> bool:
    return _month_steps(left, right) >= 12


def _month_ticks(left: date, right: date) -> list[date]:
    step = _month_steps(left, right)
    out: list[date] = []
    k = 0
    while True:  # the first of every step-th month counted from January of the left year
        month = k * step
        tick = date(left.year + month // 12, month % 12 + 1, 1)
        if tick > right:
            return out
        if tick >= left:
            out.append(tick)
        k += 1


def _tick_label(day: date, lang: Lang, full: bool, weekly: bool, step_years: bool) -> str:
    if lang == "zh":
        if full:
            return f"{day.year}年<br>{day.month}月{day.day}日"
        if weekly:
            return f"{day.month}月{day.day}日"
        return f"{day.year}年" if step_years else f"{day.year}年<br>{day.month}月"
    month = day.strftime("%b")
    if full:
        return f"{day.day} {month}<br>{day.year}"
    if weekly:
        return f"{day.day} {month}"
    return f"{day.year}" if step_years else f"{month}<br>{day.year}"
