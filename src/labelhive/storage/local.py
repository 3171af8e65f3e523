"""Local directories: scanning for sync, and resolving /data/local-files/?d=... safely."""
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from ..errors import NotFound, PermissionDenied, ValidationFailed

# Written into LabelHive's data directory (everything in it is protected), and beside a SQLite database kept
# elsewhere (naming the database's files): protected entries are never attached, scanned or served, whichever
# server or setting attached a folder above them.
PROTECTED_MARKER = ".labelhive-data"
_WHOLE_FOLDER = "*"


def inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def protect(directory: Path, name: str = _WHOLE_FOLDER) -> None:
    marker = directory / PROTECTED_MARKER
    names = _protected_names(marker) if marker.exists() else set()
    if name not in names:
        if not marker.exists():
            marker.write_text("# LabelHive keeps its data here; local storages never serve these entries:\n")
        with marker.open("a") as f:
            f.write(name + "\n")


def _protected_names(marker: Path) -> set[str]:
    try:
        lines = marker.read_text().splitlines()
    except OSError:
        return {_WHOLE_FOLDER}  # unreadable: assume the worst
    names = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return names or {_WHOLE_FOLDER}


def _named(name: str, protected: set[str]) -> bool:
    # A SQLite database is also its write-ahead log and shared-memory files.
    return any(name == p or name in (p + "-wal", p + "-shm", p + "-journal") for p in protected)


def refusal(path: Path, root: Path) -> str | None:
    """Why `path` (resolved, under `root`) may not be attached or served, or None when it may."""
    hidden = next((p for p in path.relative_to(root).parts if p.startswith(".")), None)
    if hidden is not None:
        return (f"it is inside the hidden folder or file {hidden}: hidden entries (.ssh, .aws, .git, .local...) "
                "hold keys and settings, so local storages never attach or serve them")
    for folder in (path, *path.parents):
        marker = folder / PROTECTED_MARKER
        if not marker.exists():
            continue
        names = _protected_names(marker)
        if _WHOLE_FOLDER in names or (folder == path.parent and _named(path.name, names)):
            return (f"{folder if _WHOLE_FOLDER in names else path} holds LabelHive's own data (database, uploads, "
                    "exports), which local storages never attach or serve")
    return None


def check_storage_path(root: Path, path: str) -> Path:
    """A storage directory must exist and sit under the configured root, symlinks resolved."""
    if not path:
        raise ValidationFailed("Validation error", {"path": ["Give the absolute path of a directory."]})
    resolved = Path(path).expanduser().resolve()
    if not inside(resolved, root):
        raise ValidationFailed("Validation error", {"path": [
            f"{path} is outside the local files root {root}. Move the data under it, or start LabelHive "
            "with LABELHIVE_LOCAL_FILES_ROOT set to a directory that contains it."]})
    reason = refusal(resolved, root)
    if reason:
        raise ValidationFailed("Validation error", {"path": [f"{path} cannot be attached: {reason}."]})
    if not resolved.is_dir():
        raise ValidationFailed("Validation error", {"path": [f"{path} is not a directory on the server."]})
    return resolved


def scan(directory: Path, regex: str | None, recursive: bool) -> Iterator[Path]:
    """Files under `directory` whose path relative to it matches `regex` (searched, as Label Studio does), in
    path order: a folder's entries by name, subfolders depth first, so tasks are numbered as the folder reads."""
    pattern = re.compile(regex) if regex else None

    def walk(folder: str) -> Iterator[Path]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        marker = Path(folder, PROTECTED_MARKER)
        protected = _protected_names(marker) if marker.exists() else set()
        if _WHOLE_FOLDER in protected:
            return
        for entry in entries:
            if entry.name.startswith(".") or _named(entry.name, protected):
                continue
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    yield from walk(entry.path)
            elif entry.is_file():
                rel = os.path.relpath(entry.path, directory)
                if pattern is None or pattern.search(rel):
                    yield Path(entry.path)

    yield from walk(str(directory))


def compile_regex(regex: str | None) -> str | None:
    if not regex:
        return None
    try:
        re.compile(regex)
    except re.error as exc:
        raise ValidationFailed("Validation error", {"regex_filter": [f"Not a valid regular expression: {exc}"]})
    return regex


def resolve_request(root: Path, allowed: list[Path], d: str | None) -> Path:
    """The file that /data/local-files/?d= names, or an error: never anything outside the root or
    outside the directories that projects have attached as storages."""
    if not d or "\x00" in d:
        raise NotFound("Pass ?d=<path relative to the local files root>.")
    if d.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", d) or ".." in Path(d).parts or "\\" in d:
        raise PermissionDenied("Local file paths must be relative to the local files root, without '..'.")
    path = (root / d).resolve()  # resolves symlinks: a link that leaves the root is caught below
    if not inside(path, root) or not any(inside(path, a) for a in allowed):
        raise PermissionDenied("This file is not inside a local storage of one of your projects.")
    reason = refusal(path, root)
    if reason:
        raise PermissionDenied(f"{d} is not served: {reason}.")
    if not path.is_file():
        raise NotFound(f"{d} does not exist any more: it was moved or deleted after the sync.")
    return path


class LocalFiles:
    """A directory under the local files root, as an ObjectStore; keys are paths relative to the root."""

    def __init__(self, root: Path, settings: dict):
        self.root = root
        self.settings = settings

    @property
    def directory(self) -> Path:
        return check_storage_path(self.root, self.settings.get("path", ""))

    def validate(self) -> None:
        self.directory  # noqa: B018 -- raises with the reason when the path is not usable

    def list_keys(self) -> Iterator[str]:
        directory = self.directory
        for path in scan(directory, self.settings.get("regex_filter"), self.settings.get("recursive_scan", True)):
            yield path.relative_to(self.root).as_posix()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not inside(path, self.directory):
            raise PermissionDenied(f"{key} is outside this storage's directory.")
        return path

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def task_url(self, key: str) -> str:
        return "/data/local-files/?d=" + quote(key, safe="/")

    def export_key(self, annotation_id: int) -> str:
        return (self.directory / str(annotation_id)).relative_to(self.root).as_posix()
