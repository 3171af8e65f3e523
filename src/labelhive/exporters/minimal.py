"""JSON_MIN export: one flat record per annotation, as Label Studio's converter writes it.

The records must equal what `label_studio_sdk.converter.Converter.convert_to_json_min`
produces for the same tasks (tests/test_exporters_tabular.py runs it as the oracle).
The CSV/TSV export (tabular.py) is built from the same pieces, so they live here.
"""
import json
import re
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterable, Iterator

from defusedxml import ElementTree

# Tags that have name= and toName= but are not controls, so their names never show up as columns.
_NOT_CONTROLS = {"Filter"}
# Control types whose single value is collapsed to a bare string ("cat" instead of [{"choices": ["cat"]}]).
_COLLAPSING = ("Choices", "TextArea")
_CHAT_TYPES = ("Chat", "chatmessage")


@dataclass(frozen=True)
class Controls:
    """The label config's control tags: what decides which result items reach an export."""

    types: dict[str, str] = field(default_factory=dict)  # control name -> tag name, e.g. "Choices"
    # Repeater controls ("label_{{idx}}") match many from_names; (pattern, control name), longest pattern first.
    patterns: tuple[tuple[re.Pattern, str], ...] = ()

    def type_of(self, from_name: str) -> str | None:
        if from_name in self.types:
            return self.types[from_name]
        for pattern, name in self.patterns:
            # re.match, not fullmatch: LS matches a prefix, so "lbl_.*" also claims "lbl_0_extra".
            if pattern.match(from_name):
                return self.types[name]
        return None


def parse_controls(label_config: str) -> Controls:
    """Control names and tag types of a label config; an empty config gives no controls."""
    if not label_config or not label_config.strip():
        return Controls()
    types: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    index_flags: list[str] = []
    for tag in ElementTree.fromstring(label_config).iter():
        if not isinstance(tag.tag, str):
            continue
        if "indexFlag" in tag.attrib:
            index_flags.append(tag.attrib["indexFlag"])
        name, to_name = tag.attrib.get("name"), tag.attrib.get("toName")
        if not (name and to_name) or tag.tag in _NOT_CONTROLS:
            continue
        types[name] = tag.tag
        # Like LS, a control becomes a pattern only when its toName uses a Repeater variable seen so far;
        # the variable turns into ".*" and nothing else in the name is escaped.
        flags = [f for f in index_flags if any(f in t for t in to_name.split(","))]
        if flags:
            pattern = name
            for flag in flags:
                pattern = pattern.replace(flag, ".*")
            patterns.append((pattern, name))
    compiled = []
    for pattern, name in sorted(patterns, key=lambda p: -len(p[0])):
        try:
            compiled.append((re.compile(pattern), name))
        except re.error:
            continue
    return Controls(types=types, patterns=tuple(compiled))


def export_annotations(task: dict) -> list[dict]:
    """The annotations that become records, newest first.

    A task whose annotation list is empty still yields one record with empty annotation
    fields (that is how LS exports unlabeled tasks with download_all_tasks), represented
    here as one empty dict. A task whose annotations are all cancelled yields nothing,
    and so does a task without an "annotations" (or legacy "completions") key.
    """
    if "annotations" in task:
        annotations = task["annotations"]
    elif "completions" in task:
        annotations = task["completions"]
    else:
        return []
    if not annotations:
        return [{}]
    kept = [a for a in annotations if not (a.get("skipped") or a.get("was_cancelled"))]
    # LS sorts on the raw ISO strings; sorted() is stable, so ties keep their stored order.
    return sorted(kept, key=lambda a: a.get("created_at") or "", reverse=True)


def annotation_outputs(annotation: dict, controls: Controls) -> dict[str, list[tuple[str, dict]]]:
    """Result items grouped by from_name, each as (control type, value dict).

    Items whose from_name is not a control are dropped, except chat messages, and except
    when the config has no controls at all (custom interfaces), where every item is kept.
    The value dict gets original_width/height from the item, and loses any "type" key
    (LS overwrites it with the control type, then pops it while prettifying).
    """
    outputs: dict[str, list[tuple[str, dict]]] = {}
    for item in annotation.get("result") or ():
        from_name = item.get("from_name")
        if not from_name:
            continue
        kind = controls.type_of(from_name)
        # Chat messages picked up without a control keep their value bare: no image sizes.
        with_sizes = True
        if kind is None:
            if item.get("type") == "chatmessage":
                kind, with_sizes = "chatmessage", False
            elif not controls.types:
                kind = item.get("type") or "unknown"
            else:
                continue
        value = dict(item.get("value") or {})
        value.pop("type", None)
        if with_sizes and "original_width" in item:
            value["original_width"] = item["original_width"]
        if with_sizes and "original_height" in item:
            value["original_height"] = item["original_height"]
        outputs.setdefault(from_name, []).append((kind, value))
    return outputs


def prettify(regions: list[tuple[str, dict]]) -> Any:
    """One from_name's values as LS shows them: a bare string for a single choice or text.

    A lone Choices/TextArea region with several items stays a dict ({"choices": [..]});
    several regions stay a list. Which rule applies is decided by the LAST region's type.
    """
    out = []
    for kind, value in regions:
        if kind == "Choices" and _single(value.get("choices")):
            out.append(value["choices"][0])
        elif kind == "TextArea" and _single(value.get("text")):
            out.append(value["text"][0])
        elif kind in _CHAT_TYPES:
            out.append(value.get("chatmessage", value))
        else:
            out.append(value)
    if len(out) == 1 and regions[-1][0] in _COLLAPSING:
        return out[0]
    return out


def _single(items: Any) -> bool:
    return isinstance(items, list) and len(items) == 1


def annotator(annotation: dict, keep_int: bool) -> Any:
    """The annotator cell: the email of a user dict, else the id.

    JSON_MIN keeps an int id as an int, CSV writes it as a string. A missing completed_by
    (or the blank record of an unlabeled task) gives None, but an explicit null gives the
    string "None" - LS stringifies whatever is not a dict or an int.
    """
    completed_by = annotation.get("completed_by", {})
    if isinstance(completed_by, dict):
        return completed_by.get("email")
    if keep_int and isinstance(completed_by, int):
        return completed_by
    return str(completed_by)


def min_records(task: dict, controls: Controls) -> list[dict]:
    """The JSON_MIN records of one task.

    Key order follows LS: data keys, id, control values, annotator, annotation fields.
    A control named like a data key overwrites it here (only CSV renames to _data_<k>).
    Records share nested values with `task`; they are meant to be serialised, not mutated.
    """
    records = []
    for annotation in export_annotations(task):
        record = dict(task.get("data") or {})
        if task.get("id") is not None:
            record["id"] = task["id"]
        for name, regions in annotation_outputs(annotation, controls).items():
            record[name] = prettify(regions)
        record["annotator"] = annotator(annotation, keep_int=True)
        record["annotation_id"] = annotation.get("id")
        record["created_at"] = annotation.get("created_at")
        record["updated_at"] = annotation.get("updated_at")
        record["lead_time"] = annotation.get("lead_time")
        # The blank record of an unlabeled task does not carry the agreement.
        if annotation and "agreement" in task:
            record["agreement"] = task["agreement"]
        records.append(record)
    return records


def iter_min_records(tasks: Iterable[dict], controls: Controls) -> Iterator[dict]:
    for task in tasks:
        yield from min_records(task, controls)


def write_json_min(tasks: Iterable[dict], label_config: str, out: BinaryIO) -> None:
    """Stream result.json for JSON_MIN, one record at a time, laid out like LS's file."""
    controls = parse_controls(label_config)
    out.write(b"[\n")
    first = True
    for record in iter_min_records(tasks, controls):
        if not first:
            out.write(b",\n")
        out.write(json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8"))
        first = False
    out.write(b"\n]")
