"""Local directories: scanning for sync, and resolving /data/local-files/?d=... safely."""
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from ..errors import NotFound, PermissionDenied, ValidationFailed


def inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def check_storage_path(root: Path, path: str) -> Path:
    """A storage directory must exist and sit under the configured root, symlinks resolved."""
    if not path:
        raise ValidationFailed("Validation error", {"path": ["Give the absolute path of a directory."]})
    resolved = Path(path).expanduser().resolve()
    if not inside(resolved, root):
        raise ValidationFailed("Validation error", {"path": [
            f"{path} is outside the local files root {root}. Move the data under it, or start LabelHive "
            "with LABELHIVE_LOCAL_FILES_ROOT set to a directory that contains it."]})
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
        for entry in entries:
            if entry.name.startswith("."):
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
