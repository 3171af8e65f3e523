"""Label Studio label configs: parse the XML, validate it, check task data against it."""

from .compat import (
    control_for_value,
    control_for_value_key,
    first_single_value_control,
    parsed_label_config,
    suitable_for_bulk_annotation,
    supported_export_formats,
)
from .errors import LabelConfigError
from .model import ControlTag, LabelConfig, ObjectTag, Tag
from .parser import parse
from .taskdata import UNDEFINED_KEY, missing_task_data, rename_undefined_key

__all__ = [
    "ControlTag",
    "LabelConfig",
    "LabelConfigError",
    "ObjectTag",
    "Tag",
    "UNDEFINED_KEY",
    "control_for_value",
    "control_for_value_key",
    "first_single_value_control",
    "missing_task_data",
    "parse",
    "parsed_label_config",
    "suitable_for_bulk_annotation",
    "rename_undefined_key",
    "supported_export_formats",
]
