"""POST /api/labels/bulk: rename a label in every annotation of a project (or of the organization), as Label
Studio's label manager does. The label config is left alone: the caller changes it too, or not."""
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Annotation, Project, User

CHUNK = 2000


def _renamed(result, old, new):
    """The result with every region whose labels are exactly `old` relabeled `new`; None when nothing matched."""
    if not isinstance(result, list):
        return None
    changed, out = False, []
    for item in result:
        value = item.get("value") if isinstance(item, dict) else None
        kind = item.get("type") if isinstance(item, dict) else None
        if isinstance(value, dict) and kind and value.get(kind) == old:
            item = {**item, "value": {**value, kind: new}}
            changed = True
        out.append(item)
    return out if changed else None


def rename(session: Session, user: User, body: dict, project: Project | None) -> int:
    missing = {k: ["This field is required."] for k in ("old_label", "new_label") if k not in body}
    if missing:
        raise ValidationFailed("Validation error", missing)
    old, new = body["old_label"], body["new_label"]
    owned = select(Project.id).where(Project.organization_id == user.organization_id)
    where = Annotation.project_id == project.id if project is not None else Annotation.project_id.in_(owned)
    updated, last = 0, 0
    while True:
        rows = session.execute(select(Annotation.id, Annotation.result).where(where, Annotation.id > last)
                               .order_by(Annotation.id).limit(CHUNK)).all()
        if not rows:
            break
        last = rows[-1][0]
        changed = [{"id": ann_id, "result": renamed} for ann_id, result in rows
                   if (renamed := _renamed(result, old, new)) is not None]
        if changed:  # one executemany per chunk, by primary key
            session.execute(update(Annotation), changed)
            updated += len(changed)
    session.commit()
    return updated
