"""Search documents carry their financial commitments summed per currency, for the insights; the embedded
index is rebuilt to hold them (its layout version changes too)."""

import secrets

from django.db import migrations, models


def fill_money(apps, schema_editor):
    SearchDocument = apps.get_model("registry", "SearchDocument")
    Commitment = apps.get_model("registry", "Commitment")
    totals: dict[int, dict[str, float]] = {}
    rows = Commitment.objects.filter(kind="financial", amount__isnull=False, currency__isnull=False)
    for pid, currency, amount in rows.values_list("partnership_id", "currency_id", "amount").iterator():
        by_currency = totals.setdefault(pid, {})
        by_currency[currency] = by_currency.get(currency, 0.0) + float(amount)
    for pid, by_currency in totals.items():
        SearchDocument.objects.filter(pk=pid).update(money=dict(sorted(by_currency.items())))
    if schema_editor.connection.vendor != "postgresql":
        SearchOutbox = apps.get_model("registry", "SearchOutbox")
        SearchOutbox.objects.create(token=secrets.token_hex(8), partnership_id=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_interop_identifiers")]

    operations = [
        migrations.AddField(model_name="searchdocument", name="money", field=models.JSONField(default=dict)),
        migrations.RunPython(fill_money, migrations.RunPython.noop),
    ]
