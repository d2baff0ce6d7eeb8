"""The token classifier: a linear model over character n-grams says how promotional a string
looks; gradient-boosted trees weigh that against slot, context, fit and rule features; Platt
calibration on held-out documents makes the output a probability."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import SGDClassifier
from sklearn.utils.validation import check_is_fitted

from detector.document import strings_array
from detector.model.features import DENSE_NAMES, MONOTONE, CharNgrams, DocFeatures


def _window(scores: np.ndarray) -> np.ndarray:
    """The string score of each token and of its neighbours: at, before, after, max of +-3."""
    n = len(scores)
    prev = np.r_[0.0, scores[:-1]] if n else scores
    nxt = np.r_[scores[1:], 0.0] if n else scores
    padded = np.pad(scores, 3)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 7) if n else np.zeros((0, 7))
    return np.column_stack([scores, prev, nxt, windows.max(axis=1) if n else scores])


class TokenClassifier(ClassifierMixin, BaseEstimator):
    """Classifies each token of a document as inserted (1) or not (0).

    Parameters
    ----------
    n_features : int
        Hash space of the character n-grams.
    learning_rate : float
        Learning rate of the second stage.
    calibration_share : float
        Share of training documents held out to calibrate probabilities.
    calibration : {"sigmoid", "isotonic"}
        How held-out scores become probabilities. Sigmoid (Platt) is smooth, so the threshold
        moves recall and false alarms gradually; isotonic steps were too coarse with so few
        weighted positives (one step held 15% of the recall).
    calibration_prior : float
        Weight of inserted tokens when calibrating: probabilities are calibrated for dumps where
        insertions are this much rarer than in the generated training text (most real articles
        are clean; the generator injects two of every three). 0.015 (about 1 in 67) was chosen
        on the development set: with feature schema 4 it flags as few clean stories as 0.01 did
        with schema 3, and finds more of the insertions.
    negative_weight : float
        Weight of clean tokens in the second stage. Training text is far denser in insertions
        than real dumps; weighing clean tokens up makes the trees demand stronger evidence.
    max_iter, max_leaf_nodes : int
        Boosting iterations and leaves per tree of the second stage (63 leaves found more insertions but flagged twice
        as many clean crypto stories).
    monotone : bool
        Constrain the trees with `features.MONOTONE`, so that no combination of features can
        turn more evidence into a lower probability.
    random_state : int
        Seed for every random choice.
    """

    def __init__(
        self,
        n_features: int = 2**18,
        max_iter: int = 300,
        max_leaf_nodes: int = 31,
        learning_rate: float = 0.1,
        calibration_share: float = 0.15,
        negative_weight: float = 4.0,
        calibration_prior: float = 0.015,
        calibration: str = "sigmoid",
        monotone: bool = True,
        random_state: int = 0,
    ) -> None:
        self.monotone = monotone
        self.n_features = n_features
        self.negative_weight = negative_weight
        self.calibration_prior = calibration_prior
        self.calibration = calibration
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.learning_rate = learning_rate
        self.calibration_share = calibration_share
        self.random_state = random_state

    # -- stage 1: the string ------------------------------------------------------------------
    def _string_model(self) -> SGDClassifier:
        return SGDClassifier(
            loss="log_loss", alpha=2e-6, max_iter=50, tol=1e-3, random_state=self.random_state
        )

    def _fit_strings(self, strings: list[str], y: np.ndarray) -> np.ndarray:
        """Fit the string model on distinct strings (weighted by how often each was positive
        and negative) and return out-of-fold scores for every token: a string is scored by a
        model that never saw it, as unseen names will be at scan time."""
        grams = CharNgrams(self.n_features)
        arr = strings_array(strings)
        unique, inverse = np.unique(arr, return_inverse=True)
        pos = np.bincount(inverse, weights=y, minlength=len(unique))
        neg = np.bincount(inverse, weights=1 - y, minlength=len(unique))
        X = grams.transform(unique.tolist())
        rows = np.r_[np.flatnonzero(pos), np.flatnonzero(neg)]
        labels = np.r_[np.ones(int((pos > 0).sum())), np.zeros(int((neg > 0).sum()))]
        weights = np.r_[pos[pos > 0], neg[neg > 0]]
        weights = np.sqrt(weights)  # frequent words must not drown rare names
        fold = np.asarray([hash_fold(s) for s in unique.tolist()])
        oof = np.zeros(len(unique))
        for k in (0, 1):
            train = fold[rows] != k
            model = self._string_model().fit(
                X[rows[train]], labels[train], sample_weight=weights[train]
            )
            held = np.flatnonzero(fold == k)
            oof[held] = model.predict_proba(X[held])[:, 1]
        self.string_model_ = self._string_model().fit(X[rows], labels, sample_weight=weights)
        self.grams_ = grams
        return oof[inverse]

    def string_scores(self, strings: Sequence[str], grams: object = None) -> np.ndarray:
        """How promotional each string looks; `grams`, their n-grams if already hashed (by
        another classifier of the same `n_features`, as an ensemble's members share them)."""
        check_is_fitted(self, "string_model_")
        if not len(strings):
            return np.zeros(0)
        X = self.grams_.transform(strings) if grams is None else grams
        return self.string_model_.predict_proba(X)[:, 1]

    # -- stage 2: the token in its place ------------------------------------------------------
    def _stack(self, dense: np.ndarray, strings_scores: np.ndarray) -> np.ndarray:
        return np.hstack([dense, _window(strings_scores)]).astype(np.float32)

    def fit(self, docs: Sequence[DocFeatures], labels: Sequence[np.ndarray]) -> TokenClassifier:
        """Fit on featurised documents and their 0/1 token labels."""
        rng = np.random.default_rng(self.random_state)
        y_all = np.concatenate(labels).astype(float)
        judged = np.concatenate([d.candidate for d in docs])
        strings = [s for d in docs for s in d.strings]
        oof = self._fit_strings(
            [s for s, c in zip(strings, judged, strict=True) if c], y_all[judged]
        )
        scores = np.zeros(len(strings))
        scores[judged] = oof
        sizes = np.array([len(d.strings) for d in docs])
        bounds = np.r_[0, np.cumsum(sizes)]
        X = np.vstack(
            [self._stack(d.dense, scores[bounds[i] : bounds[i + 1]]) for i, d in enumerate(docs)]
        )
        calibrate_doc = rng.random(len(docs)) < self.calibration_share
        calibrate = np.repeat(calibrate_doc, sizes)
        X, y_all, calibrate = X[judged], y_all[judged], calibrate[judged]
        trees = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            l2_regularization=1.0,
            early_stopping=True,
            validation_fraction=0.1,
            monotonic_cst=self._monotonic_cst() if self.monotone else None,
            random_state=self.random_state,
        ).fit(
            X[~calibrate],
            y_all[~calibrate],
            sample_weight=np.where(y_all[~calibrate] > 0, 1.0, self.negative_weight),
        )
        y_cal = y_all[calibrate]
        with warnings.catch_warnings():
            # The weights are meant for the calibration alone; the frozen trees take none.
            warnings.filterwarnings("ignore", message="Since FrozenEstimator", category=UserWarning)
            self.calibrated_ = CalibratedClassifierCV(
                FrozenEstimator(trees), method=self.calibration
            ).fit(
                X[calibrate], y_cal, sample_weight=np.where(y_cal > 0, self.calibration_prior, 1.0)
            )
        self.classes_ = np.array([0, 1])
        self.n_dense_ = docs[0].dense.shape[1] if docs else 0
        return self

    @staticmethod
    def _monotonic_cst() -> list[int]:
        """Per stacked column: `MONOTONE` for the dense features; the token's own string score
        only up, its neighbours' free."""
        return [MONOTONE.get(name, 0) for name in DENSE_NAMES] + [1, 0, 0, 0]

    def predict_doc(self, features: DocFeatures) -> np.ndarray:
        """Calibrated probability that each token of the document was inserted."""
        return self.predict_docs([features])[0]

    def predict_docs(self, docs: Sequence[DocFeatures]) -> list[np.ndarray]:
        """`predict_doc` of many documents with one call into each stage: the same numbers
        (every row is scored alone), without paying the models' per-call overhead per document."""
        check_is_fitted(self, "calibrated_")
        return self.predict_scored(docs, self.string_scores(judged_strings(docs)))

    def predict_scored(
        self, docs: Sequence[DocFeatures], string_scores: np.ndarray
    ) -> list[np.ndarray]:
        """`predict_docs`, given the string scores of the judged tokens of `docs` in order
        (`judged_strings`): an ensemble hashes those strings once for all its members."""
        judged = [d.candidate for d in docs]
        rows, probs, used = [], [np.zeros(len(d.strings)) for d in docs], 0
        for d, mask in zip(docs, judged, strict=True):
            if not mask.any():
                continue
            scores = np.zeros(len(d.strings))
            scores[mask] = string_scores[used : used + int(mask.sum())]
            used += int(mask.sum())
            rows.append(self._stack(d.dense, scores)[mask])
        if rows:
            flat = self._calibrated_proba(np.vstack(rows))
            start = 0
            for p, mask in zip(probs, judged, strict=True):
                p[mask] = flat[start : start + int(mask.sum())]
                start += int(mask.sum())
        return probs

    def _calibrated_proba(self, X: np.ndarray) -> np.ndarray:
        """`calibrated_.predict_proba(X)[:, 1]` on one thread: a document's few dozen rows cost
        less than waking OpenMP threads for each of hundreds of trees (10x slower on a loaded
        machine), and `--jobs` workers would oversubscribe the cores."""
        fitted = self.calibrated_.calibrated_classifiers_[0]
        trees = fitted.estimator.estimator  # FrozenEstimator -> HistGradientBoostingClassifier
        raw = trees._raw_predict(X, n_threads=1).ravel()
        return np.clip(fitted.calibrators[0].predict(raw), 0.0, 1.0)


def judged_strings(docs: Sequence[DocFeatures]) -> list[str]:
    """The strings of the tokens the model judges, document after document."""
    return [s for d in docs for s, c in zip(d.strings, d.candidate, strict=True) if c]


def hash_fold(s: str) -> int:
    """A stable fold (0 or 1) for a string, independent of PYTHONHASHSEED."""
    import zlib

    return zlib.crc32(s.encode("utf-8")) & 1


class TokenEnsemble(ClassifierMixin, BaseEstimator):
    """Token classifiers trained on differently generated data (one seed each), their calibrated
    probabilities averaged.

    One model's quirks (a hashtag it happens to trust too much, a name it happens to doubt) are
    rarely shared by models that saw other insertions in other articles: which clean stories a
    single model flags changes from one training seed to the next, and the average is steadier
    than any one member (README, "The shipped model"). A frozen container: `clone` would give
    unfitted members, and it has no `fit` of its own (`training.train.train` fits the members).

    Parameters
    ----------
    members : sequence of TokenClassifier
        Fitted classifiers over the same features.
    """

    def __init__(self, members: Sequence[TokenClassifier] = ()) -> None:
        self.members = members

    @property
    def classes_(self) -> np.ndarray:
        return np.array([0, 1])

    def __sklearn_is_fitted__(self) -> bool:
        return bool(self.members) and all(hasattr(m, "calibrated_") for m in self.members)

    def predict_doc(self, features: DocFeatures) -> np.ndarray:
        """Mean calibrated probability that each token of the document was inserted."""
        return self.predict_docs([features])[0]

    def predict_docs(self, docs: Sequence[DocFeatures]) -> list[np.ndarray]:
        """`predict_doc` of many documents, each member called once for the batch."""
        if not self.__sklearn_is_fitted__():
            raise NotFittedError("an ensemble needs at least one member, every one fitted")
        # Members of one hashing hash the judged strings' character n-grams once between them.
        strings = judged_strings(docs)
        hashed: dict[tuple[int, tuple[int, int]], object] = {}
        each = []
        for member in self.members:
            key = (member.grams_.n_features, member.grams_.ngram_range)
            if strings and key not in hashed:
                hashed[key] = member.grams_.transform(strings)
            scores = member.string_scores(strings, hashed.get(key))
            each.append(member.predict_scored(docs, scores))
        return [np.mean(probs, axis=0) for probs in zip(*each, strict=True)]
