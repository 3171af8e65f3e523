"""Inter-annotator agreement, computed when annotations land: for each task with two or more annotators, a
score for every pair of them (the weighted mean over the controls either used, agreement_metrics.compare) and,
per label, how far they agreed on it. The task's agreement is the mean over its pairs (task.agreement, a data
manager column); pairs are kept (agreement_pair) so project statistics are sums over rows, not recomputations.
"""
from itertools import combinations

from sqlalchemy import Float, Integer, bindparam, column, delete, func, select, update, values
from sqlalchemy.orm import Session

from ..models import AgreementPair, Annotation, Project, Task
from . import agreement_metrics as metrics
from .bulk_rows import bulk_insert
from .projects import config_of

CHUNK = 2000


def pair_score(ra: list, rb: list, controls: dict, weights: dict) -> tuple[float, dict[str, float]]:
    """Two results -> (score, {label: score}): controls neither used are left out; both empty agree fully."""
    ga, gb = metrics.by_control(ra), metrics.by_control(rb)
    total, weight_sum, labels = 0.0, 0.0, {}
    for name in sorted(set(ga) | set(gb)):
        control = controls.get(name)
        weight = _weight(weights, name)
        if weight <= 0:
            continue
        score, per_label = metrics.compare(ga.get(name, []), gb.get(name, []), control.attrs if control else None)
        total, weight_sum = total + weight * score, weight_sum + weight
        labels.update(per_label)
    return (total / weight_sum if weight_sum else 1.0), labels


def _weight(weights: dict, name: str) -> float:
    given = (weights or {}).get(name)
    try:
        return float(given.get("overall", 1.0)) if isinstance(given, dict) else 1.0
    except (TypeError, ValueError):
        return 1.0


def _latest_per_user(anns) -> dict[int, list]:
    """Each annotator's newest submitted result on the task (skips and authorless imports left out)."""
    out = {}
    for a in sorted(anns, key=lambda a: a.id):
        if not a.was_cancelled and a.completed_by_id is not None:
            out[a.completed_by_id] = a.result
    return out


def update_tasks(session: Session, project: Project, task_ids) -> None:
    """Recompute the agreement of these tasks, inside the caller's transaction."""
    config = config_of(project)
    ids = list(task_ids)
    for start in range(0, len(ids), CHUNK):
        _update_chunk(session, project, config, ids[start:start + CHUNK])


def _update_chunk(session: Session, project: Project, config, ids: list[int]) -> None:
    anns: dict[int, list] = {t: [] for t in ids}
    for a in session.execute(select(Annotation.id, Annotation.task_id, Annotation.completed_by_id,
                                    Annotation.result, Annotation.was_cancelled)
                             .where(Annotation.task_id.in_(ids))):
        anns[a.task_id].append(a)
    session.execute(delete(AgreementPair).where(AgreementPair.task_id.in_(ids)))
    rows, scores = [], {}
    for task_id, found in anns.items():
        results = _latest_per_user(found)
        if len(results) < 2:
            scores[task_id] = None
            continue
        pair_scores = []
        for ua, ub in combinations(sorted(results), 2):
            score, labels = pair_score(results[ua], results[ub], config.controls, project.control_weights)
            pair_scores.append(score)
            rows.append({"project_id": project.id, "task_id": task_id, "user_a": ua, "user_b": ub,
                         "score": score, "labels": labels})
        scores[task_id] = sum(pair_scores) / len(pair_scores)
    if rows:
        bulk_insert(session, AgreementPair.__table__, rows)
    alone = [t for t, score in scores.items() if score is None]
    if alone:
        session.execute(update(Task).where(Task.id.in_(alone), Task.agreement.is_not(None)).values(agreement=None)
                        .execution_options(synchronize_session=False))
    scored = [(t, score) for t, score in scores.items() if score is not None]
    if scored:
        _write_scores(session, scored)


def _write_scores(session: Session, scored: list[tuple[int, float]]) -> None:
    """Each task's score in one statement on PostgreSQL (UPDATE ... FROM VALUES: the task table's statement
    triggers run once), an executemany on SQLite (which has no such triggers)."""
    if session.get_bind().dialect.name == "postgresql":
        given = values(column("tid", Integer), column("score", Float), name="given").data(scored)
        session.execute(update(Task).where(Task.id == given.c.tid).values(agreement=given.c.score)
                        .execution_options(synchronize_session=False))
        return
    table = Task.__table__
    session.connection().execute(update(table).where(table.c.id == bindparam("tid"))
                                 .values(agreement=bindparam("score")),
                                 [{"tid": t, "score": score} for t, score in scored])


def recompute_project(session: Session, project: Project, report=lambda done, total: None) -> int:
    """Every task with two or more annotators, a chunk per transaction; returns how many tasks were scored."""
    ids = list(session.scalars(select(Task.id).where(Task.project_id == project.id,
                                                     Task.total_annotations >= 2).order_by(Task.id)))
    config = config_of(project)
    for start in range(0, len(ids), CHUNK):
        _update_chunk(session, project, config, ids[start:start + CHUNK])
        session.commit()
        report(min(start + CHUNK, len(ids)), len(ids))
    return len(ids)


# Statistics --------------------------------------------------------------------------------------------------

def pair_matrix(session: Session, project: Project) -> dict:
    """Label Studio Enterprise's /stats/IAA: the mean agreement of each annotator pair over the tasks they share,
    and how many tasks that is. {"users": [ids], "IAA": [[mean or null]], "std": ..., "common_tasks": [[n]]}."""
    rows = session.execute(select(AgreementPair.user_a, AgreementPair.user_b, func.avg(AgreementPair.score),
                                  func.count()).where(AgreementPair.project_id == project.id)
                           .group_by(AgreementPair.user_a, AgreementPair.user_b)).all()
    users = sorted({r[0] for r in rows} | {r[1] for r in rows})
    index = {u: i for i, u in enumerate(users)}
    iaa = [[1.0 if i == j else None for j in users] for i in users]
    common = [[0 for _ in users] for _ in users]
    for ua, ub, mean, n in rows:
        i, j = index[ua], index[ub]
        iaa[i][j] = iaa[j][i] = float(mean)
        common[i][j] = common[j][i] = n
    return {"users": users, "IAA": iaa, "common_tasks": common}


def per_annotator(session: Session, project: Project) -> dict[int, dict]:
    """Each annotator's mean agreement with the others, over every pair they are in."""
    out: dict[int, list] = {}
    for column in (AgreementPair.user_a, AgreementPair.user_b):
        for user, total, n in session.execute(select(column, func.sum(AgreementPair.score), func.count())
                                              .where(AgreementPair.project_id == project.id).group_by(column)):
            acc = out.setdefault(user, [0.0, 0])
            acc[0] += float(total)
            acc[1] += n
    return {u: {"agreement": total / n if n else None, "pairs": n} for u, (total, n) in out.items()}


def per_label(session: Session, project: Project) -> dict[str, dict]:
    """Each label's mean agreement over the pairs where either annotator used it, in chunks of rows."""
    sums: dict[str, list] = {}
    last = 0
    while rows := session.execute(select(AgreementPair.id, AgreementPair.labels).where(
            AgreementPair.project_id == project.id, AgreementPair.id > last)
            .order_by(AgreementPair.id).limit(20_000)).all():
        last = rows[-1].id
        for _, labels in rows:
            for label, score in (labels or {}).items():
                acc = sums.setdefault(label, [0.0, 0])
                acc[0] += score
                acc[1] += 1
    return {label: {"agreement": total / n, "pairs": n} for label, (total, n) in sorted(sums.items())}


def project_mean(session: Session, project: Project) -> float | None:
    value = session.scalar(select(func.avg(Task.agreement)).where(Task.project_id == project.id,
                                                                   Task.agreement.is_not(None)))
    return None if value is None else float(value)


def pair_matrix_per_label(session: Session, project: Project) -> dict:
    """Per label, the mean agreement of each annotator pair on it: {"users": [...], "IAA": {label: matrix}}."""
    sums: dict[tuple, list] = {}
    last = 0
    while rows := session.execute(select(AgreementPair.id, AgreementPair.user_a, AgreementPair.user_b,
                                         AgreementPair.labels).where(AgreementPair.project_id == project.id,
                                                                     AgreementPair.id > last)
                                  .order_by(AgreementPair.id).limit(20_000)).all():
        last = rows[-1].id
        for _, ua, ub, labels in rows:
            for label, score in (labels or {}).items():
                acc = sums.setdefault((label, ua, ub), [0.0, 0])
                acc[0] += score
                acc[1] += 1
    users = sorted({k[1] for k in sums} | {k[2] for k in sums})
    index = {u: i for i, u in enumerate(users)}
    out: dict[str, list] = {}
    for (label, ua, ub), (total, n) in sums.items():
        matrix = out.setdefault(label, [[1.0 if i == j else None for j in users] for i in users])
        matrix[index[ua]][index[ub]] = matrix[index[ub]][index[ua]] = total / n
    return {"users": users, "IAA": dict(sorted(out.items()))}


def accuracy(session: Session, project: Project, user_id: int | None = None) -> dict[int, dict]:
    """Each annotator's agreement with the ground truth (annotations marked ground_truth), over the tasks where
    both exist and the ground truth is someone else's: {user: {"accuracy", "tasks"}}."""
    config = config_of(project)
    truth_tasks = select(Annotation.task_id).where(Annotation.project_id == project.id,
                                                   Annotation.ground_truth.is_(True))
    query = select(Annotation.id, Annotation.task_id, Annotation.completed_by_id, Annotation.result,
                   Annotation.was_cancelled, Annotation.ground_truth).where(Annotation.task_id.in_(truth_tasks))
    by_task: dict[int, list] = {}
    for a in session.execute(query.order_by(Annotation.id)):
        by_task.setdefault(a.task_id, []).append(a)
    sums: dict[int, list] = {}
    for found in by_task.values():
        truth = next(a for a in reversed(found) if a.ground_truth)
        for user, result in _latest_per_user([a for a in found if not a.ground_truth]).items():
            if user == truth.completed_by_id or (user_id is not None and user != user_id):
                continue
            score, _ = pair_score(result, truth.result, config.controls, project.control_weights)
            acc = sums.setdefault(user, [0.0, 0])
            acc[0] += score
            acc[1] += 1
    return {u: {"accuracy": total / n, "tasks": n} for u, (total, n) in sums.items()}
