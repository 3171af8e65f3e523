"""A text classifier that learns from your annotations and pre-labels the rest (TF-IDF + logistic regression).

Trains on every labeled task each time an annotation is saved or Train is pressed; scores are calibrated
probabilities, so the server's uncertainty order asks for the texts the model is least sure about.
"""
import logging

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from labelhive.ml import LabelStudioMLBase, MediaError, ModelResponse, PredictionValue, artifacts, classify
from labelhive.ml.media import is_preload_needed
from labelhive.ml.model import next_version
from labelhive.ml.utils import choice_of, fingerprint

logger = logging.getLogger(__name__)


def new_pipeline():
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                         LogisticRegression(C=10.0, max_iter=2000))


class TextClassifier(LabelStudioMLBase):
    def _tags(self):
        return self.get_first_tag_occurence("Choices", ("Text", "HyperText", "Paragraphs"))

    def _text(self, task: dict, value: str) -> str | None:
        raw = task.get("data", {}).get(value)
        if isinstance(raw, str) and is_preload_needed(raw):  # valueType="url": the text lives in a file
            try:
                with open(self.get_local_path(raw, task_id=task.get("id")), encoding="utf-8", errors="replace") as f:
                    return f.read()
            except (MediaError, OSError) as exc:
                logger.warning("Task %s: cannot read its text: %s", task.get("id"), exc)
                return None
        if isinstance(raw, list):  # Paragraphs: a list of {"text": ...} (or of strings)
            return " ".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in raw)
        return None if raw is None else str(raw)

    def predict(self, tasks, context=None, **kwargs):
        from_name, to_name, value = self._tags()
        version = self.model_version
        model = artifacts.load(self.project_id, version)
        if model is None:
            return ModelResponse(model_version=version, predictions=[[] for _ in tasks])
        texts = [self._text(task, value) for task in tasks]
        known = [i for i, t in enumerate(texts) if t is not None]
        proba = model.predict_proba([texts[i] for i in known]) if known else np.zeros((0, 0))
        predictions = [[] for _ in tasks]
        for row, i in enumerate(known):
            best = int(proba[row].argmax())
            result = [{"from_name": from_name, "to_name": to_name, "type": "choices",
                       "value": {"choices": [str(model.classes_[best])]}}]
            predictions[i] = PredictionValue(result=result, score=float(proba[row, best]), model_version=version)
        return ModelResponse(model_version=version, predictions=predictions)

    def fit(self, event, data, **kwargs):
        from_name, _, value = self._tags()
        texts, labels, seen = [], [], []
        for task in self.server_api().labeled_tasks(self.project_id):
            label = choice_of(task, from_name)
            text = self._text(task, value) if label else None
            if text is not None:
                texts.append(text)
                labels.append(label)
                seen.append((task["id"], label))
        if self.get("trained_on") == fingerprint(seen):
            return {"status": "unchanged", "model_version": self.model_version, "examples": len(labels)}
        if len(set(labels)) < 2:
            return {"status": "waiting",
                    "reason": f"{len(labels)} labeled texts of {len(set(labels))} classes; need two classes"}
        model = classify.train(new_pipeline(), texts, labels)
        version = next_version(self.model_version or self.INITIAL_MODEL_VERSION)
        artifacts.save(model, self.project_id, version)
        self.set("model_version", version)
        self.set("trained_on", fingerprint(seen))
        return {"status": "ok", "model_version": version, "examples": len(labels), "temperature": model.temperature}
