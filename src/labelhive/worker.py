"""In-process background work: webhook deliveries and long jobs run on a few threads, never in the request.

Webhook deliveries get a Worker of their own (app.state.webhook_worker): a receiver that never answers holds
a thread for a minute per attempt, and must not hold up the exports, syncs and predictions people wait for.

Daemon threads on a queue rather than a ThreadPoolExecutor: the executor's threads are joined at
interpreter exit, so a webhook retrying against a dead receiver would hold up shutdown for minutes.
"""
import logging
import queue
import threading

log = logging.getLogger("labelhive.worker")


class Worker:
    def __init__(self, threads: int = 4, name: str = "worker"):
        self._queue: queue.Queue = queue.Queue()
        self._threads = [threading.Thread(target=self._run, name=f"labelhive-{name}-{i}", daemon=True)
                         for i in range(threads)]
        for t in self._threads:
            t.start()

    leases = None  # set by the app: a services.leases.Leases that renews what is held here

    def submit(self, fn, *args, lease: tuple[type, int] | None = None, **kwargs) -> None:
        """Queue fn(*args, **kwargs). With `lease` (a model and a row id), the row's lease is held from now
        until fn returns, so a process that dies meanwhile leaves the row to be marked failed."""
        if lease and self.leases:
            self.leases.hold(*lease)
        self._queue.put((fn, args, kwargs, lease))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            fn, args, kwargs, lease = item
            try:
                fn(*args, **kwargs)
            except Exception:
                log.exception("background work failed: %s", getattr(fn, "__name__", fn))
            finally:
                if lease and self.leases:
                    self.leases.release(*lease)

    def shutdown(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
