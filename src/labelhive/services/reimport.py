"""POST /api/projects/{id}/reimport: tasks from files uploaded earlier with commit_to_project=false (Label
Studio's import dialog uploads first, then imports on "Import"). Importing the same uploads again replaces the
tasks they made before, as Label Studio does, unless those tasks have annotations."""
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import FileUpload, Project, Task, User
from .import_files import upload_to_items
from . import imports
from .imports import import_tasks


def reimport(session: Session, project: Project, user: User, media_dir: Path, upload_ids, as_tasks_list: bool,
             lease_s: float | None = None) -> dict:
    if not isinstance(upload_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool)
                                                   for i in upload_ids):
        raise ValidationFailed("Validation error", {"file_upload_ids": ["Give a list of file upload ids."]})
    uploads = list(session.scalars(select(FileUpload).where(FileUpload.project_id == project.id,
                                                            FileUpload.id.in_(upload_ids)).order_by(FileUpload.id)))
    ids = [u.id for u in uploads]
    earlier = Task.file_upload_id.in_(ids)
    # Label Studio deletes them whatever they hold; annotations are the user's work, so they are kept instead.
    labeled = session.scalar(select(func.count()).where(
        earlier, Task.total_annotations + Task.cancelled_annotations > 0))
    if labeled:
        raise ValidationFailed(f"{labeled} task(s) imported from these files have annotations; importing the files "
                               "again would replace them. Delete those tasks first, or import the files as new "
                               "uploads.")
    incoming, found = [], {}
    for upload in uploads:
        ext, items = upload_to_items(media_dir, upload, as_tasks_list)
        found[ext] = found.get(ext, 0) + 1
        incoming.extend(items)
    if len(incoming) <= imports.CHUNK_ROWS:  # one transaction: the old tasks go as the new ones come
        session.execute(delete(Task).where(Task.project_id == project.id, earlier))
        result = import_tasks(session, project, user, incoming, uploads=uploads, found_formats=found,
                              lease_s=lease_s)
    else:
        # A big import commits chunk by chunk (and deletes its own chunks if it fails): the old tasks are deleted
        # only once all the new ones are in, so a failure midway leaves the project as it was.
        newest = session.scalar(select(func.max(Task.id)).where(Task.project_id == project.id)) or 0
        result = import_tasks(session, project, user, incoming, uploads=uploads, found_formats=found,
                              lease_s=lease_s)
        session.execute(delete(Task).where(Task.project_id == project.id, earlier, Task.id <= newest))
        session.commit()
    result.pop("could_be_tasks_list")
    return result
