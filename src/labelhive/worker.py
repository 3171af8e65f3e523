"""In-process background work: webhook deliveries and long jobs run on a few threads, never in the request."""
import logging
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger("labelhive.worker")


class Worker:
    def __init__(self, threads: int = 4):
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="labelhive-worker")

    def submit(self, fn, *args, **kwargs) -> Future:
        future = self._pool.submit(fn, *args, **kwargs)
        future.add_done_callback(_log_failure)
        return future

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _log_failure(future: Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("background work failed", exc_info=future.exception())
