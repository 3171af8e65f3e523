"""A Pascal VOC folder (Annotations/*.xml, JPEGImages/ or images/) -> images with percent boxes.

Coordinates are read as 0-based pixels, as Label Studio's VOC export writes them. Errors name the XML file
and the line of the element at fault; expat gives us the line while it parses.
"""
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..errors import ValidationFailed
from .common import Dataset, ImageIndex, ParsedImage, box, image_size, number, relative


@dataclass
class Node:
    tag: str
    line: int
    text: str = ""
    children: list["Node"] = field(default_factory=list)

    def child(self, tag: str) -> "Node | None":
        return next((c for c in self.children if c.tag == tag), None)

    def value(self, tag: str) -> str | None:
        node = self.child(tag)
        return node.text.strip() if node is not None else None


class _Builder:
    def __init__(self):
        self.expat = None
        self.stack: list[Node] = []
        self.root: Node | None = None

    def start(self, tag, attrs):
        node = Node(tag, self.expat.CurrentLineNumber)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def data(self, text):
        if self.stack:
            self.stack[-1].text += text

    def end(self, tag):
        self.stack.pop()

    def close(self):
        return self.root


def read_xml(path: Path, name: str) -> Node:
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)  # no DOCTYPE: no entity bombs
    builder.expat = parser.parser
    try:
        parser.feed(path.read_bytes())
        root = parser.close()
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        raise ValidationFailed(f"{name} line {line}: not valid XML ({str(exc).split(':')[0]}).") from None
    except DefusedXmlException:
        raise ValidationFailed(f"{name}: a DOCTYPE or entity declaration is not allowed.") from None
    return root


def _size(doc: Node, name: str, path: Path | None) -> tuple[int, int]:
    size = doc.child("size")
    if size is not None:
        where = f"{name} line {size.line}"
        width, height = (number(size.value(k) or 0, where, k) for k in ("width", "height"))
        if width > 0 and height > 0:
            return int(width), int(height)
    if path is None:
        raise ValidationFailed(f"{name}: no <size> with width and height, and the image is not in the dataset "
                               "to read them from.")
    return image_size(path, name)


def parse_file(path: Path, name: str, index: ImageIndex) -> ParsedImage | None:
    doc = read_xml(path, name)
    if doc is None or doc.tag != "annotation":
        return None  # another XML file that happens to sit in the folder
    filename = doc.value("filename")
    if not filename:
        raise ValidationFailed(f"{name} line {doc.line}: <annotation> has no <filename>.")
    folder = doc.value("folder")
    image_path = (index.find(f"{folder}/{filename}") if folder else None) or index.find(filename)
    width, height = _size(doc, name, image_path)
    image = ParsedImage(relative(image_path, index.directory) if image_path else filename, image_path,
                        width, height, where=name)
    for obj in (c for c in doc.children if c.tag == "object"):
        label, bndbox = obj.value("name"), obj.child("bndbox")
        if not label:
            raise ValidationFailed(f"{name} line {obj.line}: <object> has no <name>.")
        if bndbox is None:
            raise ValidationFailed(f"{name} line {obj.line}: <object> {label!r} has no <bndbox>.")
        where = f"{name} line {bndbox.line}"
        xmin, ymin, xmax, ymax = (number(bndbox.value(k), f"{name} line {(bndbox.child(k) or bndbox).line}", k)
                                  for k in ("xmin", "ymin", "xmax", "ymax"))
        wrong = [k for k, bad in (("xmin", xmin < 0), ("ymin", ymin < 0), ("xmax", xmax > width or xmax <= xmin),
                                  ("ymax", ymax > height or ymax <= ymin)) if bad]
        if wrong:
            raise ValidationFailed(f"{name} line {bndbox.child(wrong[0]).line}: the box of {label!r} (xmin {xmin:g}, "
                                   f"ymin {ymin:g}, xmax {xmax:g}, ymax {ymax:g}) is not inside the "
                                   f"{width}x{height} image.")
        image.regions.append(box(label, xmin, ymin, xmax - xmin, ymax - ymin, width, height, where))
    return image


def parse(root: Path, index: ImageIndex) -> Dataset:
    files = sorted(p for p in root.rglob("*.xml") if not any(s.startswith(".") for s in p.relative_to(root).parts))
    images = [img for img in (parse_file(p, relative(p, root), index) for p in files) if img is not None]
    if not images:
        raise ValidationFailed("No Pascal VOC files found: expected Annotations/*.xml with an <annotation> root.")
    classes = list(dict.fromkeys(r.label for img in images for r in img.regions))
    return Dataset(classes, images)
