"""Build a LabelConfig from XML and reject configs the editor cannot render.

Which tags count as controls and objects follows Label Studio's server: a control is
any tag with `name` and `toName` (except Filter), an object any other tag with `name`
and `value`/`valueList`. On top of that we name the tag and attribute at fault for
mistakes Label Studio only reports from the browser (missing name/toName on a known
control, a toName that points nowhere).
"""

from __future__ import annotations

from .errors import LabelConfigError
from .model import ControlTag, LabelConfig, ObjectTag, Tag
from .taskdata import compile_checks, data_key_of, variable_of
from .vocabulary import (
    CONTROL_TAGS,
    NO_NAME,
    NO_TO_NAME,
    NOT_CONTROL_TAGS,
    OBJECT_TAGS,
    OPTION_TAGS,
    SINGLE_VALUE_TYPES,
)
from .xmltree import parse_xml

_OPTION_TAGS_LOWER = frozenset(t.lower() for t in OPTION_TAGS)
_PLAYBACK_SPEED = (0.05, 10.0)


def is_control(node: Tag) -> bool:
    return bool(node.attrs.get("name") and node.attrs.get("toName")) and node.tag not in NOT_CONTROL_TAGS


def _error(node: Tag, message: str, attribute: str | None = None) -> LabelConfigError:
    name = node.attrs.get("name")
    where = f'{node.tag} "{name}"' if name else node.tag
    return LabelConfigError(f"{where}: {message}", tag=node.tag, attribute=attribute, line=node.line)


def _check_required(node: Tag) -> None:
    low = node.tag.lower()
    attrs = node.attrs
    if low in CONTROL_TAGS:
        if not attrs.get("name") and low not in NO_NAME:
            raise _error(node, 'missing the "name" attribute that results are stored under', "name")
        if not attrs.get("toName") and low not in NO_TO_NAME:
            raise _error(node, 'missing "toName": set it to the name of the object tag it labels', "toName")
    elif low in OBJECT_TAGS:
        if not attrs.get("name"):
            raise _error(node, 'missing the "name" attribute that controls point at with toName', "name")
        if not attrs.get("value") and not attrs.get("valueList"):
            raise _error(node, 'missing "value": set it to the task field to show, e.g. value="$image"', "value")
    if low == "video":
        _check_playback_speed(node)


def _check_playback_speed(node: Tag) -> None:
    # Label Studio's server rejects these (SDK LabelInterface._tag_attribute_validation).
    low, high = _PLAYBACK_SPEED
    speeds = {}
    for attr in ("defaultPlaybackSpeed", "minPlaybackSpeed"):
        raw = node.attrs.get(attr)
        if raw is None:
            continue
        try:
            speeds[attr] = float(raw)
        except ValueError:
            raise _error(node, f'{attr} must be a number, got "{raw}"', attr) from None
        if not low <= speeds[attr] <= high:
            raise _error(node, f"{attr} must be between {low} and {high}, got {raw}", attr)
    if speeds.get("minPlaybackSpeed", 0) > speeds.get("defaultPlaybackSpeed", high):
        raise _error(node, "minPlaybackSpeed must not exceed defaultPlaybackSpeed", "minPlaybackSpeed")


def _needs_options(node: Tag) -> bool:
    """Label Studio's JSON schema: Choices/Labels need options, a dynamic `value` or a View."""
    if node.tag not in ("Choices", "Labels") or node.attrs.get("value"):
        return False
    option = "choice" if node.tag == "Choices" else "label"
    return not any(n.tag.lower() == option or n.tag == "View" for n in node.iter() if n is not node)


def _make_control(node: Tag, name: str) -> ControlTag:
    low = node.tag.lower()
    single = low in SINGLE_VALUE_TYPES and not (low == "choices" and node.attrs.get("choice") == "multiple")
    return ControlTag(
        name=name,
        tag=node.tag,
        type=low,
        # Not stripped: Label Studio stores "a, b" as ["a", " b"] and so must we.
        to_name=node.attrs["toName"].split(","),
        labels=[],
        attrs=dict(node.attrs),
        single_value=single,
        line=node.line,
    )


def _make_object(node: Tag, name: str) -> ObjectTag:
    attrs = node.attrs
    is_list = not attrs.get("value")
    value = attrs["valueList"] if is_list else attrs["value"]
    return ObjectTag(
        name=name,
        tag=node.tag,
        value=value,
        data_key=variable_of(value),
        is_list=is_list,
        value_type=attrs.get("valueType") or attrs.get("valuetype"),
        attrs=dict(attrs),
        line=node.line,
    )


def _add_data_type(node: Tag, data_types: dict[str, str], list_keys: set[str]) -> None:
    # Label Studio's extract_data_types: named tags below the root, by `value`;
    # we add `valueList`, which it forgets although the editor reads it.
    attrs = node.attrs
    raw = attrs.get("value") or attrs.get("valueList")
    key = data_key_of(raw) if raw else None
    if key is None:
        return
    if not attrs.get("value"):
        list_keys.add(key)
    # The same key read by Video and Audio (video with sound track) must be a Video.
    if data_types.get(key) != "Video":
        data_types[key] = node.tag


def parse(xml: str) -> LabelConfig:
    """Parse and validate a label config; raise LabelConfigError naming the tag at fault."""
    root = parse_xml(xml)
    if root.tag.lower() != "view":
        raise _error(root, "the root tag must be <View>")

    objects: dict[str, ObjectTag] = {}
    controls: dict[str, ControlTag] = {}
    named: dict[str, Tag] = {}
    data_types: dict[str, str] = {}
    list_keys: set[str] = set()

    # (node, enclosing control, reached through View tags only)
    stack: list[tuple[Tag, ControlTag | None, bool]] = [(root, None, True)]
    while stack:
        node, enclosing, views_only = stack.pop()
        _check_required(node)
        attrs = node.attrs
        name = attrs.get("name")
        if name:
            if name in named:
                first = named[name]
                raise _error(node, f'name="{name}" is already used by {first.tag} on line {first.line}', "name")
            named[name] = node
            if node is not root and (attrs.get("value") or attrs.get("valueList")):
                _add_data_type(node, data_types, list_keys)
        if views_only and _needs_options(node):
            raise _error(node, f"has no <{'Choice' if node.tag == 'Choices' else 'Label'}> options inside")

        if enclosing is not None and node.tag.lower() in _OPTION_TAGS_LOWER:
            # Results carry the alias when there is one, so that is the label.
            label = attrs.get("alias") or attrs.get("value") or attrs.get("valueList")
            if label:
                if label not in enclosing.label_attrs:
                    enclosing.labels.append(label)
                enclosing.label_attrs[label] = dict(attrs)

        if is_control(node):
            enclosing = controls[name] = _make_control(node, name)
        elif name and (attrs.get("value") or attrs.get("valueList")):
            objects[name] = _make_object(node, name)

        child_views_only = views_only and node.tag == "View"
        for child in reversed(node.children):
            stack.append((child, enclosing, child_views_only))

    for control in controls.values():
        for target in control.to_name:
            if target not in objects and target != control.name:
                known = ", ".join(objects) or "none"
                raise LabelConfigError(
                    f'{control.tag} "{control.name}": toName="{target}" names no object tag (objects: {known})',
                    tag=control.tag,
                    attribute="toName",
                    line=control.line,
                )

    return LabelConfig(
        root=root,
        objects=objects,
        controls=controls,
        data_types=data_types,
        task_checks=compile_checks(data_types, list_keys),
    )
