"""Classifiers for the example models: a scikit-learn pipeline trained on every labeled task, whose scores
are calibrated by temperature scaling on out-of-fold predictions. Needs scikit-learn."""
import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict

TEMPERATURES = np.exp(np.linspace(np.log(0.05), np.log(20.0), 80))
CALIBRATION_FOLDS = 3  # so every class needs 3 examples before scores are calibrated


def _logits(z: np.ndarray) -> np.ndarray:
    # A binary classifier's decision_function is one column: the log-odds of the second class.
    return np.column_stack([np.zeros_like(z), z]) if z.ndim == 1 else z


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits: np.ndarray, y_index: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of held-out predictions."""
    best, best_nll = 1.0, np.inf
    rows = np.arange(len(y_index))
    for t in TEMPERATURES:
        p = _softmax(logits / t)
        nll = -np.log(np.clip(p[rows, y_index], 1e-12, None)).mean()
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


class CalibratedClassifier:
    """A fitted pipeline plus the temperature its scores are divided by; picklable."""

    def __init__(self, pipeline, temperature: float):
        self.pipeline, self.temperature = pipeline, temperature

    @property
    def classes_(self):
        return self.pipeline.classes_

    def predict_proba(self, X) -> np.ndarray:
        return _softmax(_logits(self.pipeline.decision_function(X)) / self.temperature)


def train(pipeline, X, y: list[str], seed: int = 0) -> CalibratedClassifier:
    """Fit `pipeline` (ending in a linear classifier) on all of X, y; calibrate when every class has a few
    examples, else keep the classifier's own scale."""
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError("Training needs annotations of at least two classes")
    temperature = 1.0
    if counts.min() >= CALIBRATION_FOLDS:
        oof = cross_val_predict(clone(pipeline), X, y, method="decision_function",
                                cv=StratifiedKFold(CALIBRATION_FOLDS, shuffle=True, random_state=seed))
        temperature = fit_temperature(_logits(oof), np.searchsorted(classes, y))
    pipeline.fit(X, y)
    return CalibratedClassifier(pipeline, temperature)
