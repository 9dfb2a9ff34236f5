"""Text analysis: taking a text piece by piece gives the terms of the whole text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from partnerhub.registry.search import analysis
from partnerhub.registry.search.analysis import analyse, fold, fold_text, stem, words

# Letters of the six languages with and without accents, digits (Arabic-Indic too), text without spaces,
# combining marks, compatibility characters that fold into spaces or letters (¨, ﬁ, ½), punctuation and
# every kind of white space.
ALPHABET = "aeéoöçñßŒﬁ½¨ёйжАЯبةٌ٣١中国水资源ไทย0123-'’.,;:!?()\u0301\u0308 \t\n\u00a0\u2007\u3000"


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=ALPHABET, max_size=60), lang=st.sampled_from(["en", "fr", "es", "ru", "ar", "zh"])
)
def test_terms_of_the_pieces_are_the_terms_of_the_whole(text, lang):
    whole = " ".join(stem(w, lang) for w in words(text))
    assert analyse(text, lang) == whole
    assert analyse(text, lang) == whole  # once more, now from the pieces kept


def test_the_pieces_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(analysis, "MAX_PIECES", 3)
    monkeypatch.setattr(analysis, "_PIECES", {})
    for n in range(10):
        assert analyse(f"Océans protégés {n}", "fr") == f"ocean proteg {n}"
    assert len(analysis._PIECES["fr"]) <= 4


def test_numbers_are_their_own_terms():
    text = f"2030 {'7' * 41} 39501 ٣١ (2030)"
    for lang in ("en", "fr", "ru", "ar", "zh"):
        assert analyse(text, lang) == " ".join(stem(w, lang) for w in words(text))
    assert analyse(text, "en") == "2030 39501 ٣١ 2030"  # a number longer than a word is no term


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=60))
def test_a_text_folds_piece_by_piece(text):
    assert fold_text(text) == fold(text)
    assert fold_text(text) == fold(text)  # once more, now from the pieces kept
