"""Bulk import is the secretariat's (it creates organisations and may publish); export is open to all."""

import rules

from partnerhub.accounts.rules import is_secretariat

rules.add_perm("interop.import_partnerships", is_secretariat)
