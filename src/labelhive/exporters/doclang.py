"""DOCLANG: one .dclx archive per DocLang document found in the annotations.

Label Studio offers this format for configs with a TextArea, ReactCode or custom interface, and its
converter writes an archive only where a result holds DocLang XML (a root element named `doclang`);
for every other project the export is an empty zip. We find the same documents, but packing them into
the DocLang archive format is not implemented yet, so such an export is refused with that reason.
"""
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import ValidationFailed
from .items import ExportContext

_DOCLANG_ROOT = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?<(\w+:)?doclang[\s>/]")


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def has_doclang(task: dict) -> bool:
    for source in ("annotations", "drafts", "predictions"):
        for entry in task.get(source) or []:
            if not isinstance(entry, dict) or entry.get("was_cancelled"):
                continue
            for result in entry.get("result") or []:
                if isinstance(result, dict) and any(_DOCLANG_ROOT.match(s) for s in _strings(result.get("value"))):
                    return True
    return any(_DOCLANG_ROOT.match(s) for key in ("doclang", "document")
               for s in _strings((task.get("data") or {}).get(key)))


def write_doclang(tasks: Iterable[dict], ctx: ExportContext, out_dir: Path) -> None:
    for task in tasks:
        if has_doclang(task):
            raise ValidationFailed("Task %s holds a DocLang document; packing DocLang archives (.dclx) is not "
                                   "supported yet. Export JSON to get the documents." % task.get("id"))
