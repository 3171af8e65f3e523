"""An hour of audio in the labeling editor, in Debian's Chromium against a real `labelhive start`: a 57.6 MB WAV
(8 kHz mono 16-bit) uploaded through the import API, its waveform drawn, a seek to the last minutes, and a
segment at minute 59 whose start and end are checked through the API. Screenshot:
tests/artifacts/media-05*.png. Timings of each step are printed (pytest -s) to see what is slow."""
import time
import wave

import numpy as np

from editor_session import browser, http, page, server, submit  # noqa: F401 (fixtures)
from test_editor_media import AUDIO, only_annotation, shot, wave_x
from test_editor import expect

RATE = 8000
HOUR = 3600


def hour_wav(path) -> None:
    """An hour of a 440 Hz tone whose loudness steps every minute (so the waveform has a shape), written
    one minute at a time so the test never holds the whole file in memory twice."""
    t = np.arange(60 * RATE) / RATE
    tone = np.sin(2 * np.pi * 440 * t)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        for minute in range(HOUR // 60):
            w.writeframes((tone * (0.15 + 0.7 * (minute % 10) / 9) * 32767).astype("<i2").tobytes())


WAVE_PIXELS = """() => {
  const c = document.querySelector('[data-testid=waveform-audio] canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] === 0x64 && d[i + 1] === 0x74 && d[i + 2] === 0x8b) n++;
  return n;
}"""


def test_an_hour_of_audio(page, http, tmp_path):
    steps = {}
    t0 = time.perf_counter()
    path = tmp_path / "hour.wav"
    hour_wav(path)
    assert path.stat().st_size == 44 + HOUR * RATE * 2
    steps["generate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    pid = http.post("/api/projects", json={"title": "An hour", "label_config": AUDIO}).json()["id"]
    with path.open("rb") as f:
        http.post(f"/api/projects/{pid}/import", files=[("file", ("hour.wav", f, "audio/wav"))]).raise_for_status()
    (t,) = http.get("/api/tasks", params={"project": pid}).json()["tasks"]
    tid = t["id"]
    steps["upload"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    page.goto(f"/projects/{pid}/label/{tid}")
    time_shown = page.get_by_test_id("audio-time")
    expect(time_shown).to_have_text("0:00.000 / 1:00:00.000")
    steps["duration known"] = time.perf_counter() - t0
    page.wait_for_function("() => !document.querySelector('[data-testid=waveform-status]')", timeout=30_000)
    steps["waveform drawn"] = time.perf_counter() - t0
    assert page.evaluate(WAVE_PIXELS) > 5000
    shot(page, "05a-hour-waveform")

    # Seek by clicking near the end of the whole-file view, then step by keyboard.
    waveform = page.get_by_test_id("waveform-audio")
    y = waveform.bounding_box()["y"] + 40
    page.mouse.click(wave_x(page, 3540), y)
    expect(time_shown).to_contain_text(re_minute(59))
    page.keyboard.press("Shift+ArrowRight")
    seconds = clock(time_shown.inner_text())
    assert 3540 <= seconds <= 3560
    # Zoom in around the playhead (it keeps its place on screen, near the right end) to 30 px a second.
    while float(waveform.get_attribute("data-px-per-sec")) < 30:
        page.keyboard.press("+")
    assert page.evaluate(WAVE_PIXELS) > 1000

    t0 = time.perf_counter()
    page.get_by_role("button", name="Speech").click()
    a, b = seconds - 4, seconds - 1  # in minute 59
    page.mouse.move(wave_x(page, a), y)
    page.mouse.down()
    page.mouse.move(wave_x(page, b), y, steps=6)
    page.mouse.up()
    expect(page.locator(".segment.selected")).to_have_count(1)
    expect(page.get_by_test_id("region-1")).to_contain_text("59:01.")
    assert not clipped(page.get_by_test_id("region-1"), "59:01.")
    shot(page, "05b-hour-segment")
    submit(page)
    labels, = only_annotation(page, http, tid)["result"]
    steps["segment saved"] = time.perf_counter() - t0
    start, end = labels["value"]["start"], labels["value"]["end"]
    # A pixel is 1/30 s at this zoom.
    assert abs(start - a) < 0.1 and abs(end - b) < 0.1 and 59 * 60 <= start
    assert labels["value"] == {"start": start, "end": end, "channel": 0, "labels": ["Speech"]}
    print("an hour of audio:", ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))


# What hides part of the first text containing `needle` in a row: each box around it that cuts it off or
# overflows, so an ellipsis ("59:01.0...") fails even though the whole text is in the DOM.
CLIPPED = """(row, needle) => {
  const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && !node.data.includes(needle));
  if (!node) return [`no text with ${needle}`];
  const range = document.createRange();
  range.selectNodeContents(node);
  const text = range.getBoundingClientRect();
  const problems = [];
  for (let el = node.parentElement; el; el = el === row ? null : el.parentElement) {
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth) problems.push(`${el.className} overflows`);
    if (getComputedStyle(el).overflowX !== "visible" && (text.left < box.left - 0.5 || text.right > box.right + 0.5))
      problems.push(`${el.className} cuts off ${node.data}`);
  }
  return problems;
}"""


def clipped(row, needle: str) -> list[str]:
    return row.evaluate(CLIPPED, needle)


def test_the_region_list_shows_a_long_segment_in_full(page, http, tmp_path):
    """A segment ending at the hour, as a saved annotation: its row shows both times whole, selected or not."""
    path = tmp_path / "hour.wav"
    hour_wav(path)
    pid = http.post("/api/projects", json={"title": "Long times", "label_config": AUDIO}).json()["id"]
    with path.open("rb") as f:
        http.post(f"/api/projects/{pid}/import", files=[("file", ("hour.wav", f, "audio/wav"))]).raise_for_status()
    (t,) = http.get("/api/tasks", params={"project": pid}).json()["tasks"]
    segment = {"from_name": "speaker", "to_name": "audio", "type": "labels",
               "value": {"start": 3541.25, "end": 3600, "channel": 0, "labels": ["Speech"]}}
    http.post(f"/api/tasks/{t['id']}/annotations", json={"result": [segment]}).raise_for_status()

    page.goto(f"/projects/{pid}/label/{t['id']}")
    expect(page.get_by_test_id("audio-time")).to_have_text("0:00.000 / 1:00:00.000")
    row = page.get_by_test_id("region-1")
    times = "59:01.250–1:00:00.000"
    expect(row).to_contain_text(times)
    shot(page, "05c-hour-region-list")
    assert clipped(row, times) == []
    # Selected, the row also holds the label picker and the Relate button shows: still whole.
    row.click()
    expect(row.get_by_label("Change label")).to_be_visible()
    shot(page, "05d-hour-region-selected")
    assert clipped(row, times) == []


def re_minute(minute: int):
    import re
    return re.compile(rf"^{minute}:\d\d\.\d{{3}} / 1:00:00\.000$")


def clock(text: str) -> float:
    """ "59:05.123 / 1:00:00.000" -> 3545.123"""
    m, s = text.split(" / ")[0].split(":")
    return int(m) * 60 + float(s)
