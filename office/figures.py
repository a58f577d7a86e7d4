"""Rates as every duty's statistics print them: a percentage with one decimal, rounded half up
(17 of 18 → 94.4%), and no rate at all — None, shown as "—" — when there is nothing to divide by
(0 ÷ 0 is not 0% and not 100%)."""

from decimal import ROUND_HALF_UP, Decimal


def percent(part, whole):
    """part ÷ whole in percent with one decimal (half up), or None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rate_text(rate):
    """A rate as people read it: "95.5%", or "—" when there is nothing to divide by."""
    return "—" if rate is None else f"{rate}%"
