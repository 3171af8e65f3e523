"""FastAPI dependencies: the database session, settings and the authenticated user.

The cheap ones are async on purpose: a sync dependency costs a thread-pool round trip per request,
which was most of the latency of small requests such as a cached thumbnail.
"""
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from . import auth
from .config import Settings
from .errors import NotAuthenticated, PermissionDenied
from .models import User
from .services import permissions

SESSION_COOKIE = "labelhive_session"
CSRF_COOKIE = "csrftoken"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# How long a looked-up credential is kept. Before a cached one is trusted, the user's auth_version is read
# (one primary-key lookup instead of the token or session join): a reset token, a logout, a password change
# or a deactivation in any process bumps it, so every process refuses the old credential at once.
AUTH_CACHE_S = 15.0


async def get_session(request: Request) -> AsyncIterator[Session]:
    state = request.app.state
    factory = state.readonly_sessions if request.method in SAFE_METHODS else state.sessions
    with factory() as session:  # opening a Session does no I/O; the first query does
        yield session


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_write_session(request: Request) -> AsyncIterator[Session]:
    """For the few GET routes that write (a token or invite link made on first read, a logout): on SQLite a
    read-only session begins deferred and may not turn into a writer once another process has written."""
    with request.app.state.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
WriteSessionDep = Annotated[Session, Depends(get_write_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def token_from_headers(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, key = header.partition(" ")
        if scheme.lower() in ("token", "bearer") and key.strip():
            return key.strip()
        raise NotAuthenticated("Use the header 'Authorization: Token <your API token>'.")
    return request.headers.get("x-api-key")


class AuthCache:
    """credential -> (user, csrf token, expiry): most requests then authenticate without a query."""

    def __init__(self):
        self._entries: dict[str, tuple[User, str | None, float]] = {}

    def get(self, key: str) -> tuple[User, str | None] | None:
        """The cached user and csrf token; the caller checks the user's auth_version before trusting it."""
        entry = self._entries.get(key)
        if entry is None or entry[2] < time.monotonic():
            return None
        return entry[0], entry[1]

    def put(self, key: str, user: User, csrf: str | None) -> None:
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[key] = (user, csrf, time.monotonic() + AUTH_CACHE_S)

    def forget(self, key: str | None = None, user_id: int | None = None) -> None:
        if key is not None:
            self._entries.pop(key, None)
        if user_id is not None:
            for k in [k for k, e in self._entries.items() if e[0].id == user_id]:
                del self._entries[k]


def _lookup(request: Request, kind: str, key: str) -> tuple[User, str | None] | None:
    with request.app.state.readonly_sessions() as session:
        if kind == "token":
            user = auth.user_by_token(session, key)
            return (user, None) if user is not None else None
        found = auth.session_user(session, key)
        return (found[0], found[1].csrf_token) if found else None


def _version(request: Request, user_id: int) -> int | None:
    with request.app.state.readonly_sessions() as session:
        return auth.auth_version(session, user_id)


def credentials_changed(request: Request, session: Session, user_id: int) -> None:
    """After a change to a user's token, sessions, password, role or activity: commit it with a new
    auth_version, so every process drops its cached login of the user, and forget it here at once."""
    auth.credentials_changed(session, user_id)
    session.commit()
    request.app.state.auth_cache.forget(user_id=user_id)


async def get_current_user(request: Request) -> User:
    """The user behind the token header or the session cookie. The returned user is detached:
    routes that change the account load it again in their own session."""
    cache: AuthCache = request.app.state.auth_cache
    key = token_from_headers(request)
    kind = "token" if key else "session"
    key = key or request.cookies.get(SESSION_COOKIE)
    if not key:
        raise NotAuthenticated("Authentication credentials were not provided.")
    found = cache.get(f"{kind}:{key}")
    if found is not None and await run_in_threadpool(_version, request, found[0].id) != found[0].auth_version:
        cache.forget(key=f"{kind}:{key}")
        found = None
    if found is None:
        found = await run_in_threadpool(_lookup, request, kind, key)
        if found is None:
            raise NotAuthenticated("Invalid token." if kind == "token" else
                                   "Your session has expired: log in again.")
        cache.put(f"{kind}:{key}", *found)
    user, csrf = found
    # Cookies ride along on cross-site requests; a header only our own pages can set proves intent.
    if kind == "session" and request.method not in SAFE_METHODS and request.headers.get("x-csrftoken") != csrf:
        raise PermissionDenied("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def _at_least(role: str):
    """A dependency: the current user, if their role is `role` or above (403 saying what the role allows)."""
    async def check(user: CurrentUser) -> User:
        permissions.require(user, role)
        return user
    check.__name__ = f"user_at_least_{role}"
    return Annotated[User, Depends(check)]


# Routes take one of these instead of CurrentUser where a role is needed (services/permissions.py ranks them).
ReviewerUser = _at_least("RE")
ManagerUser = _at_least("MA")
AdminUser = _at_least("AD")

