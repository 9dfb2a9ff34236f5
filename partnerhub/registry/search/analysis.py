"""Text analysis shared by both engines: the same terms go into Tantivy and PostgreSQL tsvector.

Documents and queries are folded (case and accents), split into words, and stemmed with the Snowball
stemmer of the entry's language (PyStemmer). Scripts written without spaces (Chinese, Japanese, Thai,
Khmer, Lao, Myanmar) become overlapping character bigrams, so a two- or three-character fragment finds them.
Because analysis happens here, the engines only see plain space-separated terms and behave alike.

No term spans white space, so a text's terms are those of its space-separated pieces in order; `analyse`
keeps the terms of each piece it has seen (words recur: a long text is mostly words seen before), which
makes a document about four times faster to analyse than folding and splitting the whole text again.
"""

import re
import sys
import unicodedata
from functools import lru_cache

import Stemmer

STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic"}
# Languages tried for a query word whose language is unknown.
QUERY_LANGUAGES = ("en", "fr", "es", "ru", "ar")

_NO_SPACE = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_NO_SPACE}]+|[^\W{_NO_SPACE}]+")
_NO_SPACE_RUN = re.compile(rf"[{_NO_SPACE}]+")
MAX_WORD = 40


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> Stemmer.Stemmer | None:
    name = STEMMERS.get(lang)
    return Stemmer.Stemmer(name) if name else None


@lru_cache(maxsize=1)
def _combining_marks() -> tuple[frozenset[str], dict[int, None]]:
    """Every combining character, and the str.translate table deleting them (built once, in about a tenth
    of a second)."""
    marks = [cp for cp in range(0x300, sys.maxunicode + 1) if unicodedata.combining(chr(cp))]
    return frozenset(map(chr, marks)), dict.fromkeys(marks)


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Océans' -> 'oceans', 'ё' -> 'е'."""
    if text.isascii():  # nothing to decompose, and ASCII folds as it lowers
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    marks, deleting = _combining_marks()
    # Most text has no mark to strip (a dash, Cyrillic or Arabic letters): looking costs half of deleting.
    return decomposed if marks.isdisjoint(decomposed) else decomposed.translate(deleting)


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def words(text: str) -> list[str]:
    """Folded words and bigrams, in order (no stemming)."""
    out: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        if _NO_SPACE_RUN.fullmatch(token):
            out.extend(bigrams(token))
        elif len(token) <= MAX_WORD:
            out.append(token)
    return out


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    stemmer = _stemmer(lang)
    if stemmer is None or _NO_SPACE_RUN.match(word) or word.isdigit():
        return word
    return stemmer.stemWord(word)


class _Pieces(dict):
    """What `make` gives each space-separated piece of text seen, made at the first lookup. `key` is the
    language of a text's terms, or FOLDING."""

    def __init__(self, key: str):
        super().__init__()
        self.key = key

    def __missing__(self, piece: str) -> str:
        value = self[piece] = self.make(piece)
        return value

    def make(self, piece: str) -> str:
        raise NotImplementedError


class _Terms(_Pieces):
    """The terms of each piece in one language, space-separated ("" for a piece without any)."""

    def make(self, piece: str) -> str:
        if piece.isdigit() and piece.isascii():  # a number is its own term: nothing to fold, split or stem
            return piece if len(piece) <= MAX_WORD else ""
        return " ".join([stem(w, self.key) for w in words(piece)])


class _Folds(_Pieces):
    """`fold` of each piece."""

    def make(self, piece: str) -> str:
        return fold(piece)


_PIECES: dict[str, _Pieces] = {}
FOLDING = "fold"  # the key of the folded pieces (a language code has two letters)
MAX_PIECES = 50_000  # per key: some 10 MB each at most; emptied when it holds more


def _pieces(kind: type[_Pieces], key: str) -> _Pieces:
    """The pieces kept under `key` (afresh past MAX_PIECES)."""
    pieces = _PIECES.get(key)
    if pieces is None or len(pieces) > MAX_PIECES:
        pieces = _PIECES[key] = kind(key)
    return pieces


def analyse(text: str, lang: str) -> str:
    """Index terms of a document field written in `lang`, space-separated: those of
    `stem(w, lang) for w in words(text)`, taken piece by piece (the lookups, the filter and the join run
    in C: a partnership's fields in a third of the time of a loop over the pieces)."""
    return " ".join(filter(None, map(_pieces(_Terms, lang).__getitem__, text.split())))


def fold_text(text: str) -> str:
    """`fold(text)`, taken piece by piece: no character folds across a space, and a title's words recur
    (half the time of folding each whole title, for the six languages of the benchmark's titles)."""
    return " ".join(map(_pieces(_Folds, FOLDING).__getitem__, text.split(" ")))


def query_variants(word: str, lang: str | None = None) -> list[str]:
    """The terms a query word may have been indexed as (its stem in each language; the word itself)."""
    langs = (lang,) if lang in STEMMERS else QUERY_LANGUAGES
    variants = dict.fromkeys([stem(word, code) for code in langs] + [word])
    return list(variants)
