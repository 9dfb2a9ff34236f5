"""The SDG suggestion model: goals by calibrated linear classifiers, targets by the nearest official texts.

Features: TF-IDF over hashed word uni- and bigrams and hashed character 2–4-grams within words, after
case folding, NFKC and accent stripping. Character n-grams carry what words cannot: inflected forms in
Russian and Arabic, and Chinese, which has no spaces. Hashing keeps the artefact to arrays (no
vocabulary to pickle), so it loads in a fraction of a second.

Goals: one logistic regression per goal (class-balanced: SDG 1 has 9 research texts, SDG 3 1,629),
then Platt scaling fitted on out-of-fold scores, so a score of 0.8 means about 80 % of such texts
address the goal; each goal's decision threshold maximises F1 on those out-of-fold scores.

Targets: cosine similarity to a profile of each target (its official text and its indicators' texts
in the six languages); a target's score is its goal's score times its similarity relative to the best
target of that goal. docs/assist.md gives the measurements behind these choices.
"""

import io
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32
from threadpoolctl import threadpool_limits

if TYPE_CHECKING:
    from .corpus import Example

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.npz"
GOALS = 17
WORD_BITS = 18
CHAR_BITS = 18
C = 1.0
FOLDS = 3
SEED = 20261122
TARGET_SHARE = 0.8  # targets within this share of their goal's best match are selected with it
EXPLAIN_WORDS = 5
MIN_EXPLAIN_IDF = 3.5  # words in more than about 1 text in 12 explain nothing
VERSION = 1


def fold(text: str) -> str:
    """Case-fold, NFKC-normalise and strip accents (é → e; Arabic vowel marks go too)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


WORDS = HashingVectorizer(n_features=2**WORD_BITS, preprocessor=fold, ngram_range=(1, 2), alternate_sign=False,
                          norm=None, token_pattern=r"(?u)\b\w\w+\b", dtype=np.float32)  # fmt: skip
CHARS = HashingVectorizer(n_features=2**CHAR_BITS, preprocessor=fold, analyzer="char_wb", ngram_range=(2, 4),
                          alternate_sign=False, norm=None, dtype=np.float32)  # fmt: skip
_tokens = WORDS.build_analyzer()


def word_tokens(text: str) -> list[str]:
    """The word uni- and bigrams of a text, as the word features see them."""
    return _tokens(text)


def word_column(token: str) -> int:
    """The feature column of a word or bigram (HashingVectorizer's hashing, without the vectoriser)."""
    return abs(murmurhash3_32(token, seed=0)) % 2**WORD_BITS


def counts(texts: list[str]) -> sp.csr_matrix:
    return sp.hstack([WORDS.transform(texts), CHARS.transform(texts)], format="csr")


def tfidf(matrix: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    matrix = matrix.copy()
    np.log(matrix.data, out=matrix.data)
    matrix.data += 1  # sublinear tf
    return normalize(matrix @ sp.diags(idf), copy=False)


@dataclass
class Suggestion:
    goals: list[dict]
    targets: list[dict]
    predicted_goals: list[int]

    def as_dict(self) -> dict:
        return {"goals": self.goals, "targets": self.targets, "predicted_goals": self.predicted_goals}


class Model:
    def __init__(self, arrays: dict[str, np.ndarray]):
        self.idf = arrays["idf"].astype(np.float32)
        self.coef = arrays["coef"].astype(np.float32)  # (features, goals); stored as float16
        self.intercept = arrays["intercept"]
        self.platt = arrays["platt"]  # (goals, 2): a, b of sigmoid(a * z + b)
        self.threshold = arrays["threshold"]
        self.targets = sp.csr_matrix((arrays["t_data"], arrays["t_indices"], arrays["t_indptr"]),
                                     shape=(len(arrays["t_goal"]), len(self.idf)))  # fmt: skip
        self.target_goal = arrays["t_goal"]
        meta = json.loads(bytes(arrays["meta"]).decode())
        self.target_codes: list[str] = meta["targets"]
        self.target_texts: dict[str, list[str]] = meta["target_texts"]
        self.version: int = meta["version"]

    # -- scoring ---------------------------------------------------------------------------------------
    def vectors(self, texts: list[str]) -> sp.csr_matrix:
        return tfidf(counts(texts), self.idf)

    def goal_scores(self, vectors: sp.csr_matrix) -> np.ndarray:
        z = np.asarray(vectors @ self.coef, dtype=np.float64) + self.intercept
        return 1 / (1 + np.exp(-(self.platt[:, 0] * z + self.platt[:, 1])))

    def predicted(self, scores: np.ndarray) -> np.ndarray:
        """Boolean (texts, goals): the goals scoring at least their threshold. None may: a text may
        address no goal."""
        return scores >= self.threshold

    def predict_goals(self, texts: list[str]) -> list[list[int]]:
        scores = self.goal_scores(self.vectors(texts))
        chosen = self.predicted(scores)
        return [[int(g) + 1 for g in np.argsort(-s) if c[g]] for s, c in zip(scores, chosen, strict=True)]

    def suggest(self, text: str, lang: str = "en", *, targets: int = 10) -> Suggestion:
        return self.suggest_many([text], lang, targets=targets)[0]

    def suggest_many(self, texts: list[str], lang: str = "en", *, targets: int = 10) -> list[Suggestion]:
        vectors = self.vectors(texts)
        scores = self.goal_scores(vectors)
        chosen = self.predicted(scores)
        similarity = (vectors @ self.targets.T).toarray()
        return [self._suggestion(texts[i], vectors[i], scores[i], chosen[i], similarity[i], lang, targets)
                for i in range(len(texts))]  # fmt: skip

    def _suggestion(self, text, vector, scores, chosen, similarity, lang, limit) -> Suggestion:
        words = self._weighty_words(text, vector)
        order = np.argsort(-scores)
        goals = [
            {"goal": int(g) + 1, "score": round(float(scores[g]), 3), "selected": bool(chosen[g]),
             "words": words.get(int(g), [])}
            for g in order if chosen[g] or scores[g] >= 0.05
        ]  # fmt: skip
        best_in_goal = np.zeros(GOALS)
        np.maximum.at(best_in_goal, self.target_goal - 1, similarity)
        relative = np.divide(similarity, best_in_goal[self.target_goal - 1],
                             out=np.zeros_like(similarity), where=best_in_goal[self.target_goal - 1] > 0)  # fmt: skip
        target_scores = scores[self.target_goal - 1] * relative
        texts = self.target_texts.get(lang) or self.target_texts["en"]
        result = []
        for t in np.argsort(-target_scores)[:limit]:
            if target_scores[t] < 0.05:
                break
            result.append({
                "target": self.target_codes[t], "score": round(float(target_scores[t]), 3),
                "selected": bool(chosen[self.target_goal[t] - 1] and relative[t] >= TARGET_SHARE),
                "text": texts[t],
            })  # fmt: skip
        predicted = [int(g) + 1 for g in order if chosen[g]]
        return Suggestion(goals=goals, targets=result, predicted_goals=predicted)

    def _weighty_words(self, text: str, vector: sp.csr_matrix) -> dict[int, list[str]]:
        """Per goal, the words of the text that raise its score most (word features only: character
        n-grams weigh too but mean nothing to a reader)."""
        values = dict(zip(vector.indices.tolist(), vector.data.tolist(), strict=True))
        columns: dict[str, int] = {}
        for token in word_tokens(text):
            column = word_column(token)
            if self.idf[column] >= MIN_EXPLAIN_IDF:  # not "the", "for", "in the"
                columns.setdefault(token, column)
        if not columns:
            return {}
        tokens = list(columns)
        index = np.array([columns[t] for t in tokens])
        weight = np.array([values.get(int(c), 0.0) for c in index])[:, None] * self.coef[index].astype(
            np.float32
        )
        out: dict[int, list[str]] = {}
        for g in range(GOALS):
            top = np.argsort(-weight[:, g])[:EXPLAIN_WORDS]
            out[g] = [tokens[i] for i in top if weight[i, g] > 0]
        return out


# -- training --------------------------------------------------------------------------------------------
def _label_matrix(examples: "list[Example]") -> np.ndarray:
    y = np.zeros((len(examples), GOALS), dtype=np.int8)
    for i, example in enumerate(examples):
        for goal in example.goals:
            y[i, goal - 1] = 1
    return y


def _fit_goal(x: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, float]:
    classifier = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=1000,
                                    random_state=SEED)  # fmt: skip
    classifier.fit(x, y)
    return classifier.coef_[0].astype(np.float32), float(classifier.intercept_[0])


def _fit_all(x: sp.csr_matrix, y: np.ndarray, jobs: int) -> tuple[np.ndarray, np.ndarray]:
    fitted = Parallel(n_jobs=jobs, prefer="threads")(delayed(_fit_goal)(x, y[:, g]) for g in range(GOALS))
    return np.column_stack([c for c, _ in fitted]), np.array([b for _, b in fitted])


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    scaler = LogisticRegression(C=1e4, solver="lbfgs").fit(z[:, None], y)
    return float(scaler.coef_[0, 0]), float(scaler.intercept_[0])


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    best, best_f1 = 0.5, -1.0
    for threshold in np.arange(0.1, 0.71, 0.02):
        predicted = p >= threshold
        tp = float((predicted & (y == 1)).sum())
        f1 = 2 * tp / max(float(predicted.sum() + y.sum()), 1.0)
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return round(best, 2)


def train(examples: "list[Example]", *, jobs: int = 1, progress=print) -> bytes:
    """Fit on `examples` and return the artefact (npz bytes). Deterministic: the same examples give
    the same bytes (BLAS runs on one thread, so sums are always taken in the same order)."""
    with threadpool_limits(1):
        return _train(examples, jobs=jobs, progress=progress)


def _train(examples: "list[Example]", *, jobs: int, progress) -> bytes:
    texts = [e.text for e in examples]
    y = _label_matrix(examples)
    raw = counts(texts)
    df = np.bincount(raw.indices, minlength=raw.shape[1])
    idf = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
    x = tfidf(raw, idf)

    progress(f"{len(texts)} texts; out-of-fold scores for calibration ({FOLDS} folds)")
    oof = np.zeros((len(texts), GOALS))
    for number, (fit, held) in enumerate(KFold(FOLDS, shuffle=True, random_state=SEED).split(texts), 1):
        coef, intercept = _fit_all(x[fit], y[fit], jobs)
        oof[held] = np.asarray(x[held] @ coef) + intercept
        progress(f"  fold {number}/{FOLDS} done")
    platt = np.array([_platt(oof[:, g], y[:, g]) for g in range(GOALS)])
    calibrated = 1 / (1 + np.exp(-(platt[:, 0] * oof + platt[:, 1])))
    threshold = np.array([_best_threshold(calibrated[:, g], y[:, g]) for g in range(GOALS)])

    progress("final fit on all training texts")
    coef, intercept = _fit_all(x, y, jobs)

    profiles = _target_profiles(examples)
    codes = sorted(profiles, key=_code_key)
    target_matrix = tfidf(counts(["\n".join(profiles[c]) for c in codes]), idf).astype(np.float32)
    target_texts = _target_texts(examples, codes)
    meta = {"version": VERSION, "targets": codes, "target_texts": target_texts}
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer, idf=idf, coef=coef.astype(np.float16), intercept=intercept, platt=platt, threshold=threshold,
        t_data=target_matrix.data, t_indices=target_matrix.indices.astype(np.int32),
        t_indptr=target_matrix.indptr.astype(np.int32),
        t_goal=np.array([int(c.split(".")[0]) for c in codes], dtype=np.int16),
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False, sort_keys=True).encode(), dtype=np.uint8),
    )  # fmt: skip
    return buffer.getvalue()


def _code_key(code: str) -> tuple[int, int]:
    goal, suffix = code.split(".")
    return int(goal), int(suffix) if suffix.isdigit() else 100 + ord(suffix)


def _target_profiles(examples: "list[Example]") -> dict[str, list[str]]:
    """Each target's official text and its (trained-on) indicators' texts, in every language."""
    profiles: dict[str, list[str]] = {}
    for example in examples:
        if example.kind == "target":
            profiles.setdefault(example.code, []).append(example.text)
    for example in examples:
        if example.kind == "indicator":
            target = example.code.rsplit(".", 1)[0]
            if target in profiles:
                profiles[target].append(example.text)
    return profiles


def _target_texts(examples: "list[Example]", codes: list[str]) -> dict[str, list[str]]:
    texts: dict[str, dict[str, str]] = {}
    for example in examples:
        if example.kind == "target":
            texts.setdefault(example.lang, {})[example.code] = example.text
    return {lang: [by_code.get(code, "") for code in codes] for lang, by_code in sorted(texts.items())}


def load(path: Path = MODEL_PATH) -> Model:
    with np.load(path, allow_pickle=False) as arrays:
        return Model({name: arrays[name] for name in arrays.files})


@cache
def shipped() -> Model:
    """The shipped model, loaded once per process."""
    return load()
