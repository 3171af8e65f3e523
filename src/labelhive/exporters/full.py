"""The JSON export: Label Studio's full task list, one task per line so it can be read back as a stream."""
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import orjson

from ..responses import JSON_OPTIONS


def write_json(tasks: Iterable[dict], out: BinaryIO) -> int:
    out.write(b"[")
    n = 0
    for task in tasks:
        out.write(b"\n" if n == 0 else b",\n")
        out.write(orjson.dumps(task, option=JSON_OPTIONS))
        n += 1
    out.write(b"\n]" if n else b"]")
    return n


def read_json_lines(path) -> Iterator[dict]:
    """Read back a file written by write_json without loading it whole."""
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if line in (b"[", b"]", b"[]", b""):
                continue
            yield orjson.loads(line[:-1] if line.endswith(b",") else line)
