"""A YOLO folder (classes.txt or data.yaml, labels/*.txt, images/*) -> images with percent regions.

A label file belongs to the image with the same path once the `labels`/`images` folder is left out:
`labels/train/a.txt` <-> `images/train/a.jpg`, and `a.txt` <-> `a.jpg` side by side in a flat folder.
An image without a label file is imported without regions. A line is `cls xc yc w h` (a box), `cls x1 y1 x2
y2 ...` (a polygon), either optionally followed by a confidence, all normalised to 0-1; that is Ultralytics'
detect and segment output, and what Label Studio's YOLO export writes.
"""
from pathlib import Path, PurePosixPath

import yaml

from ..errors import ValidationFailed
from .common import Dataset, ImageIndex, ParsedImage, Region, image_size, number, relative

CLASS_FILES = ("classes.txt",)
YAML_FILES = ("data.yaml", "data.yml", "dataset.yaml", "dataset.yml")
TOLERANCE = 1e-6  # rounding in the writer's last digit must not fail an import


def _names_from_yaml(path: Path) -> list[str]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"{path.name}: not valid YAML ({exc}).") from exc
    names = doc.get("names") if isinstance(doc, dict) else None
    if isinstance(names, dict):
        keys = sorted(names)
        if keys != list(range(len(keys))):
            raise ValidationFailed(f"{path.name}: names must be numbered 0, 1, 2... without gaps, got {keys}.")
        names = [names[k] for k in keys]
    if not isinstance(names, list) or not names:
        raise ValidationFailed(f"{path.name}: needs a 'names' list (or a 0: name, 1: name... mapping).")
    return [str(n) for n in names]


def classes(root: Path) -> tuple[list[str], str]:
    """The class names and the file they came from."""
    for name in CLASS_FILES:
        if (root / name).is_file():
            lines = (root / name).read_text(encoding="utf-8-sig").splitlines()
            found = [line.strip() for line in lines if line.strip()]
            if found:
                return found, name
            raise ValidationFailed(f"{name} is empty: it needs one class name per line.")
    for name in YAML_FILES:
        if (root / name).is_file():
            return _names_from_yaml(root / name), name
    raise ValidationFailed("A YOLO dataset needs classes.txt (one class per line) or data.yaml (with 'names') "
                           "at the top of the folder.")


def _key(rel: str, folder: str) -> str:
    """The path that pairs an image with its label: without the images/labels folder and the extension."""
    parts = list(PurePosixPath(rel).with_suffix("").parts)
    if folder in parts:
        parts.remove(folder)
    return "/".join(parts)


def _label_files(root: Path) -> list[Path]:
    files = [p for p in sorted(root.rglob("*.txt")) if p.name not in CLASS_FILES
             and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    in_labels = [p for p in files if "labels" in p.relative_to(root).parts]
    return in_labels if in_labels else files


def _line(tokens: list[str], names: list[str], source: str, where: str) -> Region:
    raw = number(tokens[0], where, "the class index")
    if raw != int(raw):
        raise ValidationFailed(f"{where}: the class index must be a whole number, got {tokens[0]!r}.")
    cls = int(raw)
    if not 0 <= cls < len(names):
        raise ValidationFailed(f"{where}: class index {cls} is out of range: {source} lists {len(names)} "
                               f"classes (0-{len(names) - 1}).")
    values = [number(t, where, "a coordinate") for t in tokens[1:]]
    score = None
    if len(values) == 5 or (len(values) >= 7 and len(values) % 2 == 1):  # a trailing confidence
        score = values.pop()
    if len(values) < 4 or len(values) % 2:
        raise ValidationFailed(f"{where}: expected 'class x_center y_center width height' or 'class x1 y1 x2 y2 "
                               f"x3 y3 ...', got {len(tokens)} values.")
    if any(v < -TOLERANCE or v > 1 + TOLERANCE for v in values):
        raise ValidationFailed(f"{where}: coordinates must be normalised to 0-1, got {' '.join(tokens[1:])}.")
    label = names[cls]
    if len(values) == 4:
        xc, yc, w, h = values
        return Region("rectanglelabels", label, {"x": (xc - w / 2) * 100, "y": (yc - h / 2) * 100,
                                                 "width": w * 100, "height": h * 100, "rotation": 0}, where, score)
    points = [[x * 100, y * 100] for x, y in zip(values[::2], values[1::2])]
    return Region("polygonlabels", label, {"points": points, "closed": True}, where, score)


def parse_labels(path: Path, name: str, names: list[str], source: str) -> list[Region]:
    regions = []
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        tokens = line.split()
        if tokens:
            regions.append(_line(tokens, names, source, f"{name} line {n}"))
    return regions


def parse(root: Path, index: ImageIndex) -> Dataset:
    names, source = classes(root)
    images: dict[str, ParsedImage] = {}
    for rel, path in index:
        key = _key(rel, "images")
        if key in images:
            raise ValidationFailed(f"Two images would share the label file of {key}: {images[key].name} and {rel}.")
        images[key] = ParsedImage(rel, path, *image_size(path, rel), where=rel)
    for path in _label_files(root):
        rel = relative(path, root)
        image = images.get(_key(rel, "labels"))
        if image is None:
            raise ValidationFailed(f"{rel}: no image for this label file (looked for {_key(rel, 'labels')}.jpg, "
                                   ".png... under the images folder). YOLO needs the images to know their sizes.")
        image.regions += parse_labels(path, rel, names, source)
    return Dataset(names, list(images.values()))
