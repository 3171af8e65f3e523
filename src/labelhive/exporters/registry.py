"""Every Label Studio export format: its name, what the formats list shows, and the writer that makes it.

A writer gets a callable returning the tasks (called again for a second pass where a format needs one),
the export context, and an empty directory to fill. What ends up in the directory is sent as it is when
it is one file, and as a zip otherwise, the way Label Studio packs the converter's output.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .asr import write_asr
from .brush import write_brush
from .brush_coco import write_brush_coco
from .coco import write_coco
from .conll import write_conll
from .csv_old import write_csv_old
from .doclang import write_doclang
from .full import write_json
from .items import ExportContext
from .minimal import write_json_min
from .tabular import write_csv
from .voc import write_voc
from .yolo import write_yolo

Tasks = Callable[[], Iterable[dict]]
Writer = Callable[[Tasks, ExportContext, Path], None]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    write: Writer
    link: str = "https://labelstud.io/guide/export.html"
    # The writer reads only task ids, data and annotations (id, author, time, result), not the rest of
    # Label Studio's task JSON, so an export can skip building it: the writers that go through
    # items.iter_items.
    lean: bool = False


def _json(tasks: Tasks, ctx: ExportContext, out: Path) -> None:
    with open(out / "result.json", "wb") as f:
        write_json(tasks(), f)


def _json_min(tasks: Tasks, ctx: ExportContext, out: Path) -> None:
    with open(out / "result.json", "wb") as f:
        write_json_min(tasks(), ctx.label_config, f)


def _tabular(sep: str, name: str) -> Writer:
    def write(tasks: Tasks, ctx: ExportContext, out: Path) -> None:
        with open(out / name, "wb") as f:
            write_csv(tasks, ctx.label_config, f, sep=sep)
    return write


def _once(writer: Callable, **options) -> Writer:
    """Writers that read the tasks once take the iterable itself."""
    return lambda tasks, ctx, out: writer(tasks(), ctx, out, **options)


_DETECTION = ("image segmentation", "object detection")
_WITH_KEYPOINTS = _DETECTION + ("keypoints",)
_YOLO_TEXT = ("Popular TXT format is created for each image file. Each txt file contains annotations for the "
              "corresponding image file")

# In the order of label_studio_sdk.converter.Format; texts as Label Studio shows them.
_ALL = [
    ExportFormat("JSON", "JSON", "List of items in raw JSON format stored in one JSON file. Use to export both the "
                 "data and the annotations for a dataset. It's Label Studio Common Format", ("JSON",), _json,
                 "https://labelstud.io/guide/export.html#JSON"),
    ExportFormat("JSON_MIN", "JSON-MIN", "List of items where only \"from_name\", \"to_name\" values from the raw "
                 "JSON format are exported. Use to export only the annotations for a dataset.", ("JSON",), _json_min,
                 "https://labelstud.io/guide/export.html#JSON-MIN"),
    ExportFormat("CSV", "CSV", "Results are stored as comma-separated values with the column names specified by "
                 "the values of the \"from_name\" and \"to_name\" fields.", ("CSV",), _tabular(",", "result.csv"),
                 "https://labelstud.io/guide/export.html#CSV"),
    ExportFormat("TSV", "TSV", "Results are stored in tab-separated tabular file with column names specified by "
                 "\"from_name\" \"to_name\" values", ("TSV",), _tabular("\t", "result.tsv"),
                 "https://labelstud.io/guide/export.html#TSV"),
    ExportFormat("CONLL2003", "CONLL2003", "Popular format used for the CoNLL-2003 named entity recognition "
                 "challenge.", ("sequence labeling", "text tagging", "named entity recognition"),
                 _once(write_conll), "https://labelstud.io/guide/export.html#CONLL2003", lean=True),
    ExportFormat("COCO", "COCO", "Popular machine learning format used by the COCO dataset for object detection "
                 "and image segmentation tasks with polygons and rectangles.", _WITH_KEYPOINTS, _once(write_coco),
                 "https://labelstud.io/guide/export.html#COCO", lean=True),
    ExportFormat("VOC", "Pascal VOC XML", "Popular XML format used for object detection and polygon image "
                 "segmentation tasks.", _DETECTION, _once(write_voc),
                 "https://labelstud.io/guide/export.html#Pascal-VOC-XML", lean=True),
    ExportFormat("BRUSH_TO_NUMPY", "Brush labels to NumPy", "Export your brush labels as NumPy 2d arrays. Each "
                 "label outputs as one image.", ("image segmentation",), _once(write_brush),
                 "https://labelstud.io/guide/export.html#Brush-labels-to-NumPy-amp-PNG", lean=True),
    ExportFormat("BRUSH_TO_PNG", "Brush labels to PNG", "Export your brush labels as PNG images. Each label "
                 "outputs as one image.", ("image segmentation",), _once(write_brush, png=True),
                 "https://labelstud.io/guide/export.html#Brush-labels-to-NumPy-amp-PNG", lean=True),
    ExportFormat("ASR_MANIFEST", "ASR Manifest", "Export audio transcription labels for automatic speech "
                 "recognition as the JSON manifest format expected by NVIDIA NeMo models.", ("speech recognition",),
                 _once(write_asr), "https://labelstud.io/guide/export.html#ASR-MANIFEST", lean=True),
    ExportFormat("YOLO", "YOLO", _YOLO_TEXT + ", that is object class, object coordinates, height & width.",
                 _WITH_KEYPOINTS, _once(write_yolo), "https://labelstud.io/guide/export.html#YOLO", lean=True),
    ExportFormat("YOLO_OBB", "YOLOv8 OBB", _YOLO_TEXT + ". The YOLO OBB format designates bounding boxes by their "
                 "four corner points with coordinates normalized between 0 and 1, so it is possible to export "
                 "rotated objects.", _DETECTION, _once(write_yolo, obb=True),
                 "https://labelstud.io/guide/export.html#YOLO", lean=True),
    ExportFormat("CSV_OLD", "CSV (legacy)", "One row per region: task data, annotation id, annotator and the "
                 "region's value, as the old Label Studio converter wrote it.", ("CSV",), write_csv_old),
    ExportFormat("YOLO_WITH_IMAGES", "YOLO with Images", "YOLO format with images downloaded.", _WITH_KEYPOINTS,
                 _once(write_yolo, with_images=True), "https://labelstud.io/guide/export.html#YOLO", lean=True),
    ExportFormat("COCO_WITH_IMAGES", "COCO with Images", "COCO format with images downloaded.", _WITH_KEYPOINTS,
                 _once(write_coco, with_images=True), "https://labelstud.io/guide/export.html#COCO", lean=True),
    ExportFormat("YOLO_OBB_WITH_IMAGES", "YOLOv8 OBB with Images", "YOLOv8 OBB format with images downloaded.",
                 _DETECTION, _once(write_yolo, with_images=True, obb=True),
                 "https://labelstud.io/guide/export.html#YOLO", lean=True),
    ExportFormat("BRUSH_TO_COCO", "Brush labels to COCO", "Export your brush labels as COCO format for "
                 "segmentation tasks. Converts RLE encoded masks to COCO polygons.",
                 ("image segmentation", "brush annotations"), _once(write_brush_coco),
                 "https://labelstud.io/guide/export.html#COCO", lean=True),
    ExportFormat("DOCLANG", "DocLang (.dclx)", "Package annotations from the Doclang Interface as DocLang OPC "
                 "archives (document.xml + page image) for downstream Docling model training.",
                 ("document", "doclang"), _once(write_doclang),
                 "https://github.com/doclang-project/doclang/blob/main/spec.md#doclang-archive-format"),
]
FORMATS: dict[str, ExportFormat] = {f.name: f for f in _ALL}


def write(name: str, tasks: Tasks, ctx: ExportContext, out_dir: Path) -> None:
    FORMATS[name].write(tasks, ctx, out_dir)


__all__ = ["FORMATS", "ExportFormat", "write"]
