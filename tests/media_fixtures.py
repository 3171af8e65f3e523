"""Test media made without ffmpeg: a WAV of tones (wave + numpy), and a WebM whose VP8 frames Chromium itself
encodes (WebCodecs, with exact timestamps) and this module wraps in a minimal Matroska container with a
duration and cues, so the browser knows the length and seeks to any frame. MediaRecorder was the other
option; its files have no duration and real-time (jittery) timestamps, which frame-exact tests cannot use."""
import base64
import io
import struct
import wave

import numpy as np


def tones_wav(segments: list[tuple[float, float]], rate: int = 8000) -> bytes:
    """A mono 16-bit WAV of (frequency Hz, seconds) segments; frequency 0 is silence."""
    parts = []
    for freq, seconds in segments:
        t = np.arange(int(rate * seconds)) / rate
        parts.append(0.6 * np.sin(2 * np.pi * freq * t) if freq else np.zeros_like(t))
    samples = (np.concatenate(parts) * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return out.getvalue()


# ---- WebM ------------------------------------------------------------------------------------------------------

def _size(n: int) -> bytes:
    """An EBML size as 8 bytes (marker 0x01): always valid, and no size has to be known before its children."""
    return b"\x01" + n.to_bytes(7, "big")


def _el(element_id: int, payload: bytes) -> bytes:
    return element_id.to_bytes((element_id.bit_length() + 7) // 8, "big") + _size(len(payload)) + payload


def _uint(element_id: int, value: int) -> bytes:
    return _el(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def webm(frames: list[tuple[int, bytes]], width: int, height: int, duration_ms: float) -> bytes:
    """VP8 key frames as (timestamp ms, bytes) -> a WebM file: one cluster and one cue per frame."""
    header = _el(0x1A45DFA3, _uint(0x4286, 1) + _uint(0x42F7, 1) + _uint(0x42F2, 4) + _uint(0x42F3, 8)
                 + _el(0x4282, b"webm") + _uint(0x4287, 2) + _uint(0x4285, 2))
    info = _el(0x1549A966, _uint(0x2AD7B1, 1_000_000) + _el(0x4489, struct.pack(">d", duration_ms))
               + _el(0x4D80, b"labelhive-tests") + _el(0x5741, b"labelhive-tests"))
    video = _el(0xE0, _uint(0xB0, width) + _uint(0xBA, height))
    tracks = _el(0x1654AE6B, _el(0xAE, _uint(0xD7, 1) + _uint(0x73C5, 1) + _uint(0x83, 1) + _el(0x86, b"V_VP8")
                                 + _uint(0x9C, 0) + video))
    body = info + tracks
    cues = b""
    for ts, data in frames:
        # SimpleBlock: track 1 (as a 1-byte vint), time relative to the cluster, flags 0x80 = key frame.
        cluster = _el(0x1F43B675, _uint(0xE7, ts) + _el(0xA3, b"\x81" + struct.pack(">h", 0) + b"\x80" + data))
        cues += _el(0xBB, _uint(0xB3, ts) + _el(0xB7, _uint(0xF7, 1) + _uint(0xF1, len(body))))
        body += cluster
    return header + _el(0x18538067, body + _el(0x1C53BB6B, cues))


# Drawn and encoded in the page: frame i shows its number and a white square moving right by 4 px per frame.
ENCODE_JS = """async ({count, fps, width, height}) => {
  const chunks = [];
  let failure = null;
  const encoder = new VideoEncoder({
    output: (chunk) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      let s = '';
      for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
      chunks.push({ts: Math.round(chunk.timestamp / 1000), data: btoa(s)});
    },
    error: (e) => { failure = String(e); },
  });
  encoder.configure({codec: 'vp8', width, height, bitrate: 400_000, framerate: fps});
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d');
  for (let i = 0; i < count; i++) {
    g.fillStyle = `hsl(${(i * 37) % 360} 60% 35%)`;
    g.fillRect(0, 0, width, height);
    g.fillStyle = '#fff';
    g.fillRect(10 + 4 * i, height / 2 - 10, 20, 20);
    g.font = 'bold 28px sans-serif';
    g.fillText(String(i), 8, 32);
    const frame = new VideoFrame(canvas, {timestamp: Math.round(i * 1e6 / fps), duration: Math.round(1e6 / fps)});
    encoder.encode(frame, {keyFrame: true});
    frame.close();
  }
  await encoder.flush();
  if (failure) throw new Error(failure);
  return chunks;
}"""


def encode_webm(page, count: int = 30, fps: int = 10, width: int = 320, height: int = 240) -> bytes:
    """A count-frame VP8 WebM at fps, encoded by the page's Chromium (WebCodecs needs an http://127.0.0.1 page)."""
    chunks = page.evaluate(ENCODE_JS, {"count": count, "fps": fps, "width": width, "height": height})
    frames = [(c["ts"], base64.b64decode(c["data"])) for c in chunks]
    return webm(frames, width, height, duration_ms=count * 1000 / fps)
