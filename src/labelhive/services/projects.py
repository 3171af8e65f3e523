"""Projects: create, update, delete, counters, label-config validation."""
from functools import lru_cache
from pathlib import Path

import nh3
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from .. import labelconfig
from ..errors import ValidationFailed, get_or_404
from ..models import Annotation, MLBackend, Prediction, Project, Task, User
from ..schemas import PROJECT_WRITABLE, project_json
from . import fields, permissions, shared_files

DEFAULT_CONFIG = "<View></View>"


@lru_cache(maxsize=256)
def parse_config(xml: str) -> labelconfig.LabelConfig:
    """Parsed configs are immutable and configs rarely change, so parse each text once."""
    return labelconfig.parse(xml)


def validate_config(xml: str) -> labelconfig.LabelConfig:
    try:
        return parse_config(xml)
    except labelconfig.LabelConfigError as exc:
        raise ValidationFailed("Validation error", {"label_config": [str(exc)]}) from exc


# Label Studio's names for the order the labeling stream hands out tasks in (see labeling.next_task).
SAMPLINGS = ("Sequential sampling", "Uniform sampling", "Uncertainty sampling")
# What a skip does: the task goes to other annotators, back to the end of this annotator's queue, or counts as done.
SKIP_QUEUES = ("REQUEUE_FOR_OTHERS", "REQUEUE_FOR_ME", "IGNORE_SKIPPED")


def config_of(project: Project) -> labelconfig.LabelConfig:
    return parse_config(project.label_config or DEFAULT_CONFIG)


def sanitize_html(html) -> str:
    """Instructions are shown as HTML by every client: stored without scripts, event handlers or javascript: links
    (Label Studio cleans them on save too), keeping formatting, links, images and inline styles."""
    if not isinstance(html, str) or not html:
        return ""
    return nh3.clean(html, generic_attribute_prefixes={"data-"},
                     attributes={"*": {"class", "style", "title", "lang", "dir"}, "a": {"href", "target"},
                                 "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
                                 "th": {"colspan", "rowspan"}, "ol": {"start"}})


BOOLEANS = ("show_instruction", "show_skip_button", "enable_empty_annotation", "show_annotation_history",
            "is_published", "is_draft", "start_training_on_annotation_update", "show_collab_predictions",
            "evaluate_predictions_automatically", "show_ground_truth_first", "show_overlap_first",
            "reveal_preannotations_interactively", "annotators_see_others")
TYPES = {**{name: fields.boolean for name in BOOLEANS},
         **{name: fields.integer for name in ("maximum_annotations", "min_annotations_to_start_training",
                                              "overlap_cohort_percentage", "honeypot_percentage")},
         **{name: fields.string for name in ("title", "label_config", "color", "sampling", "skip_queue")},
         # Label Studio takes null for these texts and keeps it as empty.
         **{name: lambda v: fields.string(v, nullable=True) or "" for name in ("description", "expert_instruction",
                                                                              "model_version")},
         "control_weights": lambda v: fields.json_object(v, nullable=True) or {},
         "pinned_at": fields.date_time}


# How the labeling stream hands out tasks (project.task_distribution, services/labeling.py).
DISTRIBUTIONS = ("auto_distribution", "assigned_only")


def _clean(given: dict) -> dict:
    out = fields.coerce({k: v for k, v in given.items() if k in PROJECT_WRITABLE}, TYPES)
    if "assignment_settings" in given:
        settings = given["assignment_settings"]
        mode = settings.get("label_stream_task_distribution") if isinstance(settings, dict) else None
        if mode not in DISTRIBUTIONS:
            raise ValidationFailed("Validation error", {"assignment_settings": [
                f"Set label_stream_task_distribution to one of {', '.join(DISTRIBUTIONS)}."]})
        out["task_distribution"] = mode
    if "expert_instruction" in out:
        out["expert_instruction"] = sanitize_html(out["expert_instruction"])
    if "label_config" in out:
        out["label_config"] = out["label_config"] or DEFAULT_CONFIG
        validate_config(out["label_config"])
    if "title" in out:
        title = out["title"] or ""
        if len(title) > 1000:
            raise ValidationFailed("Validation error", {"title": ["Use a title of at most 1000 characters."]})
    if "maximum_annotations" in out and (not isinstance(out["maximum_annotations"], int) or out["maximum_annotations"] < 1):
        raise ValidationFailed("Validation error", {"maximum_annotations": ["Use an integer of at least 1."]})
    if "honeypot_percentage" in out and not 0 <= out["honeypot_percentage"] <= 100:
        raise ValidationFailed("Validation error", {"honeypot_percentage": ["A percentage from 0 to 100."]})
    if "skip_queue" in out and out["skip_queue"] not in SKIP_QUEUES:
        raise ValidationFailed("Validation error", {"skip_queue": [f'"{out["skip_queue"]}" is not a valid choice.']})
    if "sampling" in out and out["sampling"] not in SAMPLINGS:
        raise ValidationFailed("Validation error", {"sampling": [
            f"Use one of {', '.join(SAMPLINGS)}; got {out['sampling']!r}."]})
    return out


def create_project(session: Session, user: User, fields: dict) -> Project:
    project = Project(organization_id=user.organization_id, created_by_id=user.id, **_clean(fields))
    session.add(project)
    session.commit()
    return project


def update_project(session: Session, project: Project, fields: dict) -> Project:
    before = (project.maximum_annotations, project.overlap_cohort_percentage, project.skip_queue)
    if "model_version" in fields and fields["model_version"] != project.model_version \
            and fields["model_version"] != "" and not model_version_exists(session, project, fields["model_version"]):
        raise ValidationFailed("Validation error", {"model_version": [
            "Model version doesn't exist either as live model or as static predictions."]})
    for key, value in _clean(fields).items():
        setattr(project, key, value)
    if (project.maximum_annotations, project.overlap_cohort_percentage) != before[:2]:
        spread_overlap(session, project)
    elif project.skip_queue != before[2]:
        relabel(session, project)
    session.commit()
    return project


def model_version_exists(session: Session, project: Project, version) -> bool:
    """A version the project may pin: a connected ML backend's title or a version its predictions carry."""
    if not isinstance(version, str):
        return False
    backend = select(MLBackend.id).where(MLBackend.project_id == project.id, MLBackend.title == version)
    predicted = select(Prediction.id).where(Prediction.project_id == project.id, Prediction.model_version == version)
    return session.scalar(select(backend.exists() | predicted.exists())) or False


def spread_overlap(session: Session, project: Project) -> None:
    """Each task's overlap from the project's: maximum_annotations on overlap_cohort_percentage of the tasks
    (the first ones), 1 on the rest, as Label Studio rearranges them; a task is labeled once it has as many
    annotations as its overlap. Inside the caller's transaction."""
    maximum, percent = project.maximum_annotations, max(0, min(100, project.overlap_cohort_percentage or 0))
    ours = Task.project_id == project.id
    if percent >= 100 or maximum == 1:
        session.execute(update(Task).where(ours).values(overlap=maximum))
    else:
        cohort = (session.scalar(select(func.count()).where(ours)) * percent + 99) // 100
        last = session.scalar(select(Task.id).where(ours).order_by(Task.id).offset(cohort - 1).limit(1)) \
            if cohort else None
        session.execute(update(Task).where(ours).values(
            overlap=1 if last is None else case((Task.id <= last, maximum), else_=1)))
    relabel(session, project)


def relabel(session: Session, project: Project) -> None:
    """is_labeled of every task from its counters, its overlap and the skip queue (IGNORE_SKIPPED counts a skip
    as done). Inside the caller's transaction."""
    settled = Task.total_annotations + (Task.cancelled_annotations if project.skip_queue == "IGNORE_SKIPPED" else 0)
    done = settled >= Task.overlap
    session.execute(update(Task).where(Task.project_id == project.id, Task.is_labeled != done).values(is_labeled=done))


def delete_project(session: Session, project: Project, media_dir: Path) -> None:
    session.delete(project)
    session.commit()
    shared_files.remove(media_dir / "upload" / str(project.id), folder=True)


def get_project(session: Session, user: User, project_id) -> Project:
    """A project of the user's organization that they may see (permissions.check_project), or 404 / 403."""
    project = get_or_404(session, Project, project_id, "Project")
    if project.organization_id != user.organization_id:
        get_or_404(session, Project, -1, "Project")
    permissions.check_project(session, user, project)
    return project


EMPTY_COUNTS = {"task_number": 0, "finished_task_number": 0, "num_tasks_with_annotations": 0,
                "total_annotations_number": 0, "skipped_annotations_number": 0,
                "total_predictions_number": 0, "useful_annotation_number": 0, "ground_truth_number": 0}


def project_counts(session: Session, project_ids: list[int]) -> dict[int, dict]:
    """Counters for many projects in grouped queries, mostly from the per-task denormalised counts."""
    counts = {pid: dict(EMPTY_COUNTS) for pid in project_ids}
    if not project_ids:
        return counts
    rows = session.execute(
        select(Task.project_id, func.count(), func.sum(case((Task.is_labeled, 1), else_=0)),
               func.sum(case((Task.total_annotations > 0, 1), else_=0)), func.sum(Task.total_annotations),
               func.sum(Task.cancelled_annotations), func.sum(Task.total_predictions))
        .where(Task.project_id.in_(project_ids)).group_by(Task.project_id))
    for pid, n, finished, with_ann, ann, skipped, preds in rows:
        # Label Studio's total_annotations_number leaves out skips; they only count in skipped_annotations_number.
        counts[pid].update(task_number=n, finished_task_number=finished or 0, num_tasks_with_annotations=with_ann or 0,
                           total_annotations_number=ann or 0, skipped_annotations_number=skipped or 0,
                           total_predictions_number=preds or 0, useful_annotation_number=ann or 0)
    gt = session.execute(select(Annotation.project_id, func.count())
                         .where(Annotation.project_id.in_(project_ids), Annotation.ground_truth.is_(True))
                         .group_by(Annotation.project_id))
    with_gt = []
    for pid, n in gt:
        counts[pid]["ground_truth_number"] = n
        with_gt.append(pid)
    if with_gt:
        # Label Studio leaves ground truth out of the "useful" counts. Only projects that have any
        # pay for this scan of their annotations; the per-task counters cover everyone else.
        useful = session.execute(
            select(Annotation.project_id, func.count(), func.count(func.distinct(Annotation.task_id)))
            .where(Annotation.project_id.in_(with_gt), Annotation.was_cancelled.is_(False),
                   Annotation.ground_truth.is_(False)).group_by(Annotation.project_id))
        for pid in with_gt:
            counts[pid].update(useful_annotation_number=0, num_tasks_with_annotations=0)
        for pid, n, tasks in useful:
            counts[pid].update(useful_annotation_number=n, num_tasks_with_annotations=tasks)
    return counts


def projects_json(session: Session, projects: list[Project]) -> list[dict]:
    counts = project_counts(session, [p.id for p in projects])
    creators = {u.id: u for u in session.scalars(select(User).where(
        User.id.in_({p.created_by_id for p in projects if p.created_by_id})))}
    out = []
    for p in projects:
        config = config_of(p)
        out.append(project_json(p, counts[p.id], creators.get(p.created_by_id), labelconfig.parsed_label_config(config),
                                labelconfig.suitable_for_bulk_annotation(config), control_weights(p, config)))
    return out


def control_weights(project: Project, config: labelconfig.LabelConfig) -> dict:
    """The weight of each control and label in agreement scores, as Label Studio fills them in: 1.0 for each
    control and label of the config, and what the project set over that."""
    weights = {}
    for name, control in config.controls.items():
        weights[name] = {"overall": 1.0, "type": control.tag, "labels": dict.fromkeys(control.labels, 1.0)}
    for name, given in (project.control_weights or {}).items():
        weights[name] = {**weights.get(name, {}), **given} if isinstance(given, dict) else given
    return weights
