"""CSV_OLD: the old converter's table (label_studio_sdk.converter.exports.csv.ExportToCSV), one row per region.

Each row holds the task id, the annotation id and annotator, the task data and the region's value made
short (a one-item list becomes the item; a value with several keys spreads into columns), written the way
the converter's command line (`export --format CSV_OLD`) writes them with pandas' DataFrame.to_csv(index=False):
columns in order of first appearance, an integer column with gaps printed as floats, other objects as
Python's str(). Label Studio's converter accepts the CSV_OLD name but writes nothing for it; this is the
table that name stood for. One fix: a value that is not a list (a rating, a number) is written as it is,
where the legacy writer stops with a TypeError.
"""
import csv

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .items import ExportContext

def _annotator(annotation: dict) -> Any:
    completed_by = annotation.get("completed_by", {})
    if isinstance(completed_by, int):
        return completed_by
    if isinstance(completed_by, dict):
        return completed_by.get("email") or completed_by.get("id")
    return None

def _short(result: dict) -> dict:
    value, name = result.get("value") or {}, result.get("from_name")
    if len(value) != 1:
        return value
    item = next(iter(value.values()))
    if not isinstance(item, (list, str, dict)):
        return {name: item}
    if len(item) == 0:
        return {name: None}
    return {name: item[0] if len(item) == 1 and isinstance(item, list) else item}

def records(tasks: Iterable[dict]) -> Iterator[dict]:
    for task in tasks:
        annotations = task.get("annotations")
        for annotation in annotations if annotations is not None else task.get("completions") or []:
            base = {"id": task["id"], "annotation_id": annotation.get("id"), "annotator": _annotator(annotation)}
            base.update(task.get("data") or {})
            for result in annotation.get("result") or []:
                yield {**base, **_short(result)}

def _kind(value: Any) -> str:
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        # pandas holds ints in int64, or uint64 when one is above int64 and none is negative; beyond, objects
        if not -2 ** 63 <= value < 2 ** 64:
            return "object"
        return "negative" if value < 0 else "int" if value < 2 ** 63 else "uint"
    if isinstance(value, float):
        return "float"
    return "object"

def _cell(value: Any, kinds: set[str]) -> Any:
    if value is None:
        return ""
    numeric = kinds - {"missing"} <= {"int", "negative", "uint", "float"} and not {"uint", "negative"} <= kinds
    if numeric and ("float" in kinds or "missing" in kinds) and not isinstance(value, bool):
        return repr(float(value))  # pandas makes the column float64
    return str(value)

def write_csv_old(tasks: Callable[[], Iterable[dict]], ctx: ExportContext, out_dir: Path) -> None:
    columns: dict[str, set[str]] = {}
    rows = 0
    for record in records(tasks()):
        for name in columns.keys() - record.keys():
            columns[name].add("missing")
        for name, value in record.items():
            if name not in columns:
                columns[name] = {"missing"} if rows else set()
            columns[name].add(_kind(value))
        rows += 1
    with open(out_dir / "result.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        if not columns:
            f.write("\n")  # pandas' header line of an empty table
            return
        writer.writerow(columns)
        for record in records(tasks()):
            writer.writerow([_cell(record.get(name), kinds) for name, kinds in columns.items()])

