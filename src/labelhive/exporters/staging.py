"""Small per-image files (YOLO label files, VOC XML) written straight into the export's zip.

Creating one small file on disk per image, then reading it back to zip it, was most of a YOLO or VOC
export's time (0.1-0.5 ms a file here). Writers hand such files to the export context instead.

Label Studio writes these files one after another into a folder, so a name written twice keeps the last
content. The annotations of one task come together and write the same names, so each task's files are
held until the next task starts and only the last version goes in. Two different tasks writing the same
name (two images with one base name) put two entries in the zip, in order: unzipping keeps the last, as
the folder would have.
"""
import warnings
import zipfile
from pathlib import Path


SMALL = 1024


class StagedZip:
    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.entries = 0
        self._group: object = None
        self._pending: dict[str, bytes] = {}

    def put(self, name: str, data: bytes, group: object) -> None:
        if group != self._group:
            self._flush()
            self._group = group
        self._pending[name] = data

    def _flush(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": see the module docstring
            for name, data in self._pending.items():
                # A label file of a few lines: deflate would save a few hundred bytes and costs more in
                # setting up its compressor than the rest of the write.
                self.zip.writestr(name, data, zipfile.ZIP_STORED if len(data) < SMALL else None)
        self.entries += len(self._pending)
        self._pending.clear()

    def close(self) -> None:
        self._flush()
        self.zip.close()
