"""A minimal model server speaking Label Studio's ML backend protocol, for tests of the server side.

It stands in for a third-party backend (the kind users write with label-studio-ml): it records what
it receives and predicts "rose" with a fixed score.
"""
import http.server
import json
import threading
import time


class ProtocolBackend:
    def __init__(self, model_version="v7", fail_predict=False, slow_seconds=0.0, malformed=False,
                 predict_only=False):
        """`predict_only`: no /versions, /webhook or /train, as the simplest backends have."""
        self.calls: list[tuple[str, dict]] = []
        self.finished: list[str] = []  # paths whose handler has returned, in order
        self.model_version = model_version
        self.fail_predict = fail_predict
        self.slow_seconds = slow_seconds
        self.malformed = malformed
        self.predict_only = predict_only
        backend = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                backend.calls.append((self.path, {}))
                if self.path == "/health":
                    return self._reply(200, {"status": "UP", "model_class": "Test"})
                if self.path == "/versions" and not backend.predict_only:
                    return self._reply(200, {"versions": ["v6", backend.model_version]})
                return self._reply(404, {})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                backend.calls.append((self.path, body))
                if self.path == "/setup":
                    return self._reply(200, {"model_version": backend.model_version})
                if self.path in ("/predict", "/webhook") and backend.slow_seconds:
                    time.sleep(backend.slow_seconds)
                try:
                    return self._post(body)
                finally:
                    backend.finished.append(self.path)

            def _post(self, body):
                if self.path == "/predict":
                    if backend.fail_predict:
                        return self._reply(500, {"error": "model crashed"})
                    if backend.malformed:
                        return self._reply(200, {"results": [{"result": "not-a-label", "score": "high"}
                                                             for _ in body["tasks"]]})
                    results = [{"result": [{"from_name": "class", "to_name": "image", "type": "choices",
                                            "value": {"choices": ["rose"]}}], "score": 0.42} for _ in body["tasks"]]
                    return self._reply(200, {"results": results})
                if self.path == "/webhook" and not backend.predict_only:
                    return self._reply(201, {"status": "ok"})
                return self._reply(404, {})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [p for p, _ in self.calls]

    def close(self):
        self.server.shutdown()
        self.server.server_close()  # stop listening too, so calls are refused rather than left hanging
