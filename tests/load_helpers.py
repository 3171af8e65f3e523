"""Load that other clients put on a server: shared by tests/test_latency_under_load.py and
benchmarks/latency_bench.py."""
import socket
import threading
import time

import httpx


def trickling_server(body: bytes, byte_delay: float):
    """A loopback HTTP server that sends its answer one byte at a time; returns (url, stop)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stopped = threading.Event()

    def serve():
        while not stopped.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n")
                for i in range(len(body)):
                    if stopped.is_set():
                        return
                    conn.sendall(body[i:i + 1])
                    time.sleep(byte_delay)

    threading.Thread(target=serve, daemon=True).start()

    def stop():
        stopped.set()
        listener.close()
    return f"http://127.0.0.1:{listener.getsockname()[1]}/tasks.json", stop


def flood_wrong_passwords(url: str, until: threading.Event, outcomes: list):
    with httpx.Client(base_url=url, timeout=60) as c:
        page = c.get("/user/login")
        csrf = page.cookies.get("csrftoken")
        while not until.is_set():
            r = c.post("/user/login", data={"email": "admin@example.com", "password": "wrong-password",
                                            "csrfmiddlewaretoken": csrf})
            outcomes.append(r.status_code)
