"""CSV and TSV exports: the JSON_MIN records as rows, in two streaming passes.

Matches the records of `label_studio_sdk.converter.Converter.convert_to_csv`:
QUOTE_NONNUMERIC, columns sorted, lists and dicts JSON-encoded the way LS's ujson
encodes them, data keys that collide with a from_name renamed `_data_<k>`.
Rows end in "\\r\\n" (the csv module's default, RFC 4180, and byte-identical to LS on Linux).
"""
import csv
import io
import json
import re
from typing import Any, BinaryIO, Callable, Iterable

from labelhive.exporters.minimal import (
    Controls,
    annotation_outputs,
    annotator,
    export_annotations,
    parse_controls,
    prettify,
)

# Columns every export has, even when no task is annotated.
_ALWAYS = {"annotator", "annotation_id", "created_at", "updated_at", "lead_time"}
_CHAT_TYPES = ("Chat", "chatmessage")
# A JSON string, or the zero padding of a negative exponent outside strings ("1e-07").
_STRING_OR_PADDED_EXPONENT = re.compile(r'"(?:[^"\\]|\\.)*"|(?<=[0-9]e-)0(?=[0-9])')
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def json_cell(value: Any) -> str:
    """JSON text of a list or dict exactly as LS's ujson writes it into a cell.

    ujson differs from compact json.dumps in two ways: it escapes "/" as "\\/" (so URLs
    read "http:\\/\\/..."), and it writes 1e-7 where Python writes 1e-07.
    """
    text = _COMPACT.encode(value)
    if "e-0" in text:
        text = _STRING_OR_PADDED_EXPONENT.sub(lambda m: m.group() if m.group() != "0" else "", text)
    # "/" can only occur inside JSON strings, so a plain replace is safe.
    return text.replace("/", "\\/")


def _transcript(messages: Any) -> str:
    """A chat as "role: content" lines, the extra <name>_transcript column LS adds."""
    if not isinstance(messages, list):
        return ""
    lines = []
    for message in messages:
        if not isinstance(message, dict):
            continue
        role, content = str(message.get("role", "")), str(message.get("content", ""))
        if not role:
            lines.append(content)
        else:
            lines.append(f"{role}: {content}" if content else f"{role}:")
    return "\n".join(lines)


def _is_chat(regions: list[tuple[str, dict]]) -> bool:
    return any(kind in _CHAT_TYPES for kind, _ in regions)


def _data_column(key: str, colliding: set[str]) -> str:
    # The control keeps the bare name; the task's data field moves aside.
    return f"_data_{key}" if key in colliding else key


def csv_columns(tasks: Iterable[dict], controls: Controls) -> tuple[list[str], set[str]]:
    """First pass: the sorted header and the data keys to rename.

    A data key is renamed when some record of the export has a from_name of that name,
    even if the record holding the data key does not: every row uses the same columns.
    """
    data_keys: set[str] = set()
    output_keys: set[str] = set()
    extra: set[str] = set()
    for task in tasks:
        data = task.get("data") or {}
        for annotation in export_annotations(task):
            data_keys.update(data)
            if task.get("id") is not None:
                extra.add("id")
            for name, regions in annotation_outputs(annotation, controls).items():
                output_keys.add(name)
                if _is_chat(regions):
                    extra.add(f"{name}_transcript")
            if annotation and "agreement" in task:
                extra.add("agreement")
            if annotation.get("history"):
                extra.add("history")
    colliding = data_keys & output_keys
    columns = _ALWAYS | output_keys | extra | {_data_column(k, colliding) for k in data_keys}
    return sorted(columns), colliding


def csv_rows(task: dict, controls: Controls, colliding: set[str]) -> list[dict]:
    """The CSV records of one task, before quoting: strings, numbers, bools or None.

    Assignment order matters where names clash, and follows LS: a data field "id"
    overwrites the task id, and the annotation fields overwrite data fields of their name.
    """
    rows = []
    data = task.get("data") or {}
    for annotation in export_annotations(task):
        row: dict[str, Any] = {}
        if task.get("id") is not None:
            row["id"] = task["id"]
        for name, regions in annotation_outputs(annotation, controls).items():
            pretty = prettify(regions)
            row[name] = pretty if isinstance(pretty, str) else json_cell(pretty)
            if _is_chat(regions):
                row[f"{name}_transcript"] = _transcript(pretty)
        for key, value in data.items():
            row[_data_column(key, colliding)] = json_cell(value) if isinstance(value, (dict, list)) else value
        row["annotator"] = annotator(annotation, keep_int=False)
        row["annotation_id"] = annotation.get("id")
        row["created_at"] = annotation.get("created_at")
        row["updated_at"] = annotation.get("updated_at")
        row["lead_time"] = annotation.get("lead_time")
        if annotation and "agreement" in task:
            row["agreement"] = task["agreement"]
        if annotation.get("history"):
            row["history"] = json_cell(annotation["history"])
        rows.append(row)
    return rows


def write_csv(
    tasks: Callable[[], Iterable[dict]], label_config: str, out: BinaryIO, sep: str = ","
) -> None:
    """Stream result.csv (sep="\\t" for TSV) to a binary file, UTF-8 without BOM.

    `tasks` is called twice, once per pass, so memory stays flat however many tasks
    there are: the header needs every column before the first row can be written.
    """
    controls = parse_controls(label_config)
    columns, colliding = csv_columns(tasks(), controls)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        # Missing cells and None both come out as "" (quoted), as with LS's DictWriter.
        writer = csv.writer(text, delimiter=sep, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(columns)
        for task in tasks():
            for row in csv_rows(task, controls, colliding):
                writer.writerow([row.get(column, "") for column in columns])
        text.flush()
    finally:
        # Hand `out` back open: closing the wrapper would close the caller's file.
        text.detach()
