"""Background work never holds up or strands the jobs people wait for (issue 16): webhook deliveries to a
receiver that accepts and never answers (each attempt waits a minute) run on threads of their own, so an
export started meanwhile completes; and an export whose server is killed -9 is failed with its reason once
its lease ends, not left running forever."""
import socket
import threading
import time

from export_helpers import DETECTION, import_tasks, new_project, wait_for_snapshot

# Enough events to occupy every thread a shared pool would have (four), twice over.
EVENTS = 8
# Tasks enough that writing their snapshot outlasts the moment between its POST and the kill.
BIG = 60_000


class SilentReceiver:
    """A TCP server on loopback that accepts every connection and never sends a byte."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        self.held: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self._closed = True
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_a_webhook_to_a_dead_receiver_does_not_delay_an_export(client):
    receiver = SilentReceiver()
    try:
        pid = new_project(client, DETECTION)
        r = client.post("/api/webhooks", json={"project": pid, "url": receiver.url, "send_for_all_actions": True})
        assert r.status_code == 201, r.text
        for i in range(EVENTS):
            import_tasks(client, pid, [{"image": f"img-{i}.jpg"}])
        # The deliveries are under way: each holds a connection the receiver will never answer.
        end = time.monotonic() + 20
        while len(receiver.held) < 4 and time.monotonic() < end:
            time.sleep(0.05)
        assert len(receiver.held) >= 4, "the webhook deliveries did not start"

        r = client.post(f"/api/projects/{pid}/exports", json={"title": "while a receiver hangs"})
        assert r.status_code == 201, r.text
        # Well under the minute a single stuck delivery takes: a shared pool would still be waiting here.
        snap = wait_for_snapshot(client, pid, r.json()["id"], deadline_s=30)
        assert snap["status"] == "completed", snap
        assert snap["counters"]["task_number"] == EVENTS
    finally:
        receiver.close()


def test_an_export_cut_off_by_kill_9_is_taken_over_after_its_lease_not_left_running(tmp_path):
    """kill -9 the server while it writes a snapshot: nobody renews the snapshot's lease, so the server that
    comes up next takes the export over once the lease ends (2 s here), instead of in_progress forever, and
    it completes with every task; no half-written file is left beside it."""
    import httpx

    from server import live_server

    data, env = tmp_path / "data", {"LABELHIVE_JOB_LEASE_S": "2"}
    with live_server(data, extra_env=env) as first:
        with httpx.Client(base_url=first.url, headers=first.headers, timeout=120) as api:
            pid = api.post("/api/projects", json={"title": "Big", "label_config": DETECTION}).json()["id"]
            rows = [{"image": f"img-{i}.jpg", "note": "x" * 200} for i in range(BIG)]
            api.post(f"/api/projects/{pid}/import", json=rows).raise_for_status()
            eid = api.post(f"/api/projects/{pid}/exports", json={}).json()["id"]
        first.process.kill()  # SIGKILL: no shutdown code runs
        first.process.wait()
    with live_server(data, extra_env=env) as second:
        with httpx.Client(base_url=second.url, headers=second.headers, timeout=60) as api:
            end, snap = time.monotonic() + 60, None
            while time.monotonic() < end:
                snap = api.get(f"/api/projects/{pid}/exports/{eid}").json()
                if snap["status"] != "in_progress":
                    break
                time.sleep(0.2)
            assert snap["status"] == "completed", snap
            assert snap["counters"]["task_number"] == BIG
            exported = api.get(f"/api/projects/{pid}/exports/{eid}/download").json()
            assert len(exported) == BIG and exported[-1]["data"]["image"] == f"img-{BIG - 1}.jpg"
    assert not list((data / "export").glob("*.part"))
