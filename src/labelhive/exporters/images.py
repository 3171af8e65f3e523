"""Where an exported image lives, named the way Label Studio's converter names it.

The converter names an image after the media URL: a file it copies from an attached folder (or would
download from the web) is `images/<md5(url)[:8]>__<basename>`; an uploaded file keeps its basename; a URL
it cannot read stays as it is. We read only media this server holds (uploads and attached folders) and
never fetch from the network, so a web or bucket image of a *_WITH_IMAGES export is left out with a note,
exactly as the converter leaves out an image whose download fails.
"""
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse, urlsplit

from PIL import Image

from .items import ExportContext

IMAGES = "images"
_CLOUD = ("s3:", "gs:", "azure-blob:")


@dataclass
class ImageRef:
    file_name: str  # as written into the export (COCO file_name; YOLO/VOC derive label names from it)
    copied: Path | None = None  # the copy inside the export, when images are included
    # Its name inside images/, where the *_WITH_IMAGES export puts it: the file name of the standard lists we
    # add (COCO's annotations/instances_default.json), whether or not this export holds the image.
    name: str = ""


def _cached_name(url: str, basename: str) -> str:
    return f"{hashlib.md5(url.encode()).hexdigest()[:8]}__{basename}"


def _is_upload(url: str) -> bool:
    return url.startswith(("/data/upload", "upload", "/upload"))


def _is_local_files(url: str) -> bool:
    return url.startswith("/data/") and "?d=" in url


def _held_name(url: str) -> str:
    """The name an upload, attached-folder or bucket image gets in images/ (see image_ref), from its URL."""
    if _is_upload(url):
        return os.path.basename(urlsplit(url).path)
    if _is_local_files(url):
        return _cached_name(url, os.path.basename(parse_qs(urlsplit(url).query).get("d", [""])[-1]))
    return _cached_name(url, os.path.basename(urlparse(url).path))


def image_ref(url: str, ctx: ExportContext, out_dir: Path, with_images: bool) -> ImageRef:
    """Name (and with images, copy into out_dir/images) the image behind `url`."""
    if not isinstance(url, str):
        return ImageRef(str(url), name=str(url))
    if _is_upload(url) or _is_local_files(url) or url.startswith(_CLOUD):
        if not with_images:
            # Without images the converter cannot read these (no server to ask), so it keeps the URL.
            return ImageRef(url, name=_held_name(url))
        path = ctx.media("/data" + ("" if url.startswith("/") else "/") + url if url.startswith(("upload", "/upload"))
                         else url)
        if path is None or not path.is_file():
            ctx.note(f"Image {url} is not readable by this server; left out of the export.")
            return ImageRef(url, name=_held_name(url))
        # Label Studio names a copied upload by its basename but writes file_name as a path to the
        # upload folder on its own disk (relative to a temp dir); we point at the copy in the archive.
        name = os.path.basename(path) if _is_upload(url) else _cached_name(url, os.path.basename(path))
        return ImageRef(f"{IMAGES}/{name}", _copy(path, out_dir / IMAGES / name), name)
    # A web URL or a bare name: the converter names the would-be download and, without images, stops there.
    name = _cached_name(url, os.path.basename(urlparse(url).path))
    if not with_images:
        return ImageRef(f"{IMAGES}/{name}", name=name)
    ctx.note(f"Image {url} is not held by this server; left out of the export.")
    return ImageRef(url, name=name)


def _copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copyfile(source, target)
    return target


def image_size(path: Path | None) -> tuple[int, int, int] | None:
    """(width, height, channels) from the file header, or None when it is not an image."""
    if path is None:
        return None
    try:
        with Image.open(path) as img:
            return img.size[0], img.size[1], len(img.getbands())
    except Exception:
        return None
