"""Check imported task data against the `$vars` a config reads.

`missing_task_data` runs once per imported task (100k-task imports are normal), so
everything that depends only on the config is compiled once into `TaskCheck`s.
"""

from __future__ import annotations

import re

from .model import LabelConfig, TaskCheck

# Types Label Studio accepts per reading tag (tasks/validation.py in LS 1.23.2);
# a tag not listed accepts only strings.
DATA_TYPES: dict[str, tuple[type, ...]] = {
    "Text": (str, int, float, list),
    "Header": (str, int, float),
    "HyperText": (str,),
    "Image": (str, list),
    "Paragraphs": (list, str),
    "Chat": (list, str),
    "Table": (dict, list, str),
    "TimeSeries": (dict, list, str),
    "TimeSeriesChannel": (dict, list, str),
    "List": (list, str),
    "Choices": (str, list),
    "PolygonLabels": (str, list),
    "Labels": (str, list),
    "BrushLabels": (str, list),
    "EllipseLabels": (str, list),
    "HyperTextLabels": (str, list),
    "KeyPointLabels": (str, list),
    "ParagraphLabels": (str, list),
    "RectangleLabels": (str, list),
    "TimeSeriesLabels": (str, list),
    "Taxonomy": (str, list, type(None)),
    "Ranker": (list, str),
}

UNDEFINED_KEY = "$undefined$"

_PURE_VAR = re.compile(r"\$([^\s,]+)")
_FIRST_VAR = re.compile(r"\$(\w+)")
_MISSING = object()


def variable_of(value: str) -> str | None:
    """"$image" -> "image"; None when the value is not exactly one `$var`."""
    match = _PURE_VAR.fullmatch(value)
    return match.group(1) if match else None


def data_key_of(value: str) -> str | None:
    """The task key a tag's value reads: the `$var` itself, or the first `$var` of a template.

    Label Studio takes everything after a leading `$` ("$a - $b" -> "a - $b"), a key no
    task can sensibly carry; we take the first variable instead, as it already does for
    templates that do not start with `$`.
    """
    var = variable_of(value)
    if var is not None:
        return var
    match = _FIRST_VAR.search(value)
    return match.group(1) if match else None


def compile_checks(data_types: dict[str, str], list_keys: set[str]) -> tuple[TaskCheck, ...]:
    checks = []
    for key, tag in data_types.items():
        # Repeater values ("$pages[{{idx}}].url") index into a list held under "pages".
        is_array = "[" in key or key in list_keys
        base = key.split("[", 1)[0]
        types = (list,) if is_array else DATA_TYPES.get(tag, (str,))
        checks.append(TaskCheck(key=base, path=tuple(base.split(".")), types=types, tag=tag))
    return tuple(checks)


def _lookup(data: dict, path: tuple[str, ...]):
    value = data
    for part in path:
        if not isinstance(value, dict):
            return _MISSING
        value = value.get(part, _MISSING)
        if value is _MISSING:
            return _MISSING
    return value


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def missing_task_data(config: LabelConfig, data: dict) -> str | None:
    """None when `data` has every key the config reads with an accepted type, else why not.

    The wording matches Label Studio's import errors so clients that match on it keep working.
    Rename `$undefined$` first (see rename_undefined_key), as Label Studio does.
    """
    if not isinstance(data, dict):
        return f"Task data must be a JSON object, got {type(data).__name__}"
    for check in config.task_checks:
        if len(check.path) == 1:
            value = data.get(check.key, _MISSING)
        else:
            value = _lookup(data, check.path)
        if value is _MISSING:
            return f'"{check.key}" key is expected in task data'
        if not isinstance(value, check.types):
            expected = [t.__name__ for t in check.types]
            return (
                f"data['{check.key}']={_short(value)} is of type '{type(value).__name__}', "
                f"but the object tag {check.tag} expects the following types: {expected}"
            )
    return None


def rename_undefined_key(config: LabelConfig, data: dict) -> dict:
    """Move `$undefined$` (plain-text and media uploads) to the config's first data key, in place."""
    first = config.first_data_key
    if first is not None and UNDEFINED_KEY in data:
        data[first] = data.pop(UNDEFINED_KEY)
    return data
