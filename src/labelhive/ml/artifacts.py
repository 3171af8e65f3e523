"""Trained models on disk: MODEL_DIR/<project>/<name>-<version>.pkl, written atomically (predictions read the
file while a new fit may be writing the next one). The latest one loaded per project stays in memory."""
import os
import pickle
import re
import tempfile
import threading
from pathlib import Path

from . import cache

_loaded: dict[tuple[Path, str], tuple[Path, object]] = {}
_lock = threading.Lock()


def path_for(project_id: str, version: str, name: str = "model") -> Path:
    folder = re.sub(r"[^A-Za-z0-9_-]", "_", project_id) or "default"
    return cache.model_dir() / folder / (re.sub(r"[^A-Za-z0-9._-]", "_", f"{name}-{version}") + ".pkl")


def _remember(path: Path, name: str, obj) -> None:
    with _lock:
        _loaded[(path.parent, name)] = (path, obj)


def save(obj, project_id: str, version: str, name: str = "model") -> Path:
    path = path_for(project_id, version, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    with os.fdopen(fd, "wb") as out:
        pickle.dump(obj, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    _remember(path, name, obj)
    return path


def load(project_id: str, version: str, name: str = "model"):
    """The object saved for that version, or None when there is none (e.g. not trained yet)."""
    path = path_for(project_id, version, name)
    with _lock:
        held = _loaded.get((path.parent, name))
    if held and held[0] == path:
        return held[1]
    if not path.exists():
        return None
    with open(path, "rb") as f:
        obj = pickle.load(f)
    _remember(path, name, obj)
    return obj
