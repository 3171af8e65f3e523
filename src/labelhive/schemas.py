"""Wire shapes: rows -> Label Studio's JSON field names. Plain dicts, because listing and export are hot paths."""
from datetime import datetime, timezone

from .models import (
    Annotation,
    Draft,
    Organization,
    Prediction,
    Project,
    Task,
    User,
    View,
)


def user_json(user: User) -> dict:
    initials = ((user.first_name[:1] + user.last_name[:1]) or user.email[:2]).upper()
    return {"id": user.id, "first_name": user.first_name, "last_name": user.last_name,
            "username": user.username, "email": user.email, "last_activity": user.last_activity,
            "avatar": None, "initials": initials, "phone": "", "active_organization": user.organization_id,
            "allow_newsletters": False, "date_joined": user.date_joined, "role": user.role,
            "is_active": user.is_active, "custom_hotkeys": user.custom_hotkeys or {}}


def user_brief(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"id": user.id, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "avatar": None}


def author_json(user: User) -> dict:
    """An annotation's completed_by as Label Studio expands it in a task: the user and their initials."""
    first, last = user.first_name or "", user.last_name or ""
    initials = (first[:1] + last[:1]) if first and last else (first or user.email or "")[:2]
    return {"id": user.id, "first_name": first, "last_name": last, "avatar": None, "email": user.email,
            "initials": initials.lower()}


def created_username(user: User) -> str:
    """Label Studio's "<full name> <email>, <id>" (a leading space where the user has no name)."""
    return f"{' '.join(filter(None, (user.first_name, user.last_name)))} {user.email}, {user.id}"


def organization_json(org: Organization) -> dict:
    return {"id": org.id, "title": org.title, "created_at": org.created_at, "contact_info": ""}


PROJECT_FIELDS = (
    "id", "title", "description", "label_config", "expert_instruction", "show_instruction", "show_skip_button",
    "enable_empty_annotation", "show_annotation_history", "color", "maximum_annotations", "is_published",
    "model_version", "is_draft", "created_at", "updated_at", "min_annotations_to_start_training",
    "start_training_on_annotation_update", "show_collab_predictions", "sampling", "show_ground_truth_first",
    "show_overlap_first", "overlap_cohort_percentage", "control_weights", "evaluate_predictions_automatically",
    "skip_queue", "reveal_preannotations_interactively", "pinned_at", "honeypot_percentage", "annotators_see_others",
)
# Fields a client may set on create/update; the rest are computed or owned by the server.
PROJECT_WRITABLE = tuple(f for f in PROJECT_FIELDS if f not in ("id", "created_at", "updated_at"))


def project_json(project: Project, counts: dict, created_by: User | None, parsed: dict, bulk: bool = True,
                 weights: dict | None = None) -> dict:
    out = {f: getattr(project, f) for f in PROJECT_FIELDS}
    if weights is not None:
        out["control_weights"] = weights
    out.update(organization=project.organization_id, created_by=user_brief(created_by),
               annotator_evaluation_enabled=project.honeypot_percentage > 0, state=None,
               parsed_label_config=parsed, config_has_control_tags=bool(parsed),
               config_suitable_for_bulk_annotation=bulk, task_data_login=None, task_data_password=None,
               queue_total=counts["task_number"], queue_done=counts["finished_task_number"], **counts,
               # Label Studio Enterprise's object: whether annotators are served only the tasks assigned to them.
               assignment_settings={"label_stream_task_distribution": project.task_distribution,
                                    "project": project.id})
    return out


def annotation_json(a: Annotation) -> dict:
    return {"id": a.id, "result": a.result, "created_username": "", "created_ago": created_ago(a.created_at),
            "completed_by": a.completed_by_id, "was_cancelled": a.was_cancelled, "ground_truth": a.ground_truth,
            "created_at": a.created_at, "updated_at": a.updated_at, "draft_created_at": a.draft_created_at,
            "lead_time": a.lead_time, "import_id": a.import_id, "last_action": a.last_action,
            "bulk_created": a.bulk_created, "task": a.task_id, "project": a.project_id,
            "updated_by": a.updated_by_id, "parent_prediction": a.parent_prediction_id,
            "parent_annotation": a.parent_annotation_id, "last_created_by": None,
            "result_count": len(a.result or []), "unique_id": a.unique_id, "prediction": {},
            "review_state": a.review_state}


def prediction_json(p: Prediction) -> dict:
    return {"id": p.id, "result": p.result, "score": p.score, "model_version": p.model_version,
            "task": p.task_id, "project": p.project_id, "created_at": p.created_at, "updated_at": p.updated_at,
            "model": None, "model_run": None, "cluster": p.cluster, "neighbors": p.neighbors,
            "mislabeling": p.mislabeling, "created_ago": created_ago(p.created_at)}


AGO_UNITS = ((365 * 86400, "year"), (30 * 86400, "month"), (7 * 86400, "week"), (86400, "day"), (3600, "hour"),
             (60, "minute"))


def created_ago(when: datetime | None, now: datetime | None = None) -> str:
    """How long ago, worded as Label Studio's created_ago ("5\xa0minutes", "1\xa0hour, 3\xa0minutes"): the
    largest unit, and the next one down when it is not zero."""
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    seconds = max(0, int(((now or datetime.now(timezone.utc)) - when).total_seconds()))
    counts = []
    for size, name in AGO_UNITS:
        counts.append((seconds // size, name))
        seconds %= size
    first = next((i for i, (n, _) in enumerate(counts) if n), len(counts) - 1)
    parts = [counts[first]] + ([counts[first + 1]] if first + 1 < len(counts) and counts[first + 1][0] else [])
    return ", ".join(f"{n}\xa0{name}{'s' * (n != 1)}" for n, name in parts)


TASK_FIELDS = ("id", "data", "meta", "created_at", "updated_at", "is_labeled", "overlap", "inner_id",
               "total_annotations", "cancelled_annotations", "total_predictions", "completed_at", "agreement")


def task_base(task: Task) -> dict:
    out = {f: getattr(task, f) for f in TASK_FIELDS}
    out.update(project=task.project_id, comment_count=0, unresolved_comment_count=0,
               last_comment_updated_at=None, file_upload=None, storage_filename=None,
               updated_by=[{"user_id": task.updated_by_id}] if task.updated_by_id else [],
               comment_authors=[])
    return out


def view_json(view: View) -> dict:
    data = view.data or {}
    return {"id": view.id, "project": view.project_id, "user": view.user_id, "order": view.order,
            "data": data, "filter_group": None, "ordering": data.get("ordering") or [],
            "selected_items": None}


def draft_json(draft: Draft, owner: User) -> dict:
    """Label Studio's draft: `user` is its owner's email (a draft is only ever shown to its owner)."""
    return {"id": draft.id, "user": owner.email, "created_username": f"{owner.email}, {owner.id}",
            "created_ago": created_ago(draft.created_at), "result": draft.result, "lead_time": draft.lead_time,
            "was_postponed": False, "import_id": None, "created_at": draft.created_at,
            "updated_at": draft.updated_at, "task": draft.task_id, "annotation": draft.annotation_id}
