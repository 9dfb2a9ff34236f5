"""Due diligence is the secretariat's: screening results are never shown to anyone else."""

import rules

from partnerhub.accounts.rules import is_secretariat

rules.add_perm("diligence.view_screening", is_secretariat)
rules.add_perm("diligence.decide_match", is_secretariat)
rules.add_perm("diligence.manage_flags", is_secretariat)
rules.add_perm("diligence.import_sanctions", is_secretariat)
