"""ASR_MANIFEST: manifest.json, one JSON line per transcribed audio file (NVIDIA NeMo's format), and audio/.

The audio is copied from uploads and attached folders; a file this server does not hold, or that is not
a WAV (the duration is read from its header), is left out, as Label Studio's converter leaves it out.
Two fixes to the converter: a task without a transcript is skipped instead of stopping the export, and
a file from an attached folder is listed as audio/<name> (the converter writes its path on the server).
"""
import json
import shutil
import wave
from collections.abc import Iterable
from pathlib import Path

from .items import ExportContext, annotator, iter_items


def _duration(path: Path) -> float:
    with wave.open(str(path), mode="rb") as f:
        return f.getnframes() / float(f.getframerate())


def write_asr(tasks: Iterable[dict], ctx: ExportContext, out_dir: Path) -> None:
    audio_dir = out_dir / "audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    key = ctx.data_key
    with open(out_dir / "manifest.json", "w") as out:
        for item in iter_items(tasks, ctx.controls):
            url = item.data.get(key)
            source = ctx.media(url) if isinstance(url, str) else None
            if source is None or not source.is_file():
                ctx.note(f"Audio {url} is not readable by this server; left out of the manifest.")
                continue
            target = audio_dir / source.name
            if not target.exists():
                shutil.copyfile(source, target)
            try:
                duration = _duration(target)
            except (wave.Error, EOFError, OSError):
                ctx.note(f"Audio {url} is not a WAV file; left out of the manifest.")
                continue
            texts = next((regions for regions in item.regions.values() if "text" in regions[0]), None)
            if not texts or not texts[0]["text"]:
                continue
            record = {"audio_filepath": f"audio/{source.name}", "duration": duration, "text": texts[0]["text"][0],
                      "annotator": annotator(item.completed_by, "")}
            out.write(json.dumps(record) + "\n")
