"""Label Studio's derived views of a config: parsed_label_config, export formats, and
the control a bare prediction value belongs to.

Each function reproduces what Label Studio 1.23.2 with SDK 2.1.2 returns, quirks
included, because clients read these values; tests compare against the SDK itself.
"""

from __future__ import annotations

import numbers
import re

from .model import ControlTag, LabelConfig, ObjectTag
from .parser import is_control

# Label Studio's `has_variable`: only a plain `$name` makes labels dynamic.
_DYNAMIC_VALUE = re.compile(r"\$[A-Za-z_]+")

# Export formats in the order of label_studio_sdk.converter.Format.
FORMATS = (
    "JSON", "JSON_MIN", "CSV", "TSV", "CONLL2003", "COCO", "VOC",
    "BRUSH_TO_NUMPY", "BRUSH_TO_PNG", "ASR_MANIFEST", "YOLO", "YOLO_OBB", "CSV_OLD",
    "YOLO_WITH_IMAGES", "COCO_WITH_IMAGES", "YOLO_OBB_WITH_IMAGES", "BRUSH_TO_COCO", "DOCLANG",
)
_BASIC_FORMATS = ["JSON", "JSON_MIN", "CSV", "TSV"]
_COCO_YOLO = {"COCO", "COCO_WITH_IMAGES", "YOLO", "YOLO_WITH_IMAGES"}
_OBB = {"YOLO_OBB", "YOLO_OBB_WITH_IMAGES"}
_BRUSH = {"BRUSH_TO_NUMPY", "BRUSH_TO_PNG", "BRUSH_TO_COCO"}
_DOCLANG_CONTROLS = {"TextArea", "ReactCode", "CustomInterface"}

# Label Studio's SINGLE_VALUED_TAGS: which bare prediction value a control type takes.
# Number never matches in practice (LS only lets str and int through) and DateTime is
# absent; we keep both quirks so a prediction lands on the same control as in LS.
SINGLE_VALUED_TYPES: dict[str, type] = {"choices": str, "rating": int, "number": float, "textarea": str}


def _input(obj: ObjectTag) -> dict:
    out = {"type": obj.tag, "valueType": obj.attrs.get("valueType")}
    if "value" in obj.attrs:
        out["value"] = obj.attrs["value"].lstrip("$")
    else:
        out["valueList"] = obj.attrs["valueList"].lstrip("$")
    return out


def _conditionals(attrs: dict[str, str]) -> dict | None:
    if attrs.get("perRegion") != "true":
        return None
    for attr, kind in (("whenTagName", "tag"), ("whenLabelValue", "label"), ("whenChoiceValue", "choice")):
        if attrs.get(attr):
            return {"type": kind, "name": attrs[attr]}
    return None


def parsed_label_config(config: LabelConfig) -> dict:
    """The project's `parsed_label_config`: {control name: {type, to_name, inputs, labels, ...}}."""
    out: dict[str, dict] = {}
    index_flags: list[str] = []
    # Repeater index variables apply to controls that come after them in the document,
    # wherever they sit, hence one walk in document order.
    for node in config.root.iter():
        if "indexFlag" in node.attrs:
            index_flags.append(node.attrs["indexFlag"])
        if not is_control(node):
            continue
        control = config.controls[node.attrs["name"]]
        info: dict = {"type": control.tag, "to_name": list(control.to_name)}
        regex = {flag: ".*" for flag in index_flags if any(flag in t for t in control.to_name)}
        if regex:
            info["regex"] = regex
        conditionals = _conditionals(control.attrs)
        if conditionals:
            info["conditionals"] = conditionals
        if _DYNAMIC_VALUE.fullmatch(control.attrs.get("value", "")) or control.attrs.get("apiUrl"):
            info["dynamic_labels"] = True
        info["inputs"] = [_input(config.objects[t]) for t in control.to_name if t in config.objects]
        info["labels"] = list(control.labels)
        info["labels_attrs"] = {label: dict(attrs) for label, attrs in control.label_attrs.items()}
        out[control.name] = info
    return out


def supported_export_formats(config: LabelConfig) -> list[str]:
    """Export formats Label Studio enables for this config (Converter._get_supported_formats)."""
    schema = parsed_label_config(config)
    outputs = {info["type"] for info in schema.values()}
    inputs_used = [i for info in schema.values() for i in info["inputs"]]
    doclang = bool(outputs & _DOCLANG_CONTROLS)

    data_keys = {i[k] for i in inputs_used for k in ("value", "valueList") if k in i}
    if len(data_keys) > 1:
        return _BASIC_FORMATS + (["DOCLANG"] if doclang else [])

    # A list of images in one task (valueList) fits none of the per-image formats.
    image_list = any(i.get("valueList") for i in inputs_used)
    # Text loaded from a URL has no tokens to tag, so it does not count as Text.
    input_types = {
        i["type"] for i in inputs_used if not (i["type"] == "Text" and i.get("valueType") == "url")
    }
    has = outputs.__contains__
    image = "Image" in input_types
    dropped = set() if doclang else {"DOCLANG"}

    # COCO and YOLO categories come from RectangleLabels; keypoints alone have none.
    if has("KeyPointLabels") and not has("RectangleLabels"):
        dropped |= _COCO_YOLO
    if not ("Text" in input_types and has("Labels")):
        dropped.add("CONLL2003")
    if image_list or not (image and (has("RectangleLabels") or has("Rectangle") and has("Labels"))):
        dropped.add("VOC")
    shapes_with_labels = any(has(t) and has("Labels") for t in ("Rectangle", "PolygonLabels", "KeyPointLabels"))
    image_shapes = image and any(has(t) for t in ("RectangleLabels", "PolygonLabels", "KeyPointLabels"))
    if image_list or not (image_shapes or shapes_with_labels):
        dropped |= _COCO_YOLO | _OBB
    if not (image and (has("BrushLabels") or has("brushlabels") or has("Brush") and has("Labels"))):
        dropped |= _BRUSH
    if not (("Audio" in input_types or "AudioPlus" in input_types) and has("TextArea")):
        dropped.add("ASR_MANIFEST")
    if image_list or ("Video" in input_types and has("TimelineLabels")):
        dropped |= _OBB
    return [f for f in FORMATS if f not in dropped]


def control_for_value_key(config: LabelConfig, key: str) -> ControlTag | None:
    """The first control whose region type is `key` ("choices" -> the first Choices)."""
    return next((c for c in config.controls.values() if c.type == key), None)


def control_for_value(config: LabelConfig, value: dict) -> ControlTag | None:
    """The control a bare prediction `value` dict belongs to.

    Label Studio walks the controls in order and takes the first whose type is any key
    of the dict, so {"labels": .., "choices": ..} goes to whichever control comes first.
    """
    return next((c for c in config.controls.values() if c.type in value), None)


def first_single_value_control(config: LabelConfig, value: object = None) -> ControlTag | None:
    """The control a bare str/int prediction is stored on (Label Studio's rule).

    Without `value`, the first control of a single-valued type; with it, the first whose
    type takes that Python type (a str goes to Choices/TextArea, an int to Rating).
    """
    if value is not None and not isinstance(value, (str, numbers.Integral)):
        return None  # Label Studio rejects other bare values outright
    for control in config.controls.values():
        expected = SINGLE_VALUED_TYPES.get(control.type)
        if expected is not None and (value is None or isinstance(value, expected)):
            return control
    return None


# Controls that draw regions (or label spans); any of these, or a perRegion control, makes a config unfit for
# labeling many tasks at once from the data manager.
REGION_TAGS = {"labels", "rectangle", "polygon", "ellipse", "keypoint", "brush", "magicwand", "relations",
               "videorectangle", "bitmask"}


def suitable_for_bulk_annotation(config: LabelConfig) -> bool:
    """Label Studio's config_suitable_for_bulk_annotation: every control labels the whole task."""
    return not any(c.type in REGION_TAGS or c.type.endswith("labels") or c.attrs.get("perRegion") == "true"
                   for c in config.controls.values())
