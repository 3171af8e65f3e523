"""Task media this server holds itself: uploads (/data/upload/...) and attached folders (/data/local-files/?d=)."""
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.orm import Session

from ..storage.local import resolve_request
from . import shared_files
from .storages import allowed_local_dirs


def upload_path(media_dir: Path, url: str) -> Path | None:
    """The file behind an /data/upload/... URL, if the URL is one (and stays inside the uploads)."""
    if not url.startswith("/data/upload/"):
        return None
    base = (media_dir / "upload").resolve()
    path = (media_dir / url[len("/data/"):]).resolve()
    return shared_files.pull(path) if path.is_relative_to(base) else None


def local_media_path(session: Session, organization_id: int, media_dir: Path, local_root: Path,
                     url: str) -> Path | None:
    """The file behind a media URL this server serves, or None when the URL points elsewhere."""
    if url.startswith("/data/local-files"):
        d = parse_qs(urlsplit(url).query).get("d", [""])[0]
        return resolve_request(local_root, allowed_local_dirs(session, organization_id, local_root), d)
    return upload_path(media_dir, url)
