"""Turn label config XML into a Tag tree, safely and with line numbers."""

from __future__ import annotations

from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .errors import LabelConfigError
from .model import Tag


class _Builder:
    """ElementTree parser target that builds Tags directly.

    Building our own nodes (rather than ElementTree elements) is what lets us read the
    line of each start tag from expat while it is being parsed.
    """

    def __init__(self) -> None:
        self.expat = None  # set once the parser exists
        self.stack: list[Tag] = []
        self.texts: list[list[str]] = []
        self.root: Tag | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        node = Tag(tag=tag, attrs=dict(attrs), line=self.expat.CurrentLineNumber)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)
        self.texts.append([])

    def data(self, text: str) -> None:
        # Text between children (the "tail" in ElementTree terms) is joined into the
        # parent's text: configs use it only for Style/Header content.
        if self.texts:
            self.texts[-1].append(text)

    def end(self, tag: str) -> None:
        node = self.stack.pop()
        text = "".join(self.texts.pop())
        node.text = text if text.strip() else None

    def close(self) -> Tag | None:
        return self.root


def parse_xml(xml: str) -> Tag:
    if not isinstance(xml, str) or not xml.strip():
        raise LabelConfigError("Label config is empty: it needs at least <View></View>")
    builder = _Builder()
    # forbid_dtd as Label Studio does: no DOCTYPE means no entity expansion (XML bombs)
    # and no external references.
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    try:
        parser.feed(xml)
        root = parser.close()
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        reason = str(exc).split(":")[0]
        raise LabelConfigError(
            f"Label config is not valid XML: {reason} (column {column})", line=line
        ) from None
    except DefusedXmlException as exc:
        raise LabelConfigError(
            f"Label config must not contain a DOCTYPE or entity declarations ({type(exc).__name__})",
            line=parser.parser.CurrentLineNumber,
        ) from None
    if root is None:
        raise LabelConfigError("Label config has no root tag: wrap it in <View></View>")
    return root
