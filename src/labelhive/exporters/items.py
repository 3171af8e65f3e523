"""What the region-based exporters (COCO, YOLO, VOC, CoNLL, brush, ASR) read: one item per exported annotation.

Label Studio's converter turns each task into one item per non-cancelled annotation (newest first), or one
item without regions for a task that has no annotations at all. An item's regions are the result values
grouped by from_name, each tagged with its control's tag name and the image size from the result.
"""
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import labelconfig
from .minimal import Controls, export_annotations, parse_controls
from .staging import StagedZip


@dataclass
class Item:
    task_id: Any
    data: dict
    annotation: dict  # {} for the blank item of a task without annotations
    regions: dict[str, list[dict]]

    @property
    def completed_by(self) -> Any:
        return self.annotation.get("completed_by", {})

    def all_regions(self) -> list[dict]:
        return [r for regions in self.regions.values() for r in regions]


@dataclass
class ExportContext:
    """Everything a writer needs besides the tasks: the config and a way to read task media."""

    label_config: str
    # parsed_label_config: {control name: {type, to_name, inputs, labels, labels_attrs}}
    schema: dict = field(default_factory=dict)
    controls: Controls = field(default_factory=Controls)
    # The local file behind a media URL this server holds (uploads, attached folders), else None.
    media: Callable[[str], Path | None] = lambda url: None
    notes: list[str] = field(default_factory=list)
    # Where small per-image files go when the export is zipped anyway (see staging.py); else to disk.
    staged: StagedZip | None = None

    def put(self, out_dir: Path, name: str, data: bytes, group: Any) -> None:
        """Write one small file of the export; `group` (the task) tells which writes may replace each other."""
        if self.staged is not None:
            self.staged.put(name, data, group)
            return
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    @classmethod
    def build(cls, label_config: str, media: Callable[[str], Path | None] | None = None) -> "ExportContext":
        schema = labelconfig.parsed_label_config(labelconfig.parse(label_config)) if label_config else {}
        return cls(label_config=label_config, schema=schema, controls=parse_controls(label_config),
                   media=media or (lambda url: None))

    @property
    def data_key(self) -> str | None:
        """The one data key region formats read (they are offered only for configs with one)."""
        for info in self.schema.values():
            for source in info["inputs"]:
                key = source.get("value") or source.get("valueList")
                if key:
                    return key
        return None

    def note(self, text: str) -> None:
        # Bounded: a project of 100k unreadable images must not grow memory with notes.
        if len(self.notes) < 100:
            self.notes.append(text)


def regions_of(annotation: dict, controls: Controls, with_ids: bool = False) -> dict[str, list[dict]]:
    """Result values by from_name, each a copy with "type" (the control tag) and the original image size."""
    out: dict[str, list[dict]] = {}
    for result in annotation.get("result") or ():
        from_name = result.get("from_name")
        if not from_name:
            continue
        kind = controls.type_of(from_name)
        if kind is None:
            continue
        value = dict(result.get("value") or {})
        value["type"] = kind
        if "original_width" in result:
            value["original_width"] = result["original_width"]
        if "original_height" in result:
            value["original_height"] = result["original_height"]
        if with_ids:
            value["id"], value["parentID"] = result.get("id"), result.get("parentID")
        out.setdefault(from_name, []).append(value)
    return out


def iter_items(tasks: Iterable[dict], controls: Controls, with_ids: bool = False) -> Iterator[Item]:
    for task in tasks:
        data = task.get("data") or {}
        for annotation in export_annotations(task):
            yield Item(task.get("id"), data, annotation, regions_of(annotation, controls, with_ids))


def annotator(completed_by: Any, default: Any = None) -> Any:
    """The converter's annotator text: a user's email, else the id as a string."""
    if isinstance(completed_by, dict):
        return completed_by.get("email", default)
    return str(completed_by)
