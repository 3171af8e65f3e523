"""get_local_path: turn a task's media reference into a file on disk, fetched with the server's token.

Resolution follows Label Studio's SDK (LS-COMPAT §3): a local file as is; `/data/local-files/?d=` read from
LOCAL_FILES_DOCUMENT_ROOT when the file is there, otherwise fetched from the server like `/data/upload/...`;
cloud URIs through the server's presign endpoint; other http(s) URLs directly. The token is sent only to the
server itself, never to a third-party host. Downloads are cached on disk under a name derived from the URL.
"""
import base64
import hashlib
import os
import tempfile
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import httpx

from . import cache

CLOUD_SCHEMES = ("s3://", "gs://", "azure-blob://")
TIMEOUT_S = 60


def shared_client(**kwargs) -> httpx.Client:
    """One client for many calls: building one per call (as httpx.get does) loads the CA bundle each time,
    tens of milliseconds per file. It keeps no cookies, so nothing leaks from one server or token to the next."""
    return httpx.Client(cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])), **kwargs)


_http = shared_client(follow_redirects=True, timeout=TIMEOUT_S)


class MediaError(OSError):
    """The media could not be fetched; the message says from where and why."""


def is_preload_needed(value: str) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://", "/data/", "data:") + CLOUD_SCHEMES)


def default_cache_dir() -> Path:
    return cache.model_dir() / "media-cache"


def _cache_file(cache_dir: Path, url: str, name: str) -> Path:
    digest = hashlib.md5(url.encode()).hexdigest()[:12]
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in (name or "file"))[-100:]
    return cache_dir / f"{digest}__{safe}"


def _local_files_path(url: str) -> str:
    return unquote(parse_qs(urlparse(url).query).get("d", [""])[0])


def _same_host(url: str, hostname: str | None) -> bool:
    return bool(hostname) and urlparse(url).netloc == urlparse(hostname).netloc


def _download(url: str, target: Path, token: str | None) -> None:
    headers = {"Authorization": f"Token {token}"} if token else {}
    try:
        # httpx drops the Authorization header when a redirect leaves the server's origin (e.g. to a presigned URL).
        with _http.stream("GET", url, headers=headers) as response:
            if response.status_code >= 400:
                raise MediaError(f"GET {url} answered HTTP {response.status_code}"
                                 + (": is the access token right?" if response.status_code in (401, 403) else ""))
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
            os.replace(tmp, target)
    except httpx.HTTPError as exc:
        raise MediaError(f"Cannot fetch {url}: {exc}") from exc


def _write_data_uri(url: str, target: Path) -> None:
    header, _, payload = url.partition(",")
    data = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def get_local_path(url: str, cache_dir: str | Path | None = None, project_dir: str | None = None,
                   hostname: str | None = None, access_token: str | None = None, task_id: int | None = None,
                   download_resources: bool = True) -> str:
    """A local path holding the media `url` points to (downloading it once)."""
    if not url:
        raise MediaError("Empty media URL")
    if not url.startswith(("http://", "https://", "/data/", "data:") + CLOUD_SCHEMES) and os.path.exists(url):
        return url
    hostname = (hostname or "").rstrip("/")
    cache_root = Path(cache_dir) if cache_dir else default_cache_dir()

    if url.startswith("data:"):
        target = _cache_file(cache_root, url, "inline")
        if not target.exists():
            _write_data_uri(url, target)
        return str(target)

    if url.startswith("/data/local-files"):
        relative = _local_files_path(url)
        root = os.environ.get("LOCAL_FILES_DOCUMENT_ROOT")
        if root and relative and os.path.isfile(os.path.join(root, relative)):
            return os.path.join(root, relative)
        name = os.path.basename(relative)
    elif url.startswith(CLOUD_SCHEMES):
        name = os.path.basename(urlparse(url).path)
    else:
        name = os.path.basename(urlparse(url).path)
        if project_dir and url.startswith("/data/upload/"):
            local = Path(project_dir) / "upload" / url[len("/data/upload/"):]
            if local.is_file():
                return str(local)

    target = _cache_file(cache_root, url, name)
    if target.exists() or not download_resources:
        return str(target)

    if url.startswith(CLOUD_SCHEMES):
        if not hostname or task_id is None:
            raise MediaError(f"{url} is a cloud URI: fetching it needs the server's URL (LABEL_STUDIO_URL) and "
                             "the task id (get_local_path(url, task_id=task['id'])).")
        fileuri = base64.urlsafe_b64encode(url.encode()).decode()
        _download(f"{hostname}/tasks/{task_id}/presign/?fileuri={fileuri}", target, access_token)
    elif url.startswith("/"):
        if not hostname:
            raise MediaError(f"{url} is a path on the labeling server: set LABEL_STUDIO_URL (and "
                             "LABEL_STUDIO_API_KEY) so the model server can fetch it, or connect the backend "
                             "from the server, which sends them in /setup.")
        _download(hostname + url, target, access_token)
    else:
        _download(url, target, access_token if _same_host(url, hostname) else None)
    return str(target)
