"""Users, passwords, API tokens and browser sessions; the CurrentUser dependency lives in deps.py."""
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .errors import Conflict, ValidationFailed
from .models import LoginSession, Organization, Token, User

_hasher = PasswordHasher()
SESSION_DAYS = 14
ROLES = {"OW": "Owner", "AD": "Administrator", "MA": "Manager", "RE": "Reviewer", "AN": "Annotator",
         "DI": "Deactivated"}
# One @, no spaces, a domain of dot-separated labels: what Django's validator (Label Studio's) accepts, roughly.
_EMAIL = re.compile(r"[^@\s]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9-]{1,63}")
_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _spend_a_verification(password: str) -> None:
    """As much work as checking a real password, so the answer's timing does not tell which emails exist."""
    global _dummy_hash
    if _dummy_hash is None or _hasher.check_needs_rehash(_dummy_hash):
        _dummy_hash = _hasher.hash(secrets.token_hex(16))
    try:
        _hasher.verify(_dummy_hash, password)
    except (VerificationError, InvalidHashError):
        pass


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    email = normalize_email(email)
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise ValidationFailed("Validation error", {"email": ["Enter a valid email address, like name@example.com."]})
    return email


def user_by_email(session: Session, email: str) -> User | None:
    """Emails are compared case-insensitively: A@EXAMPLE.COM and a@example.com are one account."""
    return session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def check_password(password: str | None, field: str = "password") -> None:
    if not password or len(password) < 8:
        raise ValidationFailed("Validation error", {field: ["Use a password of at least 8 characters."]})


def check_username_free(session: Session, username: str, user_id: int | None = None) -> None:
    taken = session.scalar(select(User.id).where(func.lower(User.username) == username.strip().lower()))
    if taken is not None and taken != user_id:
        raise ValidationFailed("Validation error", {"username": [f"The username {username} is taken: pick another."]})


def new_token_key() -> str:
    # Opaque 40-hex keys: the SDK tries to decode keys as JWTs, so never hand out one that decodes.
    return secrets.token_hex(20)


def default_organization(session: Session) -> Organization:
    org = session.scalars(select(Organization).order_by(Organization.id).limit(1)).first()
    if org is None:
        org = Organization(title="LabelHive")
        session.add(org)
        session.flush()
    return org


def create_user(session: Session, email: str, password: str, token: str | None = None,
                username: str | None = None, first_name: str = "", last_name: str = "",
                role: str | None = None) -> User:
    """A new member of the (one) organization: its first member owns it; others join as `role` (annotator)."""
    email = check_email(email)
    check_password(password)
    if token is not None and (len(token) < 8 or not token.isascii()):
        raise ValidationFailed("Validation error", {"token": ["Use an ASCII token of at least 8 characters."]})
    if user_by_email(session, email) is not None:
        raise Conflict(f"A user with email {email} already exists.")
    username = (username or "").strip() or email
    check_username_free(session, username)
    if role is not None and role not in ROLES:
        raise ValidationFailed("Validation error", {"role": [f"Use one of {', '.join(ROLES)}."]})
    org = default_organization(session)
    first = session.scalar(select(User.id).where(User.organization_id == org.id).limit(1)) is None
    user = User(email=email, username=username, first_name=first_name, last_name=last_name,
                password_hash=hash_password(password), organization_id=org.id,
                role="OW" if first else (role or "AN"))
    session.add(user)
    session.flush()
    session.add(Token(key=token or new_token_key(), user_id=user.id))
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    check_password(password)
    user.password_hash = hash_password(password)


def change_password(session: Session, user: User, current: str | None, new: str | None,
                    keep_session: str | None = None) -> None:
    """A password change proves the old password and logs out every other session of the account."""
    if not current or not verify_password(user, current):
        raise ValidationFailed("Validation error", {"current_password": ["The current password is wrong."]})
    check_password(new, "new_password")
    user.password_hash = hash_password(new)
    end_sessions(session, user.id, keep=keep_session)


def credentials_changed(session: Session, user_id: int) -> None:
    """Part of the caller's transaction: other processes' cached logins of this user stop being trusted."""
    session.execute(update(User).where(User.id == user_id).values(auth_version=User.auth_version + 1))


def auth_version(session: Session, user_id: int) -> int | None:
    return session.scalar(select(User.auth_version).where(User.id == user_id))


def end_sessions(session: Session, user_id: int, keep: str | None = None) -> None:
    query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep:
        query = query.where(LoginSession.key != keep)
    session.execute(query)


def deactivate(session: Session, user: User) -> None:
    """At once: no session, no token (a fresh one is made if the account is reactivated)."""
    user.is_active = False
    user.role = "DI"
    end_sessions(session, user.id)
    session.execute(delete(Token).where(Token.user_id == user.id))


def user_token(session: Session, user: User) -> Token:
    token = session.scalar(select(Token).where(Token.user_id == user.id))
    if token is None:
        token = Token(key=new_token_key(), user_id=user.id)
        session.add(token)
        session.flush()
    return token


def reset_token(session: Session, user: User) -> Token:
    token = user_token(session, user)
    session.delete(token)
    session.flush()
    fresh = Token(key=new_token_key(), user_id=user.id)
    session.add(fresh)
    session.flush()
    return fresh


def user_by_token(session: Session, key: str) -> User | None:
    return session.scalar(select(User).join(Token, Token.user_id == User.id)
                          .where(Token.key == key, User.is_active.is_(True)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = user_by_email(session, email)
    if user is None:
        _spend_a_verification(password or "")
        return None
    if not verify_password(user, password or "") or not user.is_active:
        return None
    return user


def organization_invite_token(session: Session, org: Organization, reset: bool = False) -> str:
    if reset or not org.invite_token:
        org.invite_token = secrets.token_urlsafe(24)
        session.flush()
    return org.invite_token


def invite_token_for(org_token: str, role: str, secret: str) -> str:
    """The invite link's token for joining as `role`: the organization's own token for Annotators; for other
    roles "RE-<signature>", signed with the server's secret so nobody turns one link into another's role.
    Resetting the organization's token revokes them all."""
    if role == "AN":
        return org_token
    return f"{role}-{hmac.new(secret.encode(), f'{org_token}:{role}'.encode(), hashlib.sha256).hexdigest()[:32]}"


def organization_by_invite(session: Session, token: str | None, secret: str) -> tuple[Organization, str] | None:
    """The organization an invite token joins, and the role it gives; None for an unknown or revoked one."""
    if not token:
        return None
    found = session.scalar(select(Organization).where(Organization.invite_token == token))
    if found is not None:
        return found, "AN"
    role = token.split("-", 1)[0]
    if role not in ("AD", "MA", "RE"):
        return None
    for org in session.scalars(select(Organization).where(Organization.invite_token.is_not(None))):
        if hmac.compare_digest(invite_token_for(org.invite_token, role, secret), token):
            return org, role
    return None


def start_session(session: Session, user: User) -> LoginSession:
    login = LoginSession(key=secrets.token_urlsafe(32), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                         expires_at=datetime.now(timezone.utc) + timedelta(days=SESSION_DAYS))
    session.add(login)
    session.flush()
    return login


def session_user(session: Session, key: str) -> tuple[User, LoginSession] | None:
    login = session.get(LoginSession, key)
    if login is None:
        return None
    expires = login.expires_at if login.expires_at.tzinfo else login.expires_at.replace(tzinfo=timezone.utc)
    if expires < datetime.now(timezone.utc):
        return None
    user = session.get(User, login.user_id)
    return (user, login) if user is not None and user.is_active else None


def end_session(session: Session, key: str) -> None:
    login = session.get(LoginSession, key)
    if login is not None:
        session.delete(login)
