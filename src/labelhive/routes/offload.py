"""Running an async route's slow part on a worker thread without holding its transaction across the await.

A write route's first query begins its transaction; on SQLite that takes the write lock (BEGIN IMMEDIATE).
Queries that may wait for that lock must never run on the event loop: a handler waiting there holds up the
loop, and with it whatever would release the lock (another request's teardown, a thread's result), so every
request stalls until SQLite's busy timeout (30 s). Write routes are therefore plain `def` (FastAPI runs them
on a thread; JSON bodies come from the params.JsonObject dependency), and async routes do their queries in
threads, as here.
"""
from starlette.concurrency import run_in_threadpool

from ..db import release


async def in_thread(session, fn, *args):
    """fn(*args) off the event loop, after ending the session's transaction (what it read stays loaded)."""
    release(session)
    return await run_in_threadpool(fn, *args)
