"""What predict() may return, as in label-studio-ml-backend's `label_studio_ml.response`."""
from typing import Any

from pydantic import BaseModel, ConfigDict


class PredictionValue(BaseModel):
    """One prediction for one task: its regions, a score in [0, 1], and the model version that made it."""

    model_config = ConfigDict(protected_namespaces=())

    result: list[dict[str, Any]]
    score: float | None = 0.0
    model_version: str | None = None


class ModelResponse(BaseModel):
    """Predictions for a batch of tasks, one entry per task (a list when a task gets several)."""

    model_config = ConfigDict(protected_namespaces=())

    model_version: str | None = None
    predictions: list[PredictionValue | list[PredictionValue]]

    def has_model_version(self) -> bool:
        return bool(self.model_version)

    def update_predictions_version(self) -> None:
        for entry in self.predictions:
            for p in entry if isinstance(entry, list) else [entry]:
                if not p.model_version:
                    p.model_version = self.model_version

    def set_version(self, version: str) -> None:
        self.model_version = version
        self.update_predictions_version()
