"""Annotated datasets (COCO, YOLO, Pascal VOC) read from a folder into images with percent regions.

Pure file parsing: no database and no HTTP. services/dataset_import.py turns the result into tasks.
"""
from pathlib import Path

from ..errors import ValidationFailed
from . import coco, voc, yolo
from .common import Dataset, ImageIndex, ParsedImage, Region, looks_like_url, new_region_id

FORMATS = ("COCO", "YOLO", "VOC")

__all__ = ["FORMATS", "Dataset", "ParsedImage", "Region", "looks_like_url", "new_region_id", "read"]


def _coco_files(root: Path, main_file: Path | None) -> list[tuple[Path, str]]:
    if main_file is not None:
        return [(main_file, main_file.name)]
    files = [(p, p.relative_to(root).as_posix()) for p in sorted(root.rglob("*.json"))
             if not any(s.startswith(".") for s in p.relative_to(root).parts) and coco.is_coco(p)]
    if not files:
        raise ValidationFailed('No COCO file found: expected a .json file with "images", "annotations" and '
                               '"categories".')
    return files


def read(fmt: str, root: Path, images_dir: Path | None = None, main_file: Path | None = None) -> Dataset:
    """Parse the dataset in `root` (or the one COCO file `main_file`); images are looked up in `images_dir`,
    by default `root`. Raises ValidationFailed naming the file and line (or JSON path) at fault."""
    fmt = (fmt or "").upper()
    if fmt not in FORMATS:
        raise ValidationFailed(f"Unknown dataset format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if main_file is not None and fmt != "COCO":
        raise ValidationFailed(f"A {fmt} dataset is a folder: give the folder, not {main_file.name}.")
    index = ImageIndex(images_dir or root)
    if fmt == "COCO":
        return coco.parse(_coco_files(root, main_file), index)
    if fmt == "YOLO":
        return yolo.parse(root, index)
    return voc.parse(root, index)
