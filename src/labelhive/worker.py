"""Threads that run queued work inside this process (queues.Embedded, and in-process chores on Redis setups).

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

    def submit(self, fn, *args, **kwargs) -> None:
        self._queue.put((fn, args, kwargs))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            fn, args, kwargs = item
            try:
                fn(*args, **kwargs)
            except Exception:
                log.exception("background work failed: %s", getattr(fn, "__name__", fn))

    def shutdown(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
