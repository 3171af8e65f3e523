"""Uploaded files (the rows an import keeps): Label Studio's FileUpload shape, lookup and deletion."""
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import FileUpload, Project, User
from . import shared_files


def upload_json(upload: FileUpload, media_dir: Path) -> dict:
    path = media_dir / upload.file
    # The size from this machine's copy; null where only the shared bucket holds it (not fetched to be measured).
    return {"id": upload.id, "file": upload.file, "project": upload.project_id,
            "size": path.stat().st_size if path.is_file() else None}


def list_for(session: Session, project: Project, ids: list[int] | None) -> list[FileUpload]:
    query = select(FileUpload).where(FileUpload.project_id == project.id).order_by(FileUpload.id)
    if ids is not None:
        query = query.where(FileUpload.id.in_(ids))
    return list(session.scalars(query))


def get(session: Session, user: User, upload_id: int) -> FileUpload:
    """Only an upload of a project in the user's organization; any other is 'not found'."""
    found = session.execute(select(FileUpload).join(Project, Project.id == FileUpload.project_id).where(
        FileUpload.id == upload_id, Project.organization_id == user.organization_id)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"No file upload {upload_id}.")
    return found


def delete(session: Session, upload: FileUpload, media_dir: Path) -> None:
    """The row and the stored file; tasks made from it stay (their file_upload becomes null), as in Label
    Studio."""
    path = media_dir / upload.file
    session.delete(upload)
    session.commit()
    shared_files.remove(path)  # after the commit: a failed delete must not lose the file
