from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def money(resources: dict[str, float]) -> str:
    """{"USD": 1500.0, "EUR": 70.0} → "EUR 70 · USD 1,500" (currencies side by side, never added)."""
    return " · ".join(
        f"{currency} {intcomma(round(amount))}" for currency, amount in sorted(resources.items())
    )


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)} %"
