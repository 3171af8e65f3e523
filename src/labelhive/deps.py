"""FastAPI dependencies: the database session, settings and the authenticated user."""
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from . import auth
from .config import Settings
from .errors import NotAuthenticated, PermissionDenied
from .models import User

SESSION_COOKIE = "labelhive_session"
CSRF_COOKIE = "csrftoken"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_session(request: Request) -> Iterator[Session]:
    state = request.app.state
    factory = state.readonly_sessions if request.method in SAFE_METHODS else state.sessions
    with factory() as session:
        yield session


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def token_from_headers(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, key = header.partition(" ")
        if scheme.lower() in ("token", "bearer") and key.strip():
            return key.strip()
        raise NotAuthenticated("Use the header 'Authorization: Token <your API token>'.")
    return request.headers.get("x-api-key")


def get_current_user(request: Request) -> User:
    """Authenticate in a short read-only transaction of its own.

    On SQLite a write session takes the database's write lock at its first query; doing auth there
    would hold that lock while a large upload is still arriving. The returned user is detached:
    routes that change the account load it again in their own session.
    """
    with request.app.state.readonly_sessions() as session:
        return _authenticate(request, session)


def _authenticate(request: Request, session: Session) -> User:
    key = token_from_headers(request)
    if key:
        user = auth.user_by_token(session, key)
        if user is None:
            raise NotAuthenticated("Invalid token.")
        return user
    cookie = request.cookies.get(SESSION_COOKIE)
    found = auth.session_user(session, cookie) if cookie else None
    if found is None:
        raise NotAuthenticated("Authentication credentials were not provided.")
    user, login = found
    # Cookies ride along on cross-site requests; a header only our own pages can set proves intent.
    if request.method not in SAFE_METHODS and request.headers.get("x-csrftoken") != login.csrf_token:
        raise PermissionDenied("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
