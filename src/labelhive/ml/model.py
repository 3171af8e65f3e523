"""LabelStudioMLBase: the base class of a model server, with label-studio-ml-backend's interface, so existing
model code ports by changing `label_studio_ml` to `labelhive.ml` in its imports."""
import json
import logging
import os
import re

from . import cache
from .labels import LabelInterface, interface_for
from .media import get_local_path as _get_local_path
from .media import is_preload_needed
from .response import ModelResponse

logger = logging.getLogger(__name__)

# Keys /setup stores per project: where the labeling server is and the token it gave us.
HOSTNAME_KEY, TOKEN_KEY = "hostname", "access_token"


def next_version(current: str) -> str:
    """0.0.1 -> 0.1.0 -> 0.2.0; a version that is not x.y.z gets its trailing number incremented."""
    semver = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", current)
    if semver:
        return f"{semver[1]}.{int(semver[2]) + 1}.0"
    tail = re.search(r"(\d+)$", current)
    return current[:tail.start()] + str(int(tail[1]) + 1) if tail else f"{current}.1"


class LabelStudioMLBase:
    INITIAL_MODEL_VERSION = "0.0.1"
    TRAIN_EVENTS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATION_DELETED", "START_TRAINING")

    def __init__(self, project_id: str | None = None, label_config: str | None = None, train_output=None,
                 **kwargs):
        self.project_id = str(project_id or "")
        if label_config:
            self.use_label_config(label_config)
        if not self.get("model_version"):
            self.set("model_version", self.INITIAL_MODEL_VERSION)
        # label-studio-ml 1.0.x models read the result of their last fit() from here.
        self.train_output = train_output if train_output is not None else self._stored_train_output()
        self.setup()

    def setup(self):
        """Override to load weights or set the model version; runs on every instantiation (once per request)."""

    # -- the per-project store --------------------------------------------------------------------------
    def get(self, key: str):
        return cache.get(self.project_id, key)

    def set(self, key: str, value) -> None:
        cache.set(self.project_id, key, value)

    def has(self, key: str) -> bool:
        return cache.has(self.project_id, key)

    # -- label config -----------------------------------------------------------------------------------
    def use_label_config(self, label_config: str) -> None:
        if self.get("label_config") != label_config:
            self.set("label_config", label_config)

    @property
    def label_config(self) -> str | None:
        return self.get("label_config")

    @property
    def parsed_label_config(self) -> dict:
        config = self.label_config
        return interface_for(config).parsed if config else {}

    @property
    def label_interface(self) -> LabelInterface | None:
        config = self.label_config
        return interface_for(config) if config else None

    def get_first_tag_occurence(self, control_type, object_type, name_filter=None, to_name_filter=None):
        """(from_name, to_name, data key), e.g. get_first_tag_occurence("Choices", "Image")."""
        if self.label_interface is None:
            raise ValueError("No label config yet: the server sends it in /setup and with each request.")
        return self.label_interface.get_first_tag_occurence(control_type, object_type, name_filter, to_name_filter)

    def set_extra_params(self, extra_params) -> None:
        self.set("extra_params", json.dumps(extra_params))

    @property
    def extra_params(self) -> dict:
        raw = self.get("extra_params")
        return json.loads(raw) if raw else {}

    # -- model version ----------------------------------------------------------------------------------
    @property
    def model_version(self) -> str | None:
        return self.get("model_version")

    def bump_model_version(self) -> str:
        new = next_version(self.model_version or self.INITIAL_MODEL_VERSION)
        self.set("model_version", new)
        return new

    # -- what subclasses implement ----------------------------------------------------------------------
    def predict(self, tasks: list[dict], context: dict | None = None, **kwargs) -> list[dict] | ModelResponse:
        """One prediction per task: [{"result": [...], "score": 0.9, "model_version": "..."}] or a ModelResponse."""
        return []

    def fit(self, event, data, **kwargs):
        """Called with each training event (TRAIN_EVENTS) and its webhook payload."""

    def process_event(self, event, data, job_id=None, additional_params=None):
        if event in self.TRAIN_EVENTS:
            return self.fit(event, data, job_id=job_id, **(additional_params or {}))
        return None

    # -- media and the labeling server --------------------------------------------------------------------
    @property
    def hostname(self) -> str:
        """The labeling server's URL: LABEL_STUDIO_URL (or LABEL_STUDIO_HOST), else what it sent to /setup."""
        return (os.environ.get("LABEL_STUDIO_URL") or os.environ.get("LABEL_STUDIO_HOST")
                or self.get(HOSTNAME_KEY) or "").rstrip("/")

    @property
    def access_token(self) -> str:
        return (os.environ.get("LABEL_STUDIO_API_KEY") or os.environ.get("LABEL_STUDIO_ACCESS_TOKEN")
                or self.get(TOKEN_KEY) or "")

    def get_label_studio_access_token(self) -> str:
        return self.access_token

    def get_local_path(self, url, project_dir=None, ls_host=None, ls_access_token=None, task_id=None, **kwargs):
        """A local file with the media behind `url`, fetched from the labeling server with its token."""
        return _get_local_path(url, project_dir=project_dir, hostname=ls_host or self.hostname,
                               access_token=ls_access_token or self.access_token, task_id=task_id, **kwargs)

    def preload_task_data(self, task: dict, value=None, read_file: bool = True):
        """task["data"] with every media reference replaced by its content (or its local path)."""
        value = task.get("data") if value is None else value
        if isinstance(value, dict):
            return {k: self.preload_task_data(task, v, read_file) for k, v in value.items()}
        if isinstance(value, list):
            return [self.preload_task_data(task, v, read_file) for v in value]
        if isinstance(value, str) and is_preload_needed(value):
            path = self.get_local_path(value, task_id=task.get("id"))
            if not read_file:
                return path
            with open(path) as f:
                return f.read()
        return value

    def server_api(self):
        """A client for the labeling server's API (to fetch labeled tasks in fit)."""
        from .client import ServerAPI

        return ServerAPI(self.hostname, self.access_token)

    def _stored_train_output(self) -> dict:
        raw = self.get("train_output")
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {}
