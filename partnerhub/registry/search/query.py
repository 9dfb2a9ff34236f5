"""The query language: words, "phrases", -exclusion, OR. Parsed once, compiled for each engine.

    ocean plastic            both words (AND)
    "blue economy"           the phrase
    ocean -plastic           ocean but not plastic
    reef OR mangrove         either
Malformed input never fails: an unbalanced quote closes at the end, stray operators are ignored.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .analysis import query_variants, words

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 24
_LEXEME = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Phrase:
    """One query unit: a word or a quoted phrase, each position with its possible index terms."""

    positions: tuple[tuple[str, ...], ...]


@dataclass
class ParsedQuery:
    # Conjunction of disjunctions: every group must match; a group matches if any of its phrases does.
    groups: list[list[Phrase]] = field(default_factory=list)
    excluded: list[Phrase] = field(default_factory=list)
    # Folded words to highlight in snippets.
    highlight: set[str] = field(default_factory=set)
    # Rank by the terms matched, as if the phrases were joined by OR (`at_least_two`: PostgreSQL's rank of
    # a conjunction of ten groups favours documents where the words stand close together, not those that
    # share the most of them).
    rank_any: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.groups


def _phrase(text: str, lang: str | None) -> Phrase | None:
    parts = words(text)
    if not parts:
        return None
    return Phrase(tuple(tuple(query_variants(w, lang)) for w in parts))


def parse(text: str, lang: str | None = None) -> ParsedQuery:
    """Parse a user query. Raises ValidationError only for a query too long to be a search."""
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError(
            {"q": [_("The search text is too long (at most %(n)d characters).") % {"n": MAX_QUERY_CHARS}]}
        )
    query = ParsedQuery()
    pending_or = False
    for match in _LEXEME.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare == "OR":
            pending_or = bool(query.groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        phrase = _phrase(quoted if quoted is not None else bare or "", lang)
        if phrase is None:
            continue  # stray operator or punctuation
        query.highlight.update(words(quoted if quoted is not None else bare or ""))
        if negated:
            query.excluded.append(phrase)
        elif pending_or:
            query.groups[-1].append(phrase)
        else:
            query.groups.append([phrase])
        pending_or = False
        if len(query.groups) + len(query.excluded) >= MAX_CLAUSES:
            break
    return query


def at_least_two(texts: list[str], lang: str | None = None) -> ParsedQuery:
    """Documents sharing at least two of these words or phrases (all of them if fewer than three): for
    each one, any of the others. "More like this" candidates so: a single shared word matched half of
    200,000 generated partnerships, and PostgreSQL ranked them all."""
    phrases = list(dict.fromkeys(p for p in (_phrase(t, lang) for t in texts) if p is not None))
    query = ParsedQuery(highlight={w for t in texts for w in words(t)}, rank_any=True)
    if len(phrases) < 3:
        query.groups = [[p] for p in phrases]
    else:
        query.groups = [[p for p in phrases if p is not left] for left in phrases]
    return query


def phrase_options(phrase: Phrase) -> list[tuple[str, ...]]:
    """The term sequences a phrase may have been indexed as. Engines' phrase queries cannot hold
    alternatives per position, so the (few) combinations are expanded, taking position-wise the same
    language's stems to keep the expansion small."""
    width = max(len(p) for p in phrase.positions)
    return list(dict.fromkeys(tuple(p[min(i, len(p) - 1)] for p in phrase.positions) for i in range(width)))


def _ts_phrase(phrase: Phrase) -> str:
    positions = []
    for options in phrase.positions:
        escaped = [o.replace("'", "''").replace("\\", "") for o in options]
        positions.append("(" + " | ".join(f"'{o}'" for o in escaped) + ")")
    return " <-> ".join(positions)


def to_tsquery(query: ParsedQuery) -> str:
    """The query as a PostgreSQL tsquery: groups joined by &, each an | of phrases, then & ! exclusions."""
    expression = " & ".join("(" + " | ".join(_ts_phrase(p) for p in group) + ")" for group in query.groups)
    return expression + "".join(f" & !({_ts_phrase(p)})" for p in query.excluded)


def to_any_tsquery(query: ParsedQuery) -> str:
    """The query's phrases joined by OR: what PostgreSQL ranks the matches of a `rank_any` query by."""
    phrases = dict.fromkeys(p for group in query.groups for p in group)
    return " | ".join(_ts_phrase(p) for p in phrases)
