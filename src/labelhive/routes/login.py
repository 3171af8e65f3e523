"""/user/login, /user/signup, /user/logout: browser sessions (the legacy SDK logs in through these too)."""
import secrets
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from .. import auth
from ..deps import CSRF_COOKIE, SESSION_COOKIE, SessionDep, WriteSessionDep, credentials_changed
from ..errors import LabelHiveError
from ..models import User
from ..security_headers import PAGE_HEADERS

router = APIRouter(prefix="/user", tags=["login"])

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>LabelHive · {title}</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Cpath d='M16 2l12 7v14l-12 7-12-7V9z' fill='%23d97706'/%3E%3C/svg%3E">
<style>
body{{margin:0;font:14px/1.45 Inter,"Segoe UI",system-ui,-apple-system,Roboto,Arial,sans-serif;color:#1c2430;
background:#f6f7f9;display:flex;min-height:100vh;align-items:center;justify-content:center}}
main{{background:#fff;border:1px solid #dfe3e8;border-radius:8px;box-shadow:0 1px 3px rgba(16,24,40,.1);
padding:32px 36px;width:360px}}
.brand{{display:flex;align-items:center;gap:8px;font-weight:700;font-size:18px;margin-bottom:20px}}
h1{{font-size:20px;margin:0 0 16px}} label{{display:block;font-weight:500;margin:12px 0 4px}}
input{{width:100%;box-sizing:border-box;padding:8px 10px;border:1px solid #c5ccd4;border-radius:6px;font:inherit}}
input:focus,button:focus-visible,a:focus-visible{{outline:2px solid #2563eb;outline-offset:1px}}
button{{margin-top:20px;width:100%;padding:9px;border:0;border-radius:6px;background:#b45309;color:#fff;
font:inherit;font-weight:600;cursor:pointer}} button:hover{{background:#92400e}}
.error{{background:#fef2f2;color:#b91c1c;border-radius:6px;padding:8px 10px;margin-bottom:8px}}
.other{{margin-top:16px;color:#5b6675}} a{{color:#b45309}} .hint{{margin:4px 0 0;color:#5b6675;font-size:13px}}
</style></head>
<body><main><div class="brand"><svg width="24" height="24" viewBox="0 0 32 32" aria-hidden="true">
<path d="M16 2 28 9v14l-12 7L4 23V9z" fill="#d97706"/><path d="M16 10l6 3.5v7L16 24l-6-3.5v-7z" fill="#fff"/>
</svg>LabelHive</div><h1>{title}</h1>{error}{form}
<p class="other">{other_text} <a href="{other_href}">{other}</a></p></main></body></html>"""

FORM = """<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" value="{email}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="{autocomplete}" required minlength="8"{described}>
{hint}<button type="submit">{title}</button></form>"""


def _page(request: Request, title: str, error: str = "", status: int = 200, email: str = "",
          headers: dict | None = None, form: bool = True) -> HTMLResponse:
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    if title == "Log in":
        other_text, other, href, autocomplete = "New here?", "Create an account", "/user/signup", "current-password"
    else:
        other_text, other, href, autocomplete = "Have an account?", "Log in", "/user/login", "new-password"
    query = request.url.query
    href += f"?{query}" if query else ""
    shown = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    # A new password's rule is said up front, not only in the browser's tooltip after a refused submit.
    signup = title != "Log in"
    hint = '<p class="hint" id="password-hint">At least 8 characters.</p>' if signup else ""
    described = ' aria-describedby="password-hint"' if signup else ""
    fields = FORM.format(title=title, csrf=csrf, autocomplete=autocomplete, email=escape(email), hint=hint,
                         described=described) if form else ""
    response = HTMLResponse(PAGE.format(title=title, error=shown, form=fields, other=other, other_href=href,
                                        other_text=other_text),
                            status_code=status, headers={**PAGE_HEADERS, **(headers or {})})
    response.set_cookie(CSRF_COOKIE, csrf, samesite="lax")
    return response


async def _form(request: Request) -> dict:
    form = await request.form()
    if not request.cookies.get(CSRF_COOKIE) or form.get("csrfmiddlewaretoken") != request.cookies.get(CSRF_COOKIE):
        raise _CsrfFailed()
    return form


class _CsrfFailed(Exception):
    pass


def _next_url(request: Request) -> str:
    target = request.query_params.get("next") or "/"
    # Only paths on this server: an absolute or protocol-relative URL would make this an open redirect, and
    # browsers read a backslash as a slash ("/\\evil.example" is "//evil.example"); control characters are
    # dropped by browsers too, so "/\t/evil.example" would become protocol-relative.
    if not target.startswith("/") or target.startswith("//") or any(ord(c) < 32 or c == "\\" for c in target):
        return "/"
    return target


def _logged_in(request: Request, session, user) -> RedirectResponse:
    login = auth.start_session(session, user)
    session.commit()
    response = RedirectResponse(_next_url(request), status_code=302)
    response.set_cookie(SESSION_COOKIE, login.key, httponly=True, samesite="lax", max_age=auth.SESSION_DAYS * 86400)
    # Readable by our pages, which echo it in X-CSRFToken on every write.
    response.set_cookie(CSRF_COOKIE, login.csrf_token, samesite="lax")
    return response


@router.get("/login", operation_id="login_page")
def login_page(request: Request):
    return _page(request, "Log in")


def _wait_words(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return f"{seconds} seconds" if seconds < 60 else f"{minutes} minute{'s' if minutes > 1 else ''}"


@router.post("/login", operation_id="login")
async def login(request: Request, session: SessionDep):
    try:
        form = await _form(request)
    except _CsrfFailed:
        return _page(request, "Log in", "Your form expired; please try again.", 403)
    email, password = auth.normalize_email(form.get("email", "")), form.get("password", "")
    throttle = request.app.state.login_throttle
    address = request.client.host if request.client else ""
    wait = throttle.retry_after(email, address)
    if wait:
        return _page(request, "Log in", f"Too many failed logins for this account or from this address. "
                     f"Try again in {_wait_words(wait)}.", 429, email, headers={"Retry-After": str(wait)})
    # Hashing takes a good part of a second by design: off the event loop, so other requests go on, and in a
    # read-only transaction, so a flood of wrong passwords holds no write lock (SQLite) from anyone's save.
    user_id = await run_in_threadpool(_password_matches, request.app.state.readonly_sessions, email, password)
    if user_id is None:
        throttle.failed(email, address)
        return _page(request, "Log in", "Wrong email or password.", 400, form.get("email", ""))
    throttle.succeeded(email)
    return await run_in_threadpool(lambda: _logged_in(request, session, session.get(User, user_id)))


def _password_matches(readonly_sessions, email: str, password: str) -> int | None:
    """The id of the active user with this email and password, else None."""
    with readonly_sessions() as reader:
        user = auth.authenticate(reader, email, password)
        return user.id if user is not None else None


CLOSED = "Sign-up on this server needs an invite link: ask an administrator of your team for one."


def _invite_role(request: Request, session) -> str | None:
    """The role sign-up gives, or None when it is refused. Anyone may create the first account (the owner's);
    after that, only people with an invite link (which says the role), unless the server was started with open
    sign-up (as Annotators)."""
    found = auth.organization_by_invite(session, request.query_params.get("token"),
                                        request.app.state.settings.session_secret())
    if found is not None:
        return found[1]
    if request.app.state.settings.open_signup or session.scalar(select(User.id).limit(1)) is None:
        return "AN"
    return None


def _signup_refused(request: Request, session) -> bool:
    return _invite_role(request, session) is None


@router.get("/signup", operation_id="signup_page")
def signup_page(request: Request, session: SessionDep):
    if _signup_refused(request, session):
        return _page(request, "Sign up", CLOSED, 403, form=False)
    return _page(request, "Sign up")


@router.post("/signup", operation_id="signup")
async def signup(request: Request, session: SessionDep):
    try:
        form = await _form(request)
    except _CsrfFailed:
        return _page(request, "Sign up", "Your form expired; please try again.", 403)
    # In a thread, queries and all: the hashing is slow, and on SQLite a query that waits for the write lock
    # on the event loop would hold up every other request.
    return await run_in_threadpool(_sign_up, request, session, form)


def _sign_up(request: Request, session, form):
    role = _invite_role(request, session)
    if role is None:
        return _page(request, "Sign up", CLOSED, 403, form=False)
    try:
        user = auth.create_user(session, form.get("email", ""), form.get("password", ""), role=role)
    except LabelHiveError as exc:
        session.rollback()
        message = exc.detail if not exc.validation_errors else " ".join(
            m for msgs in exc.validation_errors.values() for m in msgs)
        return _page(request, "Sign up", message, 400, form.get("email", ""))
    return _logged_in(request, session, user)


@router.get("/logout", operation_id="logout")
def logout(request: Request, session: WriteSessionDep):
    key = request.cookies.get(SESSION_COOKIE)
    found = auth.session_user(session, key) if key else None
    if key:
        auth.end_session(session, key)
        request.app.state.auth_cache.forget(key=f"session:{key}")
    if found:  # other processes may have this session cached: they see the new version (and commits it)
        credentials_changed(request, session, found[0].id)
    elif key:
        session.commit()
    response = RedirectResponse("/user/login", status_code=302)
    response.delete_cookie(SESSION_COOKIE)
    return response
