"""Background work that waits on the network never holds up the jobs people wait for (issue 16): webhook
deliveries to a receiver that accepts and never answers (each attempt waits a minute) run on threads of
their own, so an export started meanwhile completes as if there were no webhook."""
import socket
import threading
import time

from export_helpers import DETECTION, import_tasks, new_project, wait_for_snapshot

# Enough events to occupy every thread a shared pool would have (four), twice over.
EVENTS = 8


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
