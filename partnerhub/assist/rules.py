"""Suggestions are open to anyone (they change nothing); reviewing duplicates, merging and re-scoring
belong to the secretariat."""

import rules

from partnerhub.accounts.rules import is_secretariat

rules.add_perm("assist.review_duplicates", is_secretariat)
rules.add_perm("assist.review_goals", is_secretariat)
