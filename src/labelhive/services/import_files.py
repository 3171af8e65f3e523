"""Uploaded files -> task items: JSON, CSV/TSV, TXT, HTML, and media files stored under the data dir."""
import csv
import io
import re
import mimetypes
import shutil
import urllib.parse
import uuid
from pathlib import Path

import orjson
from sqlalchemy.orm import Session

from .. import labelconfig
from ..errors import FetchFailed, TooLarge, ValidationFailed
from ..models import FileUpload, Project, User
from . import outbound, shared_files
from .imports import Incoming, items_to_tasks

TABLE_EXTS = {".csv", ".tsv"}
DOC_EXTS = {".json", ".txt", ".html", ".htm", ".xml"}
MEDIA_EXTS = {".bmp", ".flac", ".gif", ".jpg", ".jpeg", ".m4a", ".mp3", ".ogg", ".png", ".svg", ".wav",
              ".mp4", ".webm", ".webp", ".pdf"}
ALLOWED = TABLE_EXTS | DOC_EXTS | MEDIA_EXTS


def megabytes(n: int) -> str:
    return f"{n / 1048576:.3g} MB"


def too_large(what: str, size: int | None, limit: int) -> TooLarge:
    actual = f" is {megabytes(size)};" if size is not None else " is too large;"
    return TooLarge(f"{what}{actual} the upload limit is {megabytes(limit)} (raise it with LABELHIVE_MAX_UPLOAD_MB).")


def check_file(name: str, size: int, limit: int) -> str:
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED:
        # The detail says what to do; validation_errors carries Label Studio's words for clients that read them.
        raise ValidationFailed(f"{name}: files of type '{ext or 'without extension'}' can't be imported. "
                               f"Allowed: {', '.join(sorted(ALLOWED))}.",
                               {"non_field_errors": [f"{ext or name} extension is not supported"]})
    if size > limit:
        raise too_large(name, size, limit)
    return ext


def parse_json_bytes(raw: bytes, name: str = "request body"):
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed(f"{name}: malformed JSON ({exc}). Send a JSON list of tasks.") from exc


def _number(cell: str):
    try:
        return int(cell)
    except ValueError:
        return float(cell)


def _column_types(rows: list[list[str]], width: int) -> list:
    """Per column, as pandas infers: all-integer, all-numeric, or text; empty cells don't vote."""
    kinds = []
    for c in range(width):
        cells = [r[c] for r in rows if c < len(r) and r[c] != ""]
        kind = int
        for cell in cells:
            try:
                int(cell)
            except ValueError:
                try:
                    float(cell)
                    kind = float
                except ValueError:
                    kind = str
                    break
        kinds.append(kind if cells else str)
    return kinds


def _decode_table(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValidationFailed(f"{name} line {line}: bytes that are not UTF-8 ({raw[exc.start:exc.start + 4]!r}); "
                               "save the file as UTF-8 and import it again.") from exc


def _table_rows(text: str, name: str, sep: str) -> list[tuple[int, list[str]]]:
    """(line where the row starts, values) of each non-empty row; a quote left open or stray quotes are errors,
    where a lenient reader would swallow the rest of the file into one value."""
    reader = csv.reader(io.StringIO(text), delimiter=sep, strict=True)
    rows = []
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            why = ("a quoted value is never closed (a \" without its closing \")" if "end of data" in str(exc)
                   else "a quote inside a quoted value must be doubled (\"\"), and a value that starts with a "
                   f"quote must end with one ({exc})")
            raise ValidationFailed(f"{name} line {start}: {why}. Nothing was imported.") from exc
        if row:
            rows.append((start, row))
        start = reader.line_num + 1


def parse_table(raw: bytes, name: str, tab: bool) -> list[dict]:
    text = _decode_table(raw, name)
    first = text.split("\n", 1)[0]
    sep = "\t" if tab else (";" if first.count(";") > first.count(",") else ",")
    rows = _table_rows(text, name, sep)
    if not rows:
        raise ValidationFailed(f"{name}: the file is empty; it needs a header row and one row per task.")
    header = [h.strip() for h in rows[0][1]]
    bad = [h for h in header if not h or "://" in h or "/" in h or _is_number(h)]
    if bad or len(set(header)) != len(header):
        raise ValidationFailed(f"{name}: the first line must be a header naming the columns "
                               f"(for example: image_path,label); got {rows[0][1][:3]}.")
    body = rows[1:]
    for line, row in body:
        if len(row) != len(header):
            raise ValidationFailed(f"{name} line {line}: {len(row)} value{'s' * (len(row) != 1)} but the header "
                                   f"has {len(header)} columns. Nothing was imported.")
    kinds = _column_types([row for _, row in body], len(header))
    return [{h: (kinds[c](row[c]) if kinds[c] is not str else row[c]) if row[c] != "" else ""
             for c, h in enumerate(header)} for _, row in body]


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def store_media(media_dir: Path, project_id: int, name: str, source) -> str:
    """Copy an upload under media/upload/{project}/ and return its path relative to media/."""
    # Only characters that need no escaping in a URL: '#', '?' or '%' in a name would break the link.
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name) or "file"
    rel = f"upload/{project_id}/{uuid.uuid4().hex[:8]}-{safe}"
    dest = media_dir / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    shared_files.push(dest)
    return rel


def file_to_items(session: Session, project: Project, user: User, config: labelconfig.LabelConfig,
                  media_dir: Path, name: str, ext: str, source, written: list[Path]) -> list[Incoming]:
    """One uploaded file -> task items, recording a FileUpload row; media files are copied to disk."""
    upload = FileUpload(project_id=project.id, user_id=user.id, file="")
    if ext in MEDIA_EXTS:
        if len(config.data_keys) > 1:
            raise ValidationFailed(f"{name}: a media file becomes one task, which needs a label config with one "
                                   f"data variable; this config has {', '.join('$' + k for k in config.data_keys)}.")
        upload.file = store_media(media_dir, project.id, name, source)
        written.append(media_dir / upload.file)
        session.add(upload)
        session.flush()
        return [Incoming({"$undefined$": f"/data/{upload.file}"}, file_upload_id=upload.id, where=name)]
    raw = source.read()
    items = _parse(raw, name, ext)  # before the row is written: parsing a big file takes no lock
    upload.file = store_media(media_dir, project.id, name, io.BytesIO(raw))
    written.append(media_dir / upload.file)
    session.add(upload)
    session.flush()
    for item in items:
        item.file_upload_id = upload.id
    return items


def _parse(raw: bytes, name: str, ext: str) -> list[Incoming]:
    if ext == ".json":
        return items_to_tasks(parse_json_bytes(raw, name), None, name)
    if ext in TABLE_EXTS:
        return [Incoming(row, where=f"{name} line {n}")
                for n, row in enumerate(parse_table(raw, name, ext == ".tsv"), start=2)]
    text = raw.decode("utf-8", errors="replace")
    if ext == ".txt":
        return [Incoming({"$undefined$": line}, where=f"{name} line {n}")
                for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    return [Incoming({"$undefined$": text}, where=name)]


# The deadline for the whole download, which may be a media file up to the upload limit.
URL_TIMEOUT_S = 120


def fetch_url(url: str, limit: int) -> tuple[str, bytes]:
    """Download an http(s) URL for import, through the outbound guard; returns a file name (for its
    type) and the bytes."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValidationFailed(f"Cannot import from {url[:200]!r}: give an http(s) URL, or paste the tasks as JSON.")
    try:
        response = outbound.fetch(url, headers={"User-Agent": "LabelHive import"}, timeout=URL_TIMEOUT_S,
                                  max_bytes=limit, what="import")
    except FetchFailed as exc:
        if exc.kind == outbound.TOO_LARGE:
            raise TooLarge(f"{exc.detail[:-1]}; the upload limit is {megabytes(limit)} (raise it with "
                           "LABELHIVE_MAX_UPLOAD_MB).") from exc
        raise
    if response.status >= 400:
        raise FetchFailed(url, f"it answered HTTP {response.status}", outbound.STATUS)
    raw = response.body
    ctype = (response.headers.get("Content-Type") or "").split(";")[0].strip()
    name = Path(parsed.path).name or "download"
    if Path(name).suffix.lower() not in ALLOWED:
        guessed = {"application/json": ".json", "text/csv": ".csv", "text/tab-separated-values": ".tsv",
                   "text/plain": ".txt"}.get(ctype) or mimetypes.guess_extension(ctype) or ""
        name += guessed
    return name, raw


def is_inline_json(value: str) -> bool:
    """The import dialog's URL field holds pasted tasks, not an address to download."""
    return value.strip().startswith(("[", "{"))


def url_to_items(session: Session, project: Project, user: User, config: labelconfig.LabelConfig,
                 media_dir: Path, value: str, limit: int, written: list[Path],
                 fetched: dict[str, tuple[str, bytes]] | None = None) -> tuple[str, list[Incoming]]:
    """The import dialog's URL field: inline JSON, or a file (tasks or media) to download; `fetched` holds
    downloads made beforehand (outside any transaction), by address."""
    text = value.strip()
    if is_inline_json(text):
        return ".json", items_to_tasks(parse_json_bytes(text.encode(), "pasted JSON"))
    name, raw = (fetched or {}).get(text) or fetch_url(text, limit)
    ext = check_file(name, len(raw), limit)
    return ext, file_to_items(session, project, user, config, media_dir, name, ext, io.BytesIO(raw), written)


def upload_name(upload: FileUpload) -> str:
    """The name the user uploaded: the stored name less the prefix that keeps uploads apart."""
    stored = upload.file.rsplit("/", 1)[-1]
    return stored.split("-", 1)[1] if re.match(r"^[0-9a-f]{8}-", stored) else stored


def upload_to_items(media_dir: Path, upload: FileUpload, as_tasks_list: bool) -> tuple[str, list[Incoming]]:
    """A stored upload -> (its type, task items): rows of a table (or one task for the whole file when
    `as_tasks_list` is off, as Label Studio's time-series import reads it), tasks of a JSON file, or one task
    for a media file."""
    name = upload_name(upload)
    ext = Path(name).suffix.lower()
    if ext in MEDIA_EXTS or (ext in TABLE_EXTS and not as_tasks_list):
        return ext, [Incoming({"$undefined$": f"/data/{upload.file}"}, file_upload_id=upload.id, where=name)]
    items = _parse(shared_files.pull(media_dir / upload.file).read_bytes(), name, ext)
    for item in items:
        item.file_upload_id = upload.id
    return ext, items
