"""Helpers older label-studio-ml examples import from `label_studio_ml.utils`, plus reading labels back."""
import hashlib

from .media import get_local_path

DATA_UNDEFINED_NAME = "$undefined$"

__all__ = [
    "DATA_UNDEFINED_NAME",
    "choice_of",
    "fingerprint",
    "get_choice",
    "get_image_local_path",
    "get_local_path",
    "get_single_tag_keys",
    "is_skipped",
    "latest_annotation",
]


def get_single_tag_keys(parsed_label_config: dict, control_type: str, object_type: str):
    """(from_name, to_name, data key, labels) of the only control of that type, as label-studio-ml checks it."""
    assert len(parsed_label_config) == 1, "Expected exactly one control tag in the label config"
    from_name, info = next(iter(parsed_label_config.items()))
    assert info["type"] == control_type, f"Expected a {control_type} control, found {info['type']}"
    assert len(info["to_name"]) == 1 and info["inputs"][0]["type"] == object_type, \
        f"Expected the control to label one {object_type}"
    return from_name, info["to_name"][0], info["inputs"][0]["value"], info["labels"]


def get_choice(completion: dict) -> str:
    return completion["annotations"][0]["result"][0]["value"]["choices"][0]


def is_skipped(completion: dict) -> bool:
    annotations = completion.get("annotations") or []
    return len(annotations) != 1 or bool(annotations[0].get("skipped") or annotations[0].get("was_cancelled"))


def get_image_local_path(url, image_cache_dir=None, project_dir=None, image_dir=None, label_studio_host=None,
                         label_studio_access_token=None, task_id=None):
    return get_local_path(url, cache_dir=image_cache_dir, project_dir=project_dir, hostname=label_studio_host,
                          access_token=label_studio_access_token, task_id=task_id)


def latest_annotation(task: dict) -> dict | None:
    """The task's most recently updated annotation that was not skipped."""
    kept = [a for a in task.get("annotations") or [] if not a.get("was_cancelled") and a.get("result")]
    return max(kept, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0),
               default=None)


def choice_of(task: dict, from_name: str) -> str | None:
    """The first choice made in `from_name` by the task's latest annotation, or None."""
    annotation = latest_annotation(task)
    for item in (annotation or {}).get("result", []):
        if item.get("from_name") == from_name and item.get("value", {}).get("choices"):
            return item["value"]["choices"][0]
    return None



def fingerprint(pairs) -> str:
    """A short digest of (task id, label) pairs: the same training set gives the same digest."""
    return hashlib.sha1(repr(sorted(pairs)).encode()).hexdigest()[:16]
