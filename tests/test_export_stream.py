"""GET /api/projects/{id}/export?exportType=JSON is sent as it is read (issue 16): no file is written first, so
the download starts at once whatever the project's size; the bytes are the same JSON as before, and a client
that stops reading midway holds nothing up: saves go on meanwhile."""
import json

import httpx

from export_helpers import DETECTION
from server import live_server

TASKS = 20_000


def test_the_json_export_streams_and_a_paused_download_blocks_no_save(tmp_path):
    with live_server(tmp_path / "data") as server, \
            httpx.Client(base_url=server.url, headers=server.headers, timeout=60) as api:
        pid = api.post("/api/projects", json={"title": "Big", "label_config": DETECTION}).json()["id"]
        rows = [{"image": f"img-{i}.jpg", "note": "x" * 300} for i in range(TASKS)]
        ids = api.post(f"/api/projects/{pid}/import?return_task_ids=true", json=rows).json()["task_ids"]

        with api.stream("GET", f"/api/projects/{pid}/export", params={"exportType": "JSON", "download_all_tasks": "true"}) as r:
            assert r.status_code == 200
            assert "content-length" not in r.headers  # sent as it is made, not from a finished file
            assert r.headers["content-type"].startswith("application/json")
            assert r.headers["content-disposition"].startswith(f'attachment; filename="project-{pid}-at-')
            pieces = r.iter_bytes()
            body = bytearray(next(pieces))
            assert body.startswith(b"[")
            # The download is paused here: other work goes on.
            result = [{"from_name": "label", "to_name": "image", "type": "rectanglelabels",
                       "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["Car"]}}]
            saved = api.post(f"/api/tasks/{ids[-1]}/annotations", json={"result": result})
            assert saved.status_code == 201, saved.text
            assert api.patch(f"/api/projects/{pid}", json={"title": "Renamed"}).status_code == 200
            for piece in pieces:
                body += piece
        exported = json.loads(body)
        assert [t["id"] for t in exported] == ids
        assert exported[5]["data"] == rows[5]
        assert not list((tmp_path / "data" / "export").iterdir())  # nothing staged on disk

        empty = api.post("/api/projects", json={"title": "Empty", "label_config": DETECTION}).json()["id"]
        assert api.get(f"/api/projects/{empty}/export", params={"exportType": "JSON"}).json() == []
        bad = api.get(f"/api/projects/{pid}/export", params={"exportType": "NOPE"})
        assert bad.status_code == 400 and "NOPE" in bad.text
