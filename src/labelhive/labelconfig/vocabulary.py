"""Which Label Studio tags are controls, objects and options, keyed by lowercase name.

Label Studio's editor matches tag names case-insensitively, so lookups here do too;
the tag name as written is still kept everywhere else because the server side of
Label Studio (parsed_label_config, export formats) compares it case-sensitively.
"""

# Every control tag in the Label Studio docs and SDK 2.1.2, lowercase -> canonical spelling.
CONTROL_TAGS: dict[str, str] = {
    t.lower(): t
    for t in (
        "Choices", "Labels", "Taxonomy", "TextArea", "Rating", "Number", "DateTime",
        "Ranker", "Pairwise", "Relations",
        "Rectangle", "RectangleLabels", "Polygon", "PolygonLabels",
        "Ellipse", "EllipseLabels", "KeyPoint", "KeyPointLabels",
        "Brush", "BrushLabels", "Bitmask", "BitmaskLabels", "MagicWand",
        "Vector", "VectorLabels", "OcrLabels",
        "HyperTextLabels", "ParagraphLabels", "TimeSeriesLabels", "TimelineLabels",
        "VideoRectangle", "VideoVector", "VideoVectorLabels",
        "ChatMessage", "ReactCode", "CustomInterface",
    )
}

# Controls that may stand without `toName`: Relations links regions and has no target,
# the rest are self-referencing tags whose attribute rules we cannot verify, so we let
# them through the way Label Studio's server does.
# Rating without toName appears in Label Studio's own templates and LS accepts it.
NO_TO_NAME = frozenset({"relations", "chatmessage", "reactcode", "custominterface", "rating"})
# Relations is documented without `name` (one per config, results carry type "relation").
NO_NAME = frozenset({"relations"})

# Object tags: they show task data and need both `name` and `value` (or `valueList`).
OBJECT_TAGS: dict[str, str] = {
    t.lower(): t
    for t in (
        "Image", "Text", "HyperText", "Audio", "AudioPlus", "Video", "Paragraphs",
        "Table", "TimeSeries", "List", "Chat", "Pdf",
    )
}

# Children whose value (or alias) is one label of the enclosing control.
OPTION_TAGS = frozenset({"Label", "Choice", "Relation"})

# Tags that carry name and toName but are not controls (Filter points at a Labels control).
NOT_CONTROL_TAGS = frozenset({"Filter"})

# Label Studio's own hint of what answers with a single value; the prediction
# normaliser uses a narrower table, see compat.SINGLE_VALUED_TYPES.
SINGLE_VALUE_TYPES = frozenset({"choices", "rating", "number", "datetime", "textarea"})
