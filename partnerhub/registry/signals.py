"""What the registry tells other apps, inside the transaction of the change (they connect in ready()).

- `organisation_saved(organisation, created)`: after an organisation is registered or changed (due
  diligence screens it).
- `publication_checks(partnership)`: before a partnership is published; each receiver returns a list of
  reasons it cannot be yet (due diligence for UN-led partnerships), and any reason refuses it.
- `status_changed(partnership, from_status, to_status)`: after a workflow step (reporting starts the
  cycle of a newly published partnership).
- `loaded_in_bulk(organisation_ids, published_ids)`: after an import wrote many rows at once, without the
  per-row signals above (due diligence screens the new organisations in the background; reporting starts
  the cycles of the published partnerships).
"""

from django.dispatch import Signal

organisation_saved = Signal()
publication_checks = Signal()
status_changed = Signal()
loaded_in_bulk = Signal()
