"""Plain data a parsed label config is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator


@dataclass(slots=True)
class Tag:
    """One XML element as written: unknown tags are kept, never dropped."""

    tag: str
    attrs: dict[str, str]
    children: list[Tag] = field(default_factory=list)
    text: str | None = None
    line: int | None = None

    def iter(self) -> Iterator[Tag]:
        """This tag and all its descendants, in document order."""
        # An explicit stack: a config nested thousands deep must not hit the recursion limit.
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass(slots=True)
class ObjectTag:
    """A tag that shows task data (Image, Text, ...): one `$var` of the task."""

    name: str
    tag: str
    value: str  # raw `value` (or `valueList`) attribute, e.g. "$image_path"
    data_key: str | None  # "image_path"; None when value is not a single `$var`
    is_list: bool = False  # value came from `valueList` (a list of items in one key)
    value_type: str | None = None  # the `valueType` attribute ("url", "text", ...)
    attrs: dict[str, str] = field(default_factory=dict)
    line: int | None = None


@dataclass(slots=True)
class ControlTag:
    """A tag that produces results (Choices, RectangleLabels, ...)."""

    name: str
    tag: str  # as written, e.g. "RectangleLabels"
    type: str  # lowercase tag: the `type` of the regions it produces
    to_name: list[str]
    labels: list[str]  # option values in order; `alias` wins, as in results
    label_attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    attrs: dict[str, str] = field(default_factory=dict)
    single_value: bool = False
    line: int | None = None


@dataclass(slots=True, eq=False)
class TaskCheck:
    """One precomputed `$var` requirement on task data."""

    key: str  # as named in messages, e.g. "image" or "meta.url"
    path: tuple[str, ...]  # nested dict path; one element for a plain key
    types: tuple[type, ...]
    tag: str  # tag whose type rule applies, for the message


@dataclass(slots=True, eq=False)
class LabelConfig:
    root: Tag
    objects: dict[str, ObjectTag]
    controls: dict[str, ControlTag]
    # Keys the task data must hold, in document order, mapped to the tag that reads them
    # (Label Studio's `project.data_types`; the first key receives `$undefined$`).
    data_types: dict[str, str]
    task_checks: tuple[TaskCheck, ...] = ()

    @property
    def data_keys(self) -> list[str]:
        return list(self.data_types)

    @property
    def first_data_key(self) -> str | None:
        return next(iter(self.data_types), None)
