"""POST /api/projects/{id}/validate for a project that has work: a new label config may not drop a control or
a label that annotations or drafts still use, as Label Studio's validate refuses (its settings page asks before
saving). Counted in the database, grouped, so a project of a million annotations is checked in one query."""
from collections import Counter

import orjson
from sqlalchemy import text
from sqlalchemy.orm import Session

from .. import labelconfig
from ..errors import ValidationFailed
from ..models import Project

# (from_name, to_name, type, the result's label list as JSON, how many annotations or drafts)
_SQLITE = """
SELECT json_extract(r.value, '$.from_name'), json_extract(r.value, '$.to_name'), json_extract(r.value, '$.type'),
       json_extract(r.value, '$.value.' || json_extract(r.value, '$.type')), count(DISTINCT w.id)
FROM {work} AS w{join}, json_each(w.result) AS r
WHERE {project} = :p AND json_type(w.result) = 'array' AND json_type(r.value) = 'object'
GROUP BY 1, 2, 3, 4"""
_POSTGRES = """
SELECT r ->> 'from_name', r ->> 'to_name', r ->> 'type', (r -> 'value' -> (r ->> 'type'))::text, count(DISTINCT w.id)
FROM {work} AS w{join}, jsonb_array_elements(CASE WHEN jsonb_typeof(w.result) = 'array' THEN w.result
                                                  ELSE '[]'::jsonb END) AS r
WHERE {project} = :p AND jsonb_typeof(r) = 'object'
GROUP BY 1, 2, 3, 4"""
SOURCES = (("annotation", "", "w.project_id"), ("draft", " JOIN task AS t ON t.id = w.task_id", "t.project_id"))
# Result types that carry no labels of the control's (relations link regions; text and numbers are free).
NO_LABELS = {"relation", "textarea", "number", "rating", "datetime", "pairwise", "ranker"}


def _usage(session: Session, project: Project):
    for _, *row in usage_by_source(session, project):
        yield row


def usage_by_source(session: Session, project: Project):
    """(table, from_name, to_name, type, labels as JSON, how many) for annotations, then drafts."""
    sql = _SQLITE if session.get_bind().dialect.name == "sqlite" else _POSTGRES
    for work, join, owner in SOURCES:
        for row in session.execute(text(sql.format(work=work, join=join, project=owner)), {"p": project.id}):
            yield (work, *row)


def label_counts(session: Session, project: Project) -> dict:
    """Label Studio's project summary counters: results per control (from|to|type), and per label the annotations
    and the drafts that use it."""
    results: Counter = Counter()
    labels: dict[str, dict[str, Counter]] = {"annotation": {}, "draft": {}}
    for work, from_name, to_name, rtype, found, n in usage_by_source(session, project):
        if from_name is None or rtype is None:
            continue
        if work == "annotation":
            results[f"{from_name}|{to_name}|{rtype}"] += n
        if rtype not in NO_LABELS and found is not None:
            for label in _flat(orjson.loads(found)):
                labels[work].setdefault(from_name, Counter())[label] += n
    return {"created_annotations": dict(results),
            "created_labels": {k: dict(v) for k, v in labels["annotation"].items()},
            "created_labels_drafts": {k: dict(v) for k, v in labels["draft"].items()}}


def _flat(labels) -> list[str]:
    """Label values of one result: a list of strings, or Taxonomy's list of paths."""
    out = []
    for item in labels if isinstance(labels, list) else []:
        out.extend(_flat(item) if isinstance(item, list) else [item] if isinstance(item, str) else [])
    return out


def check_labels_in_use(session: Session, project: Project, new: labelconfig.LabelConfig) -> None:
    """A 400 naming the controls or labels the new config drops while annotations or drafts still use them."""
    incompatible: Counter = Counter()
    missing: dict[str, Counter] = {}
    for from_name, to_name, rtype, labels, n in _usage(session, project):
        if rtype in (None, "relation") or from_name is None:
            continue
        control = new.controls.get(from_name)
        if control is None or (to_name and to_name not in control.to_name):
            incompatible[(from_name, to_name, rtype)] += n
            continue
        if rtype in NO_LABELS or not control.labels or _dynamic(control) or labels is None:
            continue
        known = set(control.labels)
        for label in _flat(orjson.loads(labels)):
            if label not in known:
                missing.setdefault(from_name, Counter())[label] += n
    if incompatible:
        found = "\n".join(f"{n} with from_name={f}, to_name={t}, type={r}" for (f, t, r), n in incompatible.items())
        raise ValidationFailed("Validation error", {"non_field_errors": [
            f"Created annotations are incompatible with provided labeling schema, we found:\n{found}"]})
    if missing:
        lines = [f"{label} ({n} annotation{'s' * (n != 1)})" for labels in missing.values()
                 for label, n in sorted(labels.items())]
        names = ", ".join(f'name="{name}"' for name in missing)
        raise ValidationFailed("Validation error", {"non_field_errors": [
            "These labels still exist in annotations or drafts:\n" + "\n".join(lines)
            + f"\nPlease add labels to tag with {names}."]})


def _dynamic(control: labelconfig.ControlTag) -> bool:
    """Controls whose labels come from task data or may be added while labeling take any value."""
    attrs = control.attrs
    return bool(attrs.get("value", "").startswith("$") or attrs.get("apiUrl")
                or attrs.get("allowCustom") == "true" or attrs.get("allowNew") == "true")
