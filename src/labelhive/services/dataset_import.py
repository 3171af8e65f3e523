"""A parsed dataset (COCO, YOLO, VOC) -> tasks with annotations or predictions, in one transaction.

The project's label config decides where regions go; a project without labeling tags gets a config
generated from the dataset's classes, saved in the same transaction as the tasks.
"""
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import quoteattr

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import labelconfig
from ..datasets import Dataset, ParsedImage, looks_like_url, new_region_id
from ..datasets.common import IMAGE_EXTS
from ..errors import ValidationFailed
from ..models import FileUpload, Project, Storage, StorageLink, User
from . import shared_files, storages
from .dataset_sources import ImageSource
from .import_files import store_media
from .imports import Incoming, bulk_insert, import_tasks
from .projects import config_of, validate_config

AS = ("annotations", "predictions")
TOOLS = {"rectanglelabels": "RectangleLabels", "polygonlabels": "PolygonLabels"}
CONTROL_NAMES = {"rectanglelabels": "label", "polygonlabels": "polygon"}
WHAT = {"rectanglelabels": "boxes", "polygonlabels": "polygons"}


@dataclass
class Target:
    """Where one region type goes in the project's config."""

    control: str
    to_name: str
    data_key: str
    labels: set[str]


def generated_config(dataset: Dataset, config: labelconfig.LabelConfig) -> str:
    """An Image plus one labels tool per region type the dataset uses, listing all its classes. An Image tag
    already in the config keeps its name and variable, so tasks imported before still fit."""
    if not dataset.classes:
        raise ValidationFailed("The dataset names no classes, and the project has no label config to import "
                               "into: set a label config first.")
    image = next((o for o in config.objects.values() if o.tag.lower() == "image" and o.data_key), None)
    name, value = (image.name, image.value) if image else ("image", "$image")
    used = [t for t in TOOLS if any(r.type == t for img in dataset.images for r in img.regions)] or ["rectanglelabels"]
    labels = "".join(f"\n    <Label value={quoteattr(c)}/>" for c in dataset.classes)
    tools = "".join(f'\n  <{TOOLS[t]} name="{CONTROL_NAMES[t]}" toName={quoteattr(name)}>{labels}\n  </{TOOLS[t]}>'
                    for t in used)
    return f"<View>\n  <Image name={quoteattr(name)} value={quoteattr(value)}/>{tools}\n</View>"


def targets(config: labelconfig.LabelConfig, dataset: Dataset) -> dict[str, Target]:
    """Region type -> the first control of that type on an Image; error when a needed one is missing, or
    when the dataset uses classes the control does not list."""
    out = {}
    for img in dataset.images:
        for r in img.regions:
            if r.type not in out:
                out[r.type] = _target(config, r.type)
            target = out[r.type]
            if r.label not in target.labels:
                raise ValidationFailed(
                    f"{r.where}: class {r.label!r} is not a label of {TOOLS[r.type]} \"{target.control}\" in the "
                    f"project's label config. Add <Label value={quoteattr(r.label)}/> to it, or import into a "
                    "project without a label config to have one generated.")
    if not out:  # no regions at all: the tasks still need the Image's variable
        image = next((o for o in config.objects.values() if o.tag.lower() == "image" and o.data_key), None)
        if image is None:
            raise ValidationFailed("The project's label config has no <Image> to show the dataset's images.")
        out["image"] = Target("", image.name, image.data_key, set())
    return out


def _target(config: labelconfig.LabelConfig, rtype: str) -> Target:
    for control in config.controls.values():
        obj = config.objects.get(control.to_name[0]) if control.to_name else None
        if control.type == rtype and obj is not None and obj.tag.lower() == "image" and obj.data_key:
            return Target(control.name, obj.name, obj.data_key, set(control.labels))
    raise ValidationFailed(f"The project's label config has no <{TOOLS[rtype]}> on an <Image> for the dataset's "
                           f"{WHAT[rtype]}: add one, or import into a project without a label config to have one "
                           "generated.")


def _results(img: ParsedImage, where: dict[str, Target]) -> list[dict]:
    out = []
    for r in img.regions:
        t = where[r.type]
        result = {"id": new_region_id(), "type": r.type, "from_name": t.control, "to_name": t.to_name,
                  "original_width": img.width, "original_height": img.height, "image_rotation": 0,
                  "value": {**r.value, r.type: [r.label]}}
        if r.score is not None:
            result["score"] = r.score
        out.append(result)
    return out


def _check_images(dataset: Dataset, source: ImageSource) -> None:
    """Before anything is written: every image has a URL to get."""
    if source.mode == "url":
        return
    for img in dataset.images:
        if img.path is None and not looks_like_url(img.name):
            raise ValidationFailed(f"{img.where}: image {img.name!r} is not in the dataset. Include the images, "
                                   "or give images=<URL prefix> (or a folder on the server) to say where they are.")


def _url(session: Session, project: Project, user: User, img: ParsedImage, source: ImageSource, local_root: Path,
         media_dir: Path, written: list[Path]) -> tuple[str, int | None]:
    """The task's image URL, and the FileUpload it was copied to, if any."""
    if source.mode == "url":
        return source.url_prefix.rstrip("/") + "/" + quote(img.name.replace("\\", "/").lstrip("/"), safe="/"), None
    if img.path is None:
        return img.name, None
    if source.mode == "local-files":
        return "/data/local-files/?d=" + quote(img.path.relative_to(local_root).as_posix(), safe="/"), None
    with open(img.path, "rb") as f:
        rel = store_media(media_dir, project.id, img.path.name, f)
    written.append(media_dir / rel)
    upload = FileUpload(project_id=project.id, user_id=user.id, file=rel)
    session.add(upload)
    session.flush()
    return f"/data/{rel}", upload.id


def _attach_folder(session: Session, project: Project, directory: Path, local_root: Path, fmt: str) -> Storage:
    """Images served in place must sit in a folder attached to the project (that is what /data/local-files
    checks). Attach it as a local storage of images, so a later sync adds only images that are new."""
    for s in storages.list_for(session, project, "import", "localfiles"):
        if Path(s.settings.get("path", "")).expanduser().resolve() == directory:
            return s
    regex = r"(?i)\.(" + "|".join(sorted(e.lstrip(".") for e in IMAGE_EXTS)) + r")$"
    s = Storage(project_id=project.id, kind="import", type="localfiles", title=f"{directory.name} ({fmt} dataset)")
    storages.apply_settings(s, {"path": str(directory), "use_blob_urls": True, "regex_filter": regex})
    storages.validate(s, local_root)
    session.add(s)
    session.flush()
    return s


def import_dataset(session: Session, project: Project, user: User, dataset: Dataset, fmt: str, source: ImageSource,
                   local_root: Path, media_dir: Path, as_: str = "annotations",
                   model_version: str | None = None) -> dict:
    """Everything or nothing: on any error the transaction is rolled back and copied images are removed."""
    started = time.perf_counter()
    if as_ not in AS:
        raise ValidationFailed(f"'as' must be one of {', '.join(AS)}, got {as_!r}.")
    written: list[Path] = []
    try:
        config, generated = config_of(project), None
        if not config.controls:
            generated = generated_config(dataset, config)
            config = validate_config(generated)
            project.label_config = generated
        where = targets(config, dataset)
        _check_images(dataset, source)
        storage = None
        if source.mode == "local-files" and any(img.path for img in dataset.images):
            storage = _attach_folder(session, project, source.directory, local_root, fmt)
        version = model_version or f"{fmt} import"
        incoming, keys = [], []
        for img in dataset.images:
            url, upload_id = _url(session, project, user, img, source, local_root, media_dir, written)
            data = {t.data_key: url for t in where.values()}
            results = _results(img, where)
            item = Incoming(data, file_upload_id=upload_id, where=img.where)
            if results and as_ == "annotations":
                item.annotations = [{"result": results}]
            elif results:
                scores = [r["score"] for r in results if "score" in r]
                item.predictions = [{"result": results, "model_version": version,
                                     "score": sum(scores) / len(scores) if scores else None}]
            incoming.append(item)
            keys.append(img.path.relative_to(local_root).as_posix() if storage and img.path else None)
        result = import_tasks(session, project, user, incoming, commit=False)
        if storage is not None:
            _link(session, storage, result["task_ids"], keys)
        session.commit()
    except Exception:
        session.rollback()
        for path in written:
            shared_files.remove(path)
        raise
    result.update(format=fmt, classes=dataset.classes, label_config_generated=generated is not None,
                  storage=storage.id if storage else None, duration=round(time.perf_counter() - started, 3))
    for key in ("could_be_tasks_list", "found_formats", "file_upload_ids"):
        result.pop(key, None)
    return result


def _link(session: Session, storage: Storage, task_ids: list[int], keys: list[str | None]) -> None:
    known = set(session.scalars(select(StorageLink.key).where(StorageLink.storage_id == storage.id)))
    rows = [{"storage_id": storage.id, "task_id": t, "key": k} for t, k in zip(task_ids, keys)
            if k is not None and k not in known]
    if rows:
        bulk_insert(session, StorageLink.__table__, rows)
