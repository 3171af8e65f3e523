"""/api/current-user/..., /api/users/..."""
import secrets

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select

from .. import auth
from ..deps import CurrentUser, SESSION_COOKIE, SessionDep, WriteSessionDep, credentials_changed, token_from_headers
from ..errors import MethodNotAllowed, NotFound, PermissionDenied, get_or_404
from ..models import User
from ..responses import no_content, ok
from ..schemas import user_json
from ..services import hotkeys, members
from .params import JsonObject

router = APIRouter(prefix="/api", tags=["users"])


class UserCreate(BaseModel):
    email: str
    password: str | None = None
    username: str | None = None
    first_name: str = ""
    last_name: str = ""
    role: str = "AN"


class UserUpdate(BaseModel):
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    password: str | None = None
    current_password: str | None = None


class PasswordChange(BaseModel):
    current_password: str
    new_password: str


def _this_session(request: Request) -> str | None:
    """The browser session making the request (kept when the password changes); none for token calls."""
    return None if token_from_headers(request) else request.cookies.get(SESSION_COOKIE)


def _change_password(request: Request, session, user: User, current: str | None, new: str | None) -> None:
    auth.change_password(session, user, current, new, keep_session=_this_session(request))
    credentials_changed(request, session, user.id)


@router.get("/current-user/whoami", operation_id="whoami")
def whoami(user: CurrentUser, session: SessionDep):
    # Label Studio CE grants every member every permission; here the role (OW/AD/MA/RE/AN) says which.
    meta = members.organization_meta(session, user.organization_id)
    return ok({**user_json(user), "active_organization_meta": meta, "permissions": members.permissions_of(user)})


@router.get("/current-user/token", operation_id="get_token")
def get_token(user: CurrentUser, session: WriteSessionDep):
    token = auth.user_token(session, user)
    session.commit()
    return ok({"token": token.key, "detail": "Your API token"})


@router.get("/current-user/hotkeys", operation_id="get_hotkeys")
def get_hotkeys(user: CurrentUser):
    return ok({"custom_hotkeys": user.custom_hotkeys or {}})


@router.patch("/current-user/hotkeys", operation_id="update_hotkeys")
def update_hotkeys(request: Request, user: CurrentUser, session: SessionDep, body: JsonObject):
    me = session.get(User, user.id)
    me.custom_hotkeys = hotkeys.check(body.get("custom_hotkeys"))
    credentials_changed(request, session, me.id)  # commits, and drops the cached (detached) user everywhere
    return ok({"custom_hotkeys": me.custom_hotkeys})


@router.get("/jwt/settings", operation_id="get_jwt_settings")
def jwt_settings(user: CurrentUser):
    """Label Studio's token settings: only the legacy token (Authorization: Token ...) exists here."""
    return ok({"api_tokens_enabled": False, "legacy_api_tokens_enabled": True})


@router.get("/token", operation_id="list_personal_tokens")
def list_personal_tokens(user: CurrentUser):
    return ok([])  # no personal access tokens (JWT): /api/jwt/settings says so


@router.post("/token", operation_id="create_personal_token")
def create_personal_token(user: CurrentUser):
    raise PermissionDenied("Personal access tokens are not enabled here: use your API token "
                           "(GET /api/current-user/token) with 'Authorization: Token <token>'.")


@router.post("/current-user/password", operation_id="change_password")
def change_password(body: PasswordChange, request: Request, user: CurrentUser, session: SessionDep):
    _change_password(request, session, session.get(User, user.id), body.current_password, body.new_password)
    return ok({"detail": "Password changed; your other sessions were logged out."})


@router.post("/current-user/reset-token", operation_id="reset_token")
def reset_token(request: Request, user: CurrentUser, session: SessionDep):
    token = auth.reset_token(session, user)
    credentials_changed(request, session, user.id)
    return ok({"token": token.key})


@router.get("/users", operation_id="list_users")
def list_users(user: CurrentUser, session: SessionDep):
    users = session.scalars(select(User).where(User.organization_id == user.organization_id).order_by(User.id))
    meta = members.organization_meta(session, user.organization_id)
    return ok([{**user_json(u), "active_organization_meta": meta} for u in users])


@router.post("/users", operation_id="create_user")
def create_user(body: UserCreate, user: CurrentUser, session: SessionDep):
    members.require_member_admin(user)
    if body.role in ("OW", "AD") and user.role != "OW":
        raise PermissionDenied("Only the owner adds administrators.")
    created = auth.create_user(session, body.email, body.password or secrets.token_urlsafe(16),
                               username=body.username, first_name=body.first_name, last_name=body.last_name,
                               role=body.role if body.role != "OW" else "AD")
    session.commit()
    return ok(_user_answer(session, created), 201)


@router.get("/users/{user_id}", operation_id="get_user")
def get_user(user_id: int, user: CurrentUser, session: SessionDep):
    other = get_or_404(session, User, user_id, "User")
    if other.organization_id != user.organization_id:
        raise NotFound(f"User {user_id} not found")
    return ok(_user_answer(session, other))


@router.patch("/users/{user_id}", operation_id="update_user")
def update_user(user_id: int, body: UserUpdate, request: Request, user: CurrentUser, session: SessionDep):
    if user_id != user.id:
        get_user(user_id, user, session)  # 404 outside the organization
        # Label Studio's answer: another member's profile is theirs to change.
        raise MethodNotAllowed("You can only change your own account.")
    user = session.get(User, user.id)
    if body.username is not None:
        auth.check_username_free(session, body.username, user.id)
    for field in ("first_name", "last_name", "username"):
        if getattr(body, field) is not None:
            setattr(user, field, getattr(body, field))
    if body.password is not None:
        auth.change_password(session, user, body.current_password, body.password, keep_session=_this_session(request))
    credentials_changed(request, session, user.id)  # one commit for the profile and the password
    return ok(_user_answer(session, user))


@router.delete("/users/{user_id}", operation_id="delete_user")
def delete_user(user_id: int, request: Request, user: CurrentUser, session: SessionDep):
    """Your own account, or (for the owner and administrators) another member's: deactivated, not erased, so
    their annotations keep their author. Label Studio lets any member delete anyone; here only those who manage
    members may."""
    if user_id != user.id:
        member = members.remove(session, user, members.get_organization(session, user, user.organization_id), user_id)
        credentials_changed(request, session, member.id)
        return no_content()
    user = session.get(User, user.id)
    user.is_active = False
    credentials_changed(request, session, user.id)
    return no_content()


def _user_answer(session, user: User) -> dict:
    return {**user_json(user), "active_organization_meta": members.organization_meta(session, user.organization_id)}
