"""What every dataset parser returns, and the helpers they share: image lookup, sizes, percent regions."""
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..errors import ValidationFailed

IMAGE_EXTS = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"}


@dataclass
class Region:
    """One box or polygon, already in Label Studio's percent coordinates; the label is the dataset's class."""

    type: str  # "rectanglelabels" | "polygonlabels"
    label: str
    value: dict  # x/y/width/height/rotation or points/closed, without the label list
    where: str  # how errors name its source: "labels/a.txt line 3"
    score: float | None = None


@dataclass
class ParsedImage:
    name: str  # as the dataset refers to it (COCO file_name, VOC filename, path under the images folder)
    path: Path | None  # the image file, when the dataset came with it
    width: int
    height: int
    regions: list[Region] = field(default_factory=list)
    where: str = ""


@dataclass
class Dataset:
    classes: list[str]  # in the dataset's order: the labels of a generated config
    images: list[ParsedImage]


def relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def looks_like_url(name: str) -> bool:
    """A reference that is already a URL this server or a browser can load as it is."""
    return name.startswith(("http://", "https://", "/data/", "s3://", "gs://", "azure-blob://"))


class ImageIndex:
    """The image files under a folder, found by relative path or, when that is unique, by file name."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.by_path: dict[str, Path] = {}
        self.by_name: dict[str, list[Path]] = {}
        if directory is None:
            return
        for base, dirs, files in os.walk(directory):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in sorted(files):
                if Path(f).suffix.lower() in IMAGE_EXTS and not f.startswith("."):
                    path = Path(base) / f
                    self.by_path[relative(path, directory)] = path
                    self.by_name.setdefault(f, []).append(path)

    def find(self, name: str) -> Path | None:
        name = name.replace("\\", "/").removeprefix("./")
        if name in self.by_path:
            return self.by_path[name]
        for prefix in ("images/", "JPEGImages/"):
            if prefix + name in self.by_path:
                return self.by_path[prefix + name]
        candidates = self.by_name.get(name.rsplit("/", 1)[-1], [])
        return candidates[0] if len(candidates) == 1 else None

    def __iter__(self):
        return iter(self.by_path.items())


def image_size(path: Path, where: str) -> tuple[int, int]:
    """(width, height) from the file's header; Pillow does not decode the pixels for this."""
    try:
        with Image.open(path) as img:
            return img.size
    except (OSError, UnidentifiedImageError) as exc:
        raise ValidationFailed(f"{where}: {path.name} is not an image Pillow can read ({exc}).") from exc


def percent(value: float, total: int) -> float:
    return value / total * 100.0


def box(label: str, x: float, y: float, w: float, h: float, width: int, height: int, where: str,
        score: float | None = None) -> Region:
    """A box given in pixels (top-left corner and size)."""
    return Region("rectanglelabels", label, {"x": percent(x, width), "y": percent(y, height),
                                             "width": percent(w, width), "height": percent(h, height),
                                             "rotation": 0}, where, score)


def polygon(label: str, points: list[tuple[float, float]], width: int, height: int, where: str,
            score: float | None = None) -> Region:
    """A polygon given in pixels."""
    return Region("polygonlabels", label, {"points": [[percent(x, width), percent(y, height)] for x, y in points],
                                           "closed": True}, where, score)


def new_region_id() -> str:
    return uuid.uuid4().hex[:10]


def number(text, where: str, what: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ValidationFailed(f"{where}: {what} must be a number, got {text!r}.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationFailed(f"{where}: {what} must be a finite number, got {text!r}.")
    return value
