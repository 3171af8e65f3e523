"""Where a dataset comes from: a folder on the server (under the local files root) or an upload (a zip or
loose files) unpacked into a temporary folder. No database here."""
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ValidationFailed
from ..storage.local import check_storage_path, inside
from .import_files import megabytes

# An archive of images barely compresses; this only stops a zip bomb.
UNPACKED_FACTOR = 4
# Folders that are part of a dataset's layout; a single folder with another name is the dataset itself.
DATASET_FOLDERS = {"images", "labels", "Annotations", "JPEGImages", "annotations"}


@dataclass
class ImageSource:
    """How the dataset's images become task URLs.

    `local-files`: served in place from `directory` (under the local files root) via /data/local-files/.
    `upload`: copied into the project's uploads, as the import dialog does with media files.
    `url`: `url_prefix` + the name the dataset uses; files in `directory`, if any, only give sizes.
    """

    mode: str
    directory: Path | None = None
    url_prefix: str | None = None


def is_url_prefix(value: str) -> bool:
    return "://" in value or value.startswith("/data/")


def dataset_path(path: str) -> tuple[Path, Path | None]:
    """(dataset folder, the one file given, if a file was given)."""
    if not path:
        raise ValidationFailed("Validation error", {"path": ["Give the dataset's folder (or COCO file) on the server."]})
    resolved = Path(path).expanduser().resolve()
    if resolved.is_file():
        return resolved.parent, resolved
    if not resolved.is_dir():
        raise ValidationFailed("Validation error", {"path": [f"{path} is not a folder or file on the server."]})
    return resolved, None


def server_path(local_root: Path, path: str) -> tuple[Path, Path | None]:
    """As dataset_path, for a path a client sent: only under the local files root."""
    folder, file = dataset_path(path)
    return check_storage_path(local_root, str(folder)), file


def image_source(local_root: Path, images: str | None, dataset_dir: Path | None, copy: bool) -> ImageSource:
    """From the `images` option: a URL prefix, a folder, or (empty) the dataset's own folder. With `copy`
    the images go into the project's uploads (an upload, or the CLI's --copy-images); otherwise they are
    served in place, which needs them under the local files root."""
    images = (images or "").strip()
    if images and is_url_prefix(images):
        return ImageSource("url", dataset_dir, images)
    if copy:
        return ImageSource("upload", dataset_path(images)[0] if images else dataset_dir)
    return ImageSource("local-files", check_storage_path(local_root, images) if images else dataset_dir)


def _safe_parts(name: str) -> list[str]:
    """A client-given relative path, with nothing that could climb out of the target folder."""
    parts = [p for p in re.split(r"[\\/]+", name) if p not in ("", ".", "..")]
    return [p for p in parts if not re.match(r"^[A-Za-z]:$", p)]


def _skip(parts: list[str]) -> bool:
    return not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts)


def _unzip(source, target: Path, budget: list[int], name: str) -> None:
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise ValidationFailed(f"{name}: not a valid zip archive ({exc}).") from exc
    with archive:
        for member in archive.infolist():
            parts = _safe_parts(member.filename)
            if member.is_dir() or _skip(parts):
                continue
            budget[0] -= member.file_size  # ZipExtFile never reads past file_size, so this is a real bound
            if budget[0] < 0:
                raise ValidationFailed(f"{name}: unpacked, the archive is larger than "
                                       f"{megabytes(budget[1])}; split the dataset.")
            dest = target.joinpath(*parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)


def unpack(files: list[tuple[str, object]], target: Path, limit: int) -> Path:
    """Write uploaded files (name, file object) under `target`: a .zip is unpacked, other files keep the
    relative path the client gave (images/a.jpg). Returns the dataset folder: `target`, or the single
    folder the upload holds (a zip of `mydataset/`)."""
    if not files:
        raise ValidationFailed("Nothing to import: upload the dataset as a zip, or its files.")
    budget = [limit * UNPACKED_FACTOR, limit * UNPACKED_FACTOR]
    for name, source in files:
        if name.lower().endswith(".zip"):
            _unzip(source, target, budget, name)
            continue
        parts = _safe_parts(name)
        if _skip(parts):
            continue
        dest = target.joinpath(*parts)
        if not inside(dest.resolve(), target.resolve()):  # a symlink planted by an earlier file
            raise ValidationFailed(f"{name}: a file name must stay inside the dataset folder.")
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
    root = target
    while True:
        entries = [e for e in root.iterdir() if not e.name.startswith(".")]
        if len(entries) != 1 or not entries[0].is_dir() or entries[0].name in DATASET_FOLDERS:
            return root
        root = entries[0]
