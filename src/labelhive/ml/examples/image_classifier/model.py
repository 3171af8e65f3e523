"""An image classifier that learns from your annotations and pre-labels the rest.

Features come from the image itself (a small grey thumbnail, colour histograms and a grid of gradient-
orientation histograms), so nothing is downloaded; a logistic regression is trained on every labeled task
each time an annotation is saved or Train is pressed. Scores are calibrated probabilities, so the server's
uncertainty order (lowest score first) asks for the images the model is least sure about.
"""
import logging
from functools import lru_cache

import numpy as np
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from labelhive.ml import LabelStudioMLBase, MediaError, ModelResponse, PredictionValue, artifacts, classify
from labelhive.ml.model import next_version
from labelhive.ml.utils import choice_of, fingerprint

logger = logging.getLogger(__name__)

SIDE, CELLS, BINS = 32, 4, 8


@lru_cache(maxsize=50_000)
def image_features(path: str) -> np.ndarray:
    with Image.open(path) as im:
        rgb = im.convert("RGB").resize((SIDE, SIDE), Image.BILINEAR)
    colour = np.asarray(rgb, dtype=np.float32) / 255.0
    grey = np.asarray(rgb.convert("L"), dtype=np.float32) / 255.0
    thumbnail = np.asarray(rgb.convert("L").resize((SIDE // 2, SIDE // 2), Image.BILINEAR), np.float32) / 255.0
    histograms = np.concatenate([np.histogram(colour[..., c], bins=BINS, range=(0, 1))[0] for c in range(3)])
    gy, gx = np.gradient(grey)
    magnitude = np.hypot(gx, gy)
    orientation = np.minimum(((np.arctan2(gy, gx) % np.pi) / np.pi * BINS).astype(int), BINS - 1)
    cell = SIDE // CELLS
    hog = np.array([np.bincount(orientation[i:i + cell, j:j + cell].ravel(),
                                weights=magnitude[i:i + cell, j:j + cell].ravel(), minlength=BINS)
                    for i in range(0, SIDE, cell) for j in range(0, SIDE, cell)]).ravel()
    return np.concatenate([thumbnail.ravel(), histograms / SIDE ** 2, hog / (np.linalg.norm(hog) + 1e-6)])


def new_pipeline():
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))


class ImageClassifier(LabelStudioMLBase):
    def _tags(self):
        return self.get_first_tag_occurence("Choices", "Image")

    def _features(self, task: dict, value: str) -> np.ndarray | None:
        try:
            return image_features(self.get_local_path(task["data"][value], task_id=task.get("id")))
        except (MediaError, OSError, KeyError) as exc:
            logger.warning("Task %s: no image features: %s", task.get("id"), exc)
            return None

    def predict(self, tasks, context=None, **kwargs):
        from_name, to_name, value = self._tags()
        version = self.model_version
        model = artifacts.load(self.project_id, version)
        if model is None:  # not trained yet: no prediction for any task
            return ModelResponse(model_version=version, predictions=[[] for _ in tasks])
        features = [self._features(task, value) for task in tasks]
        known = [i for i, x in enumerate(features) if x is not None]
        proba = model.predict_proba(np.stack([features[i] for i in known])) if known else np.zeros((0, 0))
        predictions = [[] for _ in tasks]
        for row, i in enumerate(known):
            best = int(proba[row].argmax())
            result = [{"from_name": from_name, "to_name": to_name, "type": "choices",
                       "value": {"choices": [str(model.classes_[best])]}}]
            predictions[i] = PredictionValue(result=result, score=float(proba[row, best]), model_version=version)
        return ModelResponse(model_version=version, predictions=predictions)

    def fit(self, event, data, **kwargs):
        from_name, _, value = self._tags()
        X, y, seen = [], [], []
        for task in self.server_api().labeled_tasks(self.project_id):
            label = choice_of(task, from_name)
            x = self._features(task, value) if label else None
            if x is not None:
                X.append(x)
                y.append(label)
                seen.append((task["id"], label))
        if self.get("trained_on") == fingerprint(seen):  # e.g. a burst of webhooks: trained on this already
            return {"status": "unchanged", "model_version": self.model_version, "examples": len(y)}
        if len(set(y)) < 2:
            return {"status": "waiting", "reason": f"{len(y)} labeled images of {len(set(y))} classes; need two classes"}
        model = classify.train(new_pipeline(), np.stack(X), y)
        version = next_version(self.model_version or self.INITIAL_MODEL_VERSION)
        artifacts.save(model, self.project_id, version)  # saved before the version moves, so predict finds it
        self.set("model_version", version)
        self.set("trained_on", fingerprint(seen))
        return {"status": "ok", "model_version": version, "examples": len(y), "temperature": model.temperature}
