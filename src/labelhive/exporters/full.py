"""The JSON export: Label Studio's full task list, one task per line so it can be read back as a stream."""
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import orjson

from ..responses import JSON_OPTIONS


def write_json(tasks: Iterable[dict], out: BinaryIO) -> int:
    counted = _Counted(tasks)
    for piece in json_pieces(counted):
        out.write(piece)
    return counted.n


class _Counted:
    def __init__(self, items: Iterable):
        self.items, self.n = items, 0

    def __iter__(self):
        for item in self.items:
            self.n += 1
            yield item


def json_pieces(tasks: Iterable[dict], piece_bytes: int = 0) -> Iterator[bytes]:
    """The JSON export's bytes: "[" at once, then tasks joined in pieces of about `piece_bytes` (0: one piece
    per task), then the closing bracket."""
    yield b"["
    buf, first = bytearray(), True
    for task in tasks:
        buf += b"\n" if first else b",\n"
        buf += orjson.dumps(task, option=JSON_OPTIONS)
        first = False
        if len(buf) >= piece_bytes:
            yield bytes(buf)
            buf.clear()
    buf += b"]" if first else b"\n]"
    yield bytes(buf)


def read_json_lines(path) -> Iterator[dict]:
    """Read back a file written by write_json without loading it whole."""
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if line in (b"[", b"]", b"[]", b""):
                continue
            yield orjson.loads(line[:-1] if line.endswith(b",") else line)
