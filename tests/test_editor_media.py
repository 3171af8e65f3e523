"""Audio and video in the labeling editor, in Debian's Chromium against a real `labelhive start`: segments with
labels and a per-segment transcription on a generated WAV; video boxes on two keyframes with the frames
between them interpolated, timeline ranges and a classification on a WebM that Chromium itself encoded;
and a file that no browser can play. Results are checked through the API as exact JSON. Screenshots go to
tests/artifacts/media-*.png."""
import re

import pytest

from browser import ARTIFACTS
from media_fixtures import encode_webm, tones_wav
from editor_session import browser, http, page, server, submit  # noqa: F401 (fixtures)
from test_editor import expect, task, wait_for_annotation

AUDIO = """<View>
  <Audio name="audio" value="$audio"/>
  <Labels name="speaker" toName="audio">
    <Label value="Speech" background="#2563eb"/><Label value="Noise" background="#dc2626"/>
  </Labels>
  <TextArea name="transcript" toName="audio" perRegion="true" placeholder="Transcript of the segment"/>
</View>"""

VIDEO = """<View>
  <Video name="video" value="$video" framerate="10"/>
  <Labels name="objects" toName="video">
    <Label value="Square" background="#16a34a"/><Label value="Other" background="#9333ea"/>
  </Labels>
  <VideoRectangle name="box" toName="video"/>
  <TimelineLabels name="events" toName="video">
    <Label value="Moving" background="#f59e0b"/>
  </TimelineLabels>
  <Choices name="scene" toName="video" choice="single" showInline="true">
    <Choice value="Indoor"/><Choice value="Outdoor"/>
  </Choices>
</View>"""

# 3 s: 1 s of 440 Hz, 0.5 s of silence, 1.5 s of 660 Hz.
WAV = tones_wav([(440, 1.0), (0, 0.5), (660, 1.5)])


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"media-{name}.png"), full_page=True)


def new_task(http, config: str, title: str, name: str, data: bytes, mime: str) -> tuple[int, int, str]:
    """A project with one task made by uploading the file; returns (project, task, the file's URL)."""
    r = http.post("/api/projects", json={"title": title, "label_config": config})
    r.raise_for_status()
    pid = r.json()["id"]
    http.post(f"/api/projects/{pid}/import", files=[("file", (name, data, mime))]).raise_for_status()
    (t,) = http.get("/api/tasks", params={"project": pid}).json()["tasks"]
    return pid, t["id"], next(iter(t["data"].values()))


def only_annotation(page, http, tid: int) -> dict:
    (ann,) = wait_for_annotation(page, http, tid)
    return ann


# ---- audio -----------------------------------------------------------------------------------------------------

def wave_x(page, seconds: float) -> float:
    """Page x of a time on the waveform, from its own scale (pixels per second) and scroll."""
    box = page.get_by_test_id("waveform-audio").bounding_box()
    pps = float(page.get_by_test_id("waveform-audio").get_attribute("data-px-per-sec"))
    scroll = page.get_by_test_id("waveform-audio").evaluate("el => el.scrollLeft")
    return box["x"] + seconds * pps - scroll


def test_audio_segment_labeled_and_transcribed(page, http):
    pid, tid, url = new_task(http, AUDIO, "Audio", "tones.wav", WAV, "audio/wav")
    page.goto(f"/projects/{pid}/label/{tid}")
    waveform = page.get_by_test_id("waveform-audio")
    expect(page.get_by_test_id("audio-time")).to_have_text("0:00.000 / 0:03.000")
    page.wait_for_function("() => !document.querySelector('[data-testid=waveform-status]')")
    shot(page, "01-audio-waveform")

    # The keyboard: seek, speed, zoom, play and pause; all listed in the help.
    time = page.get_by_test_id("audio-time")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(time).to_have_text("0:02.000 / 0:03.000")
    page.keyboard.press("ArrowLeft")
    expect(time).to_have_text("0:01.000 / 0:03.000")
    page.keyboard.press("]")
    expect(page.get_by_label("Playback speed")).to_have_value("1.25")
    fit = float(waveform.get_attribute("data-px-per-sec"))
    page.keyboard.press("+")
    page.wait_for_function("fit => +document.querySelector('[data-testid=waveform-audio]').dataset.pxPerSec === fit * 1.5",
                           arg=fit)
    page.keyboard.press("-")
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_contain_text("Play / pause audio or video")
    expect(help_dialog).to_contain_text("Back: 1 s of audio, one video frame")
    shot(page, "01b-audio-hotkeys")
    page.keyboard.press("Escape")

    page.get_by_role("button", name="Speech").click()
    y = waveform.bounding_box()["y"] + 40
    page.mouse.move(wave_x(page, 1.5), y)
    page.mouse.down()
    page.mouse.move(wave_x(page, 2.25), y, steps=6)
    page.mouse.up()
    segment = page.locator(".segment.selected")
    expect(segment).to_have_count(1)
    row = page.get_by_test_id("region-1")
    expect(row).to_contain_text(re.compile(r"1\.(49|50)\d–2\.(24|25)"))
    # Stretch its end by dragging the edge; undo and redo that.
    page.mouse.move(wave_x(page, 2.25) - 1, y)
    page.mouse.down()
    page.mouse.move(wave_x(page, 2.5), y, steps=5)
    page.mouse.up()
    stretched = re.compile(r"–2\.(49|50)\d s")
    expect(row).to_contain_text(stretched)
    page.keyboard.press("Control+z")
    expect(row).to_contain_text(re.compile(r"–2\.(24|25)\d s"))
    page.keyboard.press("Control+Shift+z")
    expect(row).to_contain_text(stretched)
    page.get_by_placeholder("Transcript of the segment").fill("a high tone")
    page.keyboard.press("Enter")
    shot(page, "02-audio-segment")
    submit(page)

    ann = only_annotation(page, http, tid)
    labels, text = ann["result"]
    start, end = labels["value"]["start"], labels["value"]["end"]
    assert abs(start - 1.5) < 0.02 and abs(end - 2.5) < 0.02
    rid = labels["id"]
    assert ann["result"] == [
        {"id": rid, "from_name": "speaker", "to_name": "audio", "type": "labels", "origin": "manual",
         "value": {"start": start, "end": end, "channel": 0, "labels": ["Speech"]}},
        {"id": rid, "from_name": "transcript", "to_name": "audio", "type": "textarea", "origin": "manual",
         "value": {"start": start, "end": end, "channel": 0, "text": ["a high tone"]}},
    ]


# ---- video -----------------------------------------------------------------------------------------------------

def stage_point(page, x_pct: float, y_pct: float) -> tuple[float, float]:
    box = page.locator("[data-testid=video-video] .video-stage").bounding_box()
    return box["x"] + box["width"] * x_pct / 100, box["y"] + box["height"] * y_pct / 100


def drag(page, a, b, steps=8):
    page.mouse.move(*a)
    page.mouse.down()
    page.mouse.move(*b, steps=steps)
    page.mouse.up()


def shown_box(page) -> dict | None:
    g = page.locator("[data-testid=video-video] g[data-box]")
    if not g.count():
        return None
    return {k: float(g.get_attribute(f"data-{k}")) for k in ("x", "y", "width", "height")}


def picture_square_x(page) -> int:
    """Where the white square is in the video's current picture (the clip moves it 4 px a frame from x=10)."""
    return page.evaluate("""async () => {
      const v = document.querySelector('[data-testid=video-video] video');
      while (v.seeking || v.readyState < 2) await new Promise(r => setTimeout(r, 20));
      const c = document.createElement('canvas'); c.width = v.videoWidth; c.height = v.videoHeight;
      const g = c.getContext('2d'); g.drawImage(v, 0, 0);
      const row = g.getImageData(0, v.videoHeight / 2, v.videoWidth, 1).data;
      for (let i = 0; i < v.videoWidth; i++) if (row[4*i] > 200 && row[4*i+1] > 200 && row[4*i+2] > 200) return i;
      return -1;
    }""")


def square_settles_at(page, expected: int, tries: int = 40) -> int:
    """The square's x once the picture shows the frame asked for: after quick steps the element can report no
    seek in progress between two of them, on a busy machine, while a later one is still to come."""
    for _ in range(tries):
        x = picture_square_x(page)
        if x == expected:
            return x
        page.wait_for_timeout(50)
    return x


def go(page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def test_video_track_interpolates_between_keyframes(page, http):
    page.goto("/projects")  # WebCodecs needs a page on http://127.0.0.1
    clip = encode_webm(page, count=30, fps=10)
    pid, tid, _ = new_task(http, VIDEO, "Video", "moving.webm", clip, "video/webm")
    page.goto(f"/projects/{pid}/label/{tid}")
    frame = page.get_by_test_id("video-frame")
    expect(frame).to_have_text("Frame 1 / 30")
    expect(page.get_by_test_id("video-time")).to_have_text("0:00.000 / 0:03.000")

    # Frame-accurate stepping: the picture is the frame's own (frame n shows the square at 10 + 4n px).
    go(page, "ArrowRight", 4)
    expect(frame).to_have_text("Frame 5 / 30")
    assert square_settles_at(page, 10 + 4 * 5) == 10 + 4 * 5

    page.get_by_role("button", name="Square").click()
    drag(page, stage_point(page, 10, 40), stage_point(page, 30, 60))
    first = shown_box(page)
    assert first and abs(first["x"] - 10) < 1 and abs(first["width"] - 20) < 1

    go(page, "Shift+ArrowRight")  # one second: ten frames
    expect(frame).to_have_text("Frame 15 / 30")
    assert shown_box(page) == first  # held after the only keyframe
    drag(page, stage_point(page, 20, 50), stage_point(page, 60, 50))
    second = shown_box(page)
    assert abs(second["x"] - 50) < 1 and second["y"] == first["y"]
    expect(page.get_by_test_id("keyframe-bar")).to_contain_text("Keyframes: 5, 15")

    go(page, "ArrowLeft", 5)
    expect(frame).to_have_text("Frame 10 / 30")
    assert square_settles_at(page, 10 + 4 * 10) == 10 + 4 * 10
    middle = shown_box(page)
    assert middle == pytest.approx({k: (first[k] + second[k]) / 2 for k in first})
    expect(page.get_by_test_id("keyframe-bar")).to_contain_text("frame 10 is interpolated")
    page.wait_for_timeout(300)  # the compositor shows a stepped-to frame a moment after it is decoded
    shot(page, "03-video-interpolated")
    go(page, "ArrowLeft", 7)
    expect(frame).to_have_text("Frame 3 / 30")
    assert shown_box(page) is None  # before the first keyframe

    # A range of frames on the timeline, and a whole-video choice.
    page.get_by_role("button", name="Moving").click()
    ruler = page.get_by_test_id("timeline-ruler-video").bounding_box()
    per = ruler["width"] / 30
    y = ruler["y"] + ruler["height"] / 2
    drag(page, (ruler["x"] + 4.5 * per, y), (ruler["x"] + 19.5 * per, y))
    expect(page.get_by_test_id("region-2")).to_contain_text("frames 5–20")
    edge = page.locator(".timeline-span.editable .span-edge.end").bounding_box()
    # Grab the edge just inside the range's last frame.
    drag(page, (edge["x"] + 2, edge["y"] + edge["height"] / 2), (ruler["x"] + 21.5 * per, y))
    expect(page.get_by_test_id("region-2")).to_contain_text("frames 5–22")
    page.get_by_text("Outdoor").click()
    page.wait_for_timeout(300)
    shot(page, "04-video-timeline")
    submit(page)

    ann = only_annotation(page, http, tid)
    box, timeline, scene = ann["result"]
    k5, k15 = box["value"]["sequence"]
    for k, shown in ((k5, first), (k15, second)):
        assert {p: k[p] for p in shown} == pytest.approx(shown)
    keyframe = {"rotation": 0, "enabled": True}
    assert box == {
        "id": box["id"], "from_name": "box", "to_name": "video", "type": "videorectangle", "origin": "manual",
        "value": {"sequence": [{**k5, "frame": 5, "time": 0.5, **keyframe}, {**k15, "frame": 15, "time": 1.5, **keyframe}],
                  "framesCount": 30, "duration": 3, "labels": ["Square"]},
    }
    assert timeline == {
        "id": timeline["id"], "from_name": "events", "to_name": "video", "type": "timelinelabels", "origin": "manual",
        "value": {"ranges": [{"start": 5, "end": 22}], "timelinelabels": ["Moving"]},
    }
    assert scene == {"id": scene["id"], "from_name": "scene", "to_name": "video", "type": "choices",
                     "origin": "manual", "value": {"choices": ["Outdoor"]}}


def test_label_studio_video_results_load_and_save_unchanged(page, http):
    page.goto("/projects")
    clip = encode_webm(page, count=30, fps=10)
    pid, tid, _ = new_task(http, VIDEO, "Video from LS", "moving.webm", clip, "video/webm")

    def kf(frame, x, enabled=True):
        return {"frame": frame, "enabled": enabled, "rotation": 0, "x": x, "y": 20, "width": 10, "height": 15,
                "time": frame / 10}
    # Two lifespans: 3-8 (a disabled keyframe ends it) and 20 to the end.
    result = [
        {"id": "trk", "from_name": "box", "to_name": "video", "type": "videorectangle", "origin": "manual",
         "value": {"framesCount": 30, "duration": 3, "sequence": [kf(3, 10), kf(8, 40, False), kf(20, 60)],
                   "labels": ["Other"]}},
        {"id": "rng", "from_name": "events", "to_name": "video", "type": "timelinelabels", "origin": "manual",
         "value": {"ranges": [{"start": 2, "end": 4}], "timelinelabels": ["Moving"]}},
        {"id": "sc", "from_name": "scene", "to_name": "video", "type": "choices", "origin": "manual",
         "value": {"choices": ["Indoor"]}},
    ]
    created = http.post(f"/api/tasks/{tid}/annotations", json={"result": result})
    created.raise_for_status()
    page.goto(f"/projects/{pid}/label/{tid}")
    frame = page.get_by_test_id("video-frame")
    expect(frame).to_have_text("Frame 1 / 30")
    expect(page.get_by_test_id("region-1")).to_contain_text("frames 3–8, 20–30")
    expect(page.get_by_test_id("region-2")).to_contain_text("frames 2–4")
    assert shown_box(page) is None
    seen = {}
    for target in (5, 8, 9, 20, 25):
        go(page, "ArrowRight", target - int(frame.inner_text().split()[1]))
        expect(frame).to_have_text(f"Frame {target} / 30")
        seen[target] = shown_box(page)
    assert seen[5] == pytest.approx({"x": 10 + 30 * 2 / 5, "y": 20, "width": 10, "height": 15})
    assert seen[8]["x"] == 40 and seen[9] is None
    assert seen[20]["x"] == 60 and seen[25]["x"] == 60
    # Picked in the region list, a range or track shows its first frame when it is not on screen.
    go(page, "ArrowLeft", 15)
    expect(frame).to_have_text("Frame 10 / 30")
    page.get_by_test_id("region-2").click()
    expect(frame).to_have_text("Frame 2 / 30")
    page.get_by_test_id("region-1").click()
    expect(frame).to_have_text("Frame 3 / 30")
    go(page, "ArrowRight", 22)
    expect(frame).to_have_text("Frame 25 / 30")
    page.wait_for_timeout(300)
    shot(page, "06-video-from-label-studio")

    page.get_by_role("button", name="Update").click()
    before = created.json()["updated_at"]
    for _ in range(100):
        (ann,) = task(http, tid)["annotations"]
        if ann["updated_at"] != before:
            break
        page.wait_for_timeout(100)
    assert ann["updated_at"] != before
    assert ann["result"] == result


# ---- files a browser cannot play --------------------------------------------------------------------------------

@pytest.mark.parametrize("config,name,mime", [(VIDEO, "broken.mp4", "video/mp4"), (AUDIO, "broken.wav", "audio/wav")])
def test_unplayable_media_says_why(page, http, config, name, mime):
    pid, tid, url = new_task(http, config, f"Broken {name}", name, b"\x00not a media file\n" * 500, mime)
    page.goto(f"/projects/{pid}/label/{tid}")
    stored = url.rsplit("/", 1)[1]  # uploads are stored as <8 hex>-<name>
    expect(page.get_by_test_id("media-error")).to_have_text(
        f"This browser cannot play {stored}: unsupported format or codec. You can still skip the task.")
    shot(page, f"05-unplayable-{name.split('.')[1]}")
