"""Audio and video are served with HTTP range requests, so a player seeks without downloading the whole file
(Chromium will not seek at all in a file served without them). Uploaded files and attached folders both."""
import dataclasses

import pytest

from media_fixtures import tones_wav

AUDIO = '<View><Audio name="audio" value="$audio"/><Labels name="l" toName="audio"><Label value="x"/></Labels></View>'
VIDEO = '<View><Video name="video" value="$video"/><Choices name="c" toName="video"><Choice value="x"/></Choices></View>'
# Bytes that only need to be distinct at every offset: the server does not look inside media files.
MP4 = bytes(range(256)) * 400


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "media"
    (root / "clips").mkdir(parents=True)
    (root / "clips" / "a.mp4").write_bytes(MP4)
    return root


@pytest.fixture
def settings(settings, root):
    """conftest's settings, with this module's folder as the local files root."""
    return dataclasses.replace(settings, local_files_root=root)


@pytest.fixture
def lh(client):
    return client


def upload(lh, config: str, name: str, data: bytes, mime: str) -> str:
    pid = lh.post("/api/projects", json={"title": name, "label_config": config}).json()["id"]
    r = lh.post(f"/api/projects/{pid}/import", files=[("file", (name, data, mime))])
    assert r.status_code == 201, r.text
    (task,) = lh.get("/api/tasks", params={"project": pid}).json()["tasks"]
    return next(iter(task["data"].values()))


def check_ranges(lh, url: str, data: bytes, mime: str) -> None:
    whole = lh.get(url)
    assert whole.status_code == 200
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-type"].startswith(mime)
    assert whole.content == data

    part = lh.get(url, headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(data)}"
    assert part.headers["content-length"] == "1000"
    assert part.content == data[1000:2000]

    # What a player asks first (open-ended) and for a trailing index (suffix).
    head = lh.get(url, headers={"Range": "bytes=0-"})
    assert head.status_code == 206 and head.content == data
    tail = lh.get(url, headers={"Range": "bytes=-100"})
    assert tail.status_code == 206
    assert tail.headers["content-range"] == f"bytes {len(data) - 100}-{len(data) - 1}/{len(data)}"
    assert tail.content == data[-100:]

    past = lh.get(url, headers={"Range": f"bytes={len(data) + 10}-"})
    assert past.status_code == 416


def test_uploaded_wav_answers_range_requests(lh):
    wav = tones_wav([(440, 1.0), (0, 0.5), (660, 1.0)])
    url = upload(lh, AUDIO, "tones.wav", wav, "audio/wav")
    assert url.startswith("/data/upload/")
    check_ranges(lh, url, wav, "audio/")


def test_uploaded_mp4_answers_range_requests(lh):
    url = upload(lh, VIDEO, "clip.mp4", MP4, "video/mp4")
    check_ranges(lh, url, MP4, "video/mp4")


def test_local_file_video_answers_range_requests(lh, root):
    pid = lh.post("/api/projects", json={"title": "V", "label_config": VIDEO}).json()["id"]
    sid = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(root / "clips"),
                                                    "use_blob_urls": True}).json()["id"]
    assert lh.post(f"/api/storages/localfiles/{sid}/sync").json()["last_sync_count"] == 1
    (task,) = lh.get("/api/tasks", params={"project": pid}).json()["tasks"]
    assert task["data"]["video"] == "/data/local-files/?d=clips/a.mp4"
    check_ranges(lh, task["data"]["video"], MP4, "video/mp4")


def test_ranges_need_a_login(lh):
    url = upload(lh, VIDEO, "clip.mp4", MP4, "video/mp4")
    assert lh.get(url, headers={"Range": "bytes=0-9", "Authorization": "Token nope"}).status_code == 401
