"""Server-side thumbnails from uploads and http(s) URLs, cached and rebuilt when the source changes."""
import http.server
import io
import os
import threading
import time

import pytest
from PIL import Image

from conftest import FLOWERS


def png(color, size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def pixel(jpeg: bytes):
    with Image.open(io.BytesIO(jpeg)) as img:
        assert img.format == "JPEG"
        return img.size, img.convert("RGB").getpixel((10, 10))


@pytest.fixture
def image_server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(*a, directory=str(root), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_thumbnail_of_an_upload_follows_the_file(client, settings):
    pid = client.post("/api/projects", json={"title": "F", "label_config": FLOWERS}).json()["id"]
    client.post(f"/api/projects/{pid}/import", files=[("file", ("red.png", png("red")))])
    task = client.get(f"/api/tasks?project={pid}").json()["tasks"][0]
    r = client.get(f"/api/tasks/{task['id']}/thumbnail?field=image_path&size=128")
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    size, color = pixel(r.content)
    assert size == (128, 96) and color[0] > 200 and color[2] < 50
    source = settings.media_dir / task["data"]["image_path"][len("/data/"):]
    source.write_bytes(png("blue"))
    later = time.time() + 5
    os.utime(source, (later, later))
    size, color = pixel(client.get(f"/api/tasks/{task['id']}/thumbnail?field=image_path&size=128").content)
    assert color[2] > 200 and color[0] < 50
    source.unlink()
    gone = client.get(f"/api/tasks/{task['id']}/thumbnail?field=image_path&size=128")
    assert gone.status_code == 404 and "deleted" in gone.json()["detail"]


def test_thumbnail_of_an_http_image_and_of_an_unreachable_one(client, image_server):
    root, base = image_server
    (root / "g.png").write_bytes(png("green", (300, 600)))
    pid = client.post("/api/projects", json={"title": "F", "label_config": FLOWERS}).json()["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=1", json=[
        {"image_path": f"{base}/g.png"}, {"image_path": "http://127.0.0.1:9/missing.png"}]).json()["task_ids"]
    r = client.get(f"/api/tasks/{ids[0]}/thumbnail?field=image_path&size=64")
    assert r.status_code == 200
    size, color = pixel(r.content)
    assert size == (32, 64) and color[1] > 100 and color[0] < 50
    bad = client.get(f"/api/tasks/{ids[1]}/thumbnail?field=image_path&size=64")
    assert bad.status_code == 404 and "Could not fetch" in bad.json()["detail"]
    wrong = client.get(f"/api/tasks/{ids[0]}/thumbnail?field=nope&size=64")
    assert wrong.status_code == 400 and "image_path" in wrong.json()["detail"]
