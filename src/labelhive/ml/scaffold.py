"""`labelhive ml init`: a new backend directory with a model skeleton, or a copy of a script or example."""
import os
import shutil
from pathlib import Path

from .loader import load_model_class, split_script

EXAMPLES_DIR = Path(__file__).parent / "examples"

MODEL_PY = '''"""A model server for LabelHive (or Label Studio). Serve it with: labelhive ml start {dirname}"""
from labelhive.ml import LabelStudioMLBase, ModelResponse, PredictionValue


class NewModel(LabelStudioMLBase):
    def setup(self):
        # Runs for every request: load weights here (cache them at module level if they are large).
        self.set("model_version", self.get("model_version") or "0.0.1")

    def predict(self, tasks, context=None, **kwargs):
        """One prediction per task. This skeleton picks the first choice of the first Choices tag."""
        try:
            from_name, to_name, value = self.get_first_tag_occurence("Choices", ("Image", "Text", "HyperText"))
        except ValueError:
            return ModelResponse(predictions=[])
        label = self.label_interface.get_control(from_name).labels[0]
        predictions = []
        for task in tasks:
            # The task's media, fetched from the server with its token: path = self.get_local_path(
            #     task["data"][value], task_id=task["id"])
            result = [{{"from_name": from_name, "to_name": to_name, "type": "choices",
                       "value": {{"choices": [label]}}}}]
            predictions.append(PredictionValue(result=result, score=0.5, model_version=self.model_version))
        return ModelResponse(predictions=predictions)

    def fit(self, event, data, **kwargs):
        """Called on ANNOTATION_CREATED/UPDATED/DELETED (data has the task and annotation) and START_TRAINING.
        All labeled tasks: self.server_api().labeled_tasks(self.project_id)."""
        self.bump_model_version()
        return {{"model_version": self.model_version}}
'''

README = '''# {dirname}: a model server

Serve it:

    labelhive ml start {dirname} --port 9090

then connect it in the project's settings (Machine Learning -> Add model, URL `http://localhost:9090`),
or with the API: `POST /api/ml {{"url": "http://localhost:9090", "project": <id>}}`.

- `predict(tasks, context=None, **kwargs)` returns one prediction per task (`{{"result", "score",
  "model_version"}}` dicts, or a `ModelResponse`).
- `fit(event, data)` gets `ANNOTATION_CREATED`, `ANNOTATION_UPDATED`, `ANNOTATION_DELETED` and
  `START_TRAINING` (the server's Train button).
- `self.get_local_path(url, task_id=...)` downloads task media with the server's token; the server sends its
  URL and token in `/setup`, or set `LABEL_STUDIO_URL` and `LABEL_STUDIO_API_KEY`.
- `self.get(key)` / `self.set(key, value)` keep per-project state (the model version among it) in
  `MODEL_DIR` (this directory by default).
- Basic auth: set `BASIC_AUTH_USER` and `BASIC_AUTH_PASS` and give the same in the server's settings.
'''

REQUIREMENTS = "labelhive\n"


def _state_files(folder: str, names: list[str]) -> set[str]:
    """What serving an example in place leaves behind (see examples/.gitignore): not part of a new backend."""
    return {n for n in names if n in ("__pycache__", "media-cache", "default") or n.startswith("cache.db")
            or n.endswith(".pyc") or (n[:1].isdigit() and os.path.isdir(os.path.join(folder, n)))}


def examples() -> list[str]:
    return sorted(p.name for p in EXAMPLES_DIR.iterdir() if (p / "model.py").is_file()) if EXAMPLES_DIR.is_dir() else []


def init_backend(directory: str | Path, script: str | None = None, example: str | None = None,
                 force: bool = False) -> Path:
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        if not force:
            raise FileExistsError(f"{target} already exists and is not empty: remove it or pass --force")
        shutil.rmtree(target)
    if example:
        if example not in examples():
            raise ValueError(f"No example {example!r}; there are: {', '.join(examples())}")
        shutil.copytree(EXAMPLES_DIR / example, target, dirs_exist_ok=True,
                        ignore=_state_files)
        return target
    target.mkdir(parents=True, exist_ok=True)
    if script:
        path, class_name = split_script(script)
        source = Path(path)
        if not source.is_file():
            raise FileNotFoundError(f"No such script: {path}")
        shutil.copy2(source, target / "model.py")
        for extra in ("requirements.txt", "README.md"):
            if (source.parent / extra).is_file() and source.parent.resolve() != target.resolve():
                shutil.copy2(source.parent / extra, target / extra)
        load_model_class(target, f"model.py:{class_name}" if class_name else None)  # fail now, not at start
    else:
        (target / "model.py").write_text(MODEL_PY.format(dirname=target.name))
    if not (target / "README.md").exists():
        (target / "README.md").write_text(README.format(dirname=target.name))
    if not (target / "requirements.txt").exists():
        (target / "requirements.txt").write_text(REQUIREMENTS)
    return target
