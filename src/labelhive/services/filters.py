"""Data-manager filters, ordering and selections (Label Studio's JSON) -> SQLAlchemy clauses on Task."""
from datetime import datetime, timezone

from sqlalchemy import String, and_, cast, exists, false, func, not_, or_, select, true
from sqlalchemy.sql import ColumnElement

from ..errors import ValidationFailed
from ..models import Annotation, FileUpload, Prediction, StorageLink, Task, TaskAssignment
from . import data_indexes

PLAIN_COLUMNS = {name: getattr(Task, name) for name in (
    "id", "inner_id", "total_annotations", "cancelled_annotations", "total_predictions", "completed_at",
    "created_at", "updated_at", "is_labeled", "overlap", "agreement")}
OPERATORS = ("equal", "not_equal", "less", "greater", "less_or_equal", "greater_or_equal", "in", "not_in",
             "in_list", "not_in_list", "empty", "contains", "not_contains", "regex")


def _column_name(raw: str) -> str:
    for prefix in ("filter:tasks:", "tasks:", "filter:"):
        if raw.startswith(prefix):
            return raw[len(prefix):]
    return raw


def _datetime(value):
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationFailed(f"Filter value {value!r} is not a date like 2026-01-31T12:00:00.000Z.") from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return value


def _data_expr(field: str, ftype: str, dialect: str):
    literal = data_indexes.filter_value(field, ftype, dialect)  # the form an index can serve
    if literal is not None:
        return literal
    node = Task.data[tuple(field.split("."))] if "." in field else Task.data[field]
    if ftype == "Number":
        return node.as_float()
    if ftype == "Boolean":
        return node.as_boolean()
    return node.as_string()


def _compare(col, op: str, value, ftype: str, dialect: str = "") -> ColumnElement:
    if ftype == "Datetime":
        value = {k: _datetime(v) for k, v in value.items()} if isinstance(value, dict) else _datetime(value)
    if op == "equal":
        return col == value
    if op == "not_equal":
        return or_(col != value, col.is_(None))
    if op == "less":
        return col < value
    if op == "greater":
        return col > value
    if op == "less_or_equal":
        return col <= value
    if op == "greater_or_equal":
        return col >= value
    if op in ("in", "not_in"):
        if not isinstance(value, dict) or "min" not in value or "max" not in value:
            raise ValidationFailed(f"Operator '{op}' needs a value like {{\"min\": 1, \"max\": 5}}.")
        inside = col.between(value["min"], value["max"])
        return inside if op == "in" else or_(not_(inside), col.is_(None))
    if op in ("in_list", "not_in_list"):
        values = value if isinstance(value, list) else [value]
        inside = col.in_(values)
        return inside if op == "in_list" else or_(not_(inside), col.is_(None))
    if op == "empty":
        is_empty = col.is_(None) if ftype in ("Number", "Datetime", "Boolean") else or_(col.is_(None), col == "")
        return is_empty if _truthy(value) else not_(is_empty)
    if op in ("contains", "not_contains"):
        # The String filter's expression is text already; cast again, it would no longer match its index.
        # SQLite: LIKE, which ignores ASCII case as ILIKE's lower() would, and lets the index hold the value.
        text_col = col if ftype == "String" else cast(col, String)
        has = text_col.like(f"%{value}%") if dialect == "sqlite" else text_col.ilike(f"%{value}%")
        return has if op == "contains" else or_(not_(has), col.is_(None))
    if op == "regex":
        return cast(col, String).regexp_match(str(value))
    raise ValidationFailed(f"Unknown filter operator '{op}'. Use one of: {', '.join(OPERATORS)}.")


def _truthy(value) -> bool:
    return value in (True, 1, "true", "True", "1")


def _related(model, column_expr, op: str, value, ftype: str, *where) -> ColumnElement:
    """A filter on annotations/predictions: 'some related row matches', negated for the not_ operators; `where`
    narrows the related rows (assignments of one type)."""
    negate = op in ("not_equal", "not_in_list", "not_contains")
    positive = {"not_equal": "equal", "not_in_list": "in_list", "not_contains": "contains"}.get(op, op)
    if op == "empty":
        any_row = exists().where(model.task_id == Task.id, *where)
        return not_(any_row) if _truthy(value) else any_row
    clause = exists().where(model.task_id == Task.id, *where, _compare(column_expr, positive, value, ftype))
    return not_(clause) if negate else clause


REVIEW_COUNTS = {"reviews_accepted": "accepted", "reviews_rejected": "rejected"}


def _review_count(state: str):
    return select(func.count(Annotation.id)).where(Annotation.task_id == Task.id,
                                                   Annotation.review_state == state).scalar_subquery()


def _item_clause(item: dict, dialect: str, text_tables=None) -> ColumnElement:
    if not isinstance(item, dict) or "filter" not in item or "operator" not in item:
        raise ValidationFailed("Each filter item needs 'filter', 'operator', 'type' and 'value'.")
    name, op = _column_name(item["filter"]), item["operator"]
    ftype, value = item.get("type") or "String", item.get("value")
    if op not in OPERATORS:
        raise ValidationFailed(f"Unknown filter operator '{op}'. Use one of: {', '.join(OPERATORS)}.")
    if "__" in name.split(".", 1)[0]:
        # Label Studio refuses Django's lookup separator in a column, so a filter cannot reach other tables.
        raise ValidationFailed("Validation error", {"non_field_errors": [
            f'"__" is not allowed in filter columns, got "{name}"; reach into task data with "." (data.image).']})
    if name.startswith("data."):
        if op == "contains" and ftype == "String" and text_tables and data_indexes.usable(name[5:]):
            ids = text_tables(name[5:], f"%{value}%")
            if ids is not None:
                return Task.id.in_(ids)
        return _compare(_data_expr(name[5:], ftype, dialect), op, value, ftype, dialect)
    if name in PLAIN_COLUMNS:
        return _compare(PLAIN_COLUMNS[name], op, value, ftype)
    if name == "predictions_score":
        return _compare(SORT_SUBQUERIES["predictions_score"](), op, value, "Number")
    if name == "annotators":
        return _related(Annotation, Annotation.completed_by_id, op, value, "Number")
    if name in REVIEW_COUNTS:
        return _compare(_review_count(REVIEW_COUNTS[name]), op, value, "Number")
    if name in ("assignees", "review_assignees"):
        kind = TaskAssignment.type == ("AN" if name == "assignees" else "RE")
        return _related(TaskAssignment, TaskAssignment.user_id, op, value, "Number", kind)
    if name == "predictions_model_versions":
        return _related(Prediction, Prediction.model_version, op, value, "String")
    if name == "annotations_results":
        return _related(Annotation, cast(Annotation.result, String), op, value, "String")
    if name == "predictions_results":
        return _related(Prediction, cast(Prediction.result, String), op, value, "String")
    if name == "ground_truth":
        has_gt = exists().where(Annotation.task_id == Task.id, Annotation.ground_truth.is_(True))
        return has_gt if _truthy(value) == (op != "not_equal") else not_(has_gt)
    if name == "storage_filename":
        return _related(StorageLink, StorageLink.key, op, value, "String")
    if name == "file_upload":
        upload = select(FileUpload.file).where(FileUpload.id == Task.file_upload_id).scalar_subquery()
        return _compare(upload, op, value, "String")
    raise ValidationFailed(f"Unknown filter column '{item['filter']}'.")


def filters_clause(filters: dict | None, dialect: str = "sqlite", text_tables=None) -> ColumnElement:
    """`text_tables(field, pattern)`: a select of the ids whose data.<field> is LIKE pattern, from a text
    index, or None where there is none (text_search.py)."""
    if not filters or not filters.get("items"):
        return true()
    if not isinstance(filters.get("items"), list):
        raise ValidationFailed("'filters.items' must be a list.")
    clauses = [_item_clause(item, dialect, text_tables) for item in filters["items"]]
    return or_(*clauses) if filters.get("conjunction") == "or" else and_(*clauses)


def selection_clause(selected: dict | None) -> ColumnElement:
    if not selected:
        return true()
    if selected.get("all") in (True, "true", "True"):
        excluded = selected.get("excluded") or []
        return Task.id.not_in(excluded) if excluded else true()
    included = selected.get("included") or []
    return Task.id.in_(included) if included else false()


# Columns that live on related rows sort by one representative value per task.
SORT_SUBQUERIES = {
    "predictions_score": lambda: select(func.avg(Prediction.score)).where(
        Prediction.task_id == Task.id).scalar_subquery(),
    "annotators": lambda: select(func.min(Annotation.completed_by_id)).where(
        Annotation.task_id == Task.id, Annotation.was_cancelled.is_(False)).scalar_subquery(),
    **{name: (lambda state=state: _review_count(state)) for name, state in REVIEW_COUNTS.items()},
    "predictions_model_versions": lambda: select(func.min(Prediction.model_version)).where(
        Prediction.task_id == Task.id).scalar_subquery(),
}


def order_by(ordering: list | None, dialect: str = "sqlite") -> list:
    if not ordering:
        return [Task.id]
    key = ordering[0] if isinstance(ordering, list) else ordering
    desc = key.startswith("-")
    name = _column_name(key.lstrip("-"))
    if name.startswith("data."):
        return data_indexes.data_order(name[5:], desc, dialect)
    elif name in PLAIN_COLUMNS:
        col = PLAIN_COLUMNS[name]
    elif name in SORT_SUBQUERIES:
        col = SORT_SUBQUERIES[name]()
    else:
        raise ValidationFailed(f"Cannot order by '{key}'.")
    # Empty values last in both directions, on SQLite and PostgreSQL alike (their defaults differ).
    primary = (col.desc() if desc else col.asc()).nulls_last()
    return [primary, Task.id.desc() if desc else Task.id]


def data_sort_field(ordering: list | None) -> tuple[str, bool] | None:
    """(field, descending) when the list is sorted by a task data field, else None."""
    if not ordering:
        return None
    key = ordering[0] if isinstance(ordering, list) else ordering
    name = _column_name(key.lstrip("-"))
    return (name[5:], key.startswith("-")) if name.startswith("data.") else None


def indexes_wanted(ordering: list | None, filters: dict | None) -> list[tuple[str, str]]:
    """(field, kind) for each data index (services/data_indexes.py) a list would use: its data-field sort
    ("asc"/"desc") and its filters on a data field whose type and operator an index serves."""
    sort = data_sort_field(ordering)
    out = [(sort[0], "desc" if sort[1] else "asc")] if sort else []
    for item in (filters or {}).get("items") or ():
        if not isinstance(item, dict):
            continue
        name = _column_name(str(item.get("filter", "")))
        if name.startswith("data.") and item.get("type") in data_indexes.CASTS \
                and item.get("operator") in data_indexes.INDEXED_OPERATORS:
            out.append((name[5:], item["type"]))
        elif name.startswith("data.") and item.get("type") == "String" and item.get("operator") == "contains":
            out.append((name[5:], data_indexes.CONTAINS))
    return [(f, k) for f, k in out if data_indexes.usable(f)]
