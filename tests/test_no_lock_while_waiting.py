"""A request that waits on another server holds no transaction meanwhile (issue 16): on SQLite that would be
the write lock, and every annotator's save would wait with it. While an ML backend takes its time to answer
the handshake, and while a storage endpoint takes its time to answer a "validate connection", another
client's annotation save goes through at once."""
import socket
import threading

import httpx
import pytest

from server import live_server

CONFIG = ('<View><Text name="text" value="$text"/><Choices name="c" toName="text">'
          '<Choice value="yes"/></Choices></View>')
RESULT = [{"from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": ["yes"]}}]


def holding_server(release: threading.Event) -> str:
    """A loopback server that reads a request and answers nothing until `release` is set, then closes."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve():
        conn, _ = listener.accept()
        with conn, listener:
            conn.recv(65536)
            release.wait(60)
    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.parametrize("waiting_on", ["ml backend", "storage endpoint"])
def test_a_save_goes_through_while_another_request_waits_on_a_server(tmp_path, waiting_on):
    with live_server(tmp_path / "data") as server, \
            httpx.Client(base_url=server.url, headers=server.headers, timeout=60) as api:
        pid = api.post("/api/projects", json={"title": "P", "label_config": CONFIG}).json()["id"]
        task = api.post(f"/api/projects/{pid}/import?return_task_ids=true",
                        json=[{"text": "a"}]).json()["task_ids"][0]
        release = threading.Event()
        url = holding_server(release)
        if waiting_on == "ml backend":
            call = ("POST", "/api/ml", {"project": pid, "url": url, "title": "slow"})
        else:
            call = ("POST", "/api/storages/s3/validate", {"project": pid, "bucket": "b", "s3_endpoint": url,
                                                          "aws_access_key_id": "k", "aws_secret_access_key": "s"})
        answer = {}
        waiting = threading.Thread(target=lambda: answer.update(r=httpx.request(
            call[0], server.url + call[1], json=call[2], headers=server.headers, timeout=120)))
        waiting.start()
        try:
            # The other request is now waiting on the held connection; a save must not wait on it.
            saved = httpx.post(f"{server.url}/api/tasks/{task}/annotations", json={"result": RESULT},
                               headers=server.headers, timeout=10)
            assert saved.status_code == 201, saved.text
        finally:
            release.set()
            waiting.join(120)
        assert 400 <= answer["r"].status_code < 500, answer["r"].text  # it could not reach it: a clear 4xx
