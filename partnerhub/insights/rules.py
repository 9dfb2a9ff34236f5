"""Permissions of the insights: figures are public; marking champions is the secretariat's."""

import rules

from partnerhub.accounts.rules import is_secretariat

rules.add_perm("insights.mark_champion", is_secretariat)
