"""A light `label_interface`: the controls and objects of a label config, and the lookups models use most."""
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ..labelconfig import parse, parsed_label_config


@dataclass(frozen=True)
class Control:
    name: str
    tag: str  # as written: "Choices", "RectangleLabels", ...
    to_name: list[str]
    labels: list[str]
    labels_attrs: dict[str, dict] = field(default_factory=dict)
    attr: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Object:
    name: str
    tag: str  # "Image", "Text", ...
    value: str  # the task data key it shows, without the "$"


def _matches(kind: str | tuple, tag: str) -> bool:
    return tag == kind if isinstance(kind, str) else tag in kind


class LabelInterface:
    def __init__(self, config: str):
        parsed = parse(config)
        self.config = config
        self.parsed = parsed_label_config(parsed)
        self.controls = {c.name: Control(c.name, c.tag, list(c.to_name), list(c.labels),
                                         {k: dict(v) for k, v in c.label_attrs.items()}, dict(c.attrs))
                         for c in parsed.controls.values()}
        self.objects = {o.name: Object(o.name, o.tag, (o.value or "").lstrip("$")) for o in parsed.objects.values()}

    def get_control(self, name: str | None = None) -> Control:
        if name is None:
            return next(iter(self.controls.values()))
        return self.controls[name]

    def get_object(self, name: str | None = None) -> Object:
        if name is None:
            return next(iter(self.objects.values()))
        return self.objects[name]

    def get_tag(self, name: str) -> Control | Object:
        return self.controls.get(name) or self.objects[name]

    @property
    def labels(self) -> dict[str, list[str]]:
        return {name: c.labels for name, c in self.controls.items()}

    def get_first_tag_occurence(self, control_type: str | tuple, object_type: str | tuple,
                                name_filter: Callable[[str], bool] | None = None,
                                to_name_filter: Callable[[str], bool] | None = None) -> tuple[str, str, str]:
        """(from_name, to_name, data key) of the first control of `control_type` that labels an object of
        `object_type`, e.g. ("sentiment", "text", "text") for Choices on Text."""
        for from_name in self.parsed:  # document order
            control = self.controls[from_name]
            if not _matches(control_type, control.tag) or (name_filter and not name_filter(from_name)):
                continue
            for to_name in control.to_name:
                obj = self.objects.get(to_name)
                if obj and _matches(object_type, obj.tag) and (not to_name_filter or to_name_filter(to_name)):
                    return from_name, to_name, obj.value
        raise ValueError(f"Label config has no {control_type} tag applied to {object_type}")


@lru_cache(maxsize=64)
def interface_for(config: str) -> LabelInterface:
    return LabelInterface(config)
