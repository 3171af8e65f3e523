"""Running a route's slow part on a worker thread without holding its database transaction across the await.

A route's first query begins its transaction; on SQLite that takes the write lock (BEGIN IMMEDIATE). Held
across `await run_in_threadpool(...)`, the lock stays taken while the event loop serves other requests, and
a request whose handler then queries on the loop waits there for the lock, holding up the loop, and with it
the very thread that would release it: every request stalls until SQLite's busy timeout (30 s).
"""
from starlette.concurrency import run_in_threadpool

from ..db import release


async def in_thread(session, fn, *args):
    """fn(*args) off the event loop, after ending the session's transaction (what it read stays loaded)."""
    release(session)
    return await run_in_threadpool(fn, *args)
