"""/user/login, /user/signup, /user/logout: browser sessions (the legacy SDK logs in through these too)."""
import secrets
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from .. import auth
from ..deps import CSRF_COOKIE, SESSION_COOKIE, SessionDep
from ..errors import LabelHiveError

router = APIRouter(prefix="/user", tags=["login"])

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>LabelHive · {title}</title></head>
<body style="font-family:system-ui;max-width:22rem;margin:4rem auto">
<h1>LabelHive</h1><h2>{title}</h2><p style="color:#b00020">{error}</p>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<p><label>Email<br><input name="email" type="email" required autofocus></label></p>
<p><label>Password<br><input name="password" type="password" required minlength="8"></label></p>
<p><button type="submit">{title}</button></p></form>
<p><a href="{other_href}">{other}</a></p></body></html>"""


def _page(request: Request, title: str, error: str = "", status: int = 200) -> HTMLResponse:
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    other, href = ("Create an account", "/user/signup") if title == "Log in" else ("Log in", "/user/login")
    response = HTMLResponse(PAGE.format(title=title, error=escape(error), csrf=csrf, other=other, other_href=href),
                            status_code=status)
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
    # Only paths on this server: an absolute or protocol-relative URL would make this an open redirect.
    return target if target.startswith("/") and not target.startswith("//") else "/"


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


@router.post("/login", operation_id="login")
async def login(request: Request, session: SessionDep):
    try:
        form = await _form(request)
    except _CsrfFailed:
        return _page(request, "Log in", "Your form expired; please try again.", 403)
    user = auth.authenticate(session, form.get("email", ""), form.get("password", ""))
    if user is None:
        return _page(request, "Log in", "Wrong email or password.", 400)
    return _logged_in(request, session, user)


@router.get("/signup", operation_id="signup_page")
def signup_page(request: Request):
    return _page(request, "Sign up")


@router.post("/signup", operation_id="signup")
async def signup(request: Request, session: SessionDep):
    try:
        form = await _form(request)
    except _CsrfFailed:
        return _page(request, "Sign up", "Your form expired; please try again.", 403)
    try:
        user = auth.create_user(session, form.get("email", ""), form.get("password", ""))
    except LabelHiveError as exc:
        session.rollback()
        message = exc.detail if not exc.validation_errors else " ".join(
            m for msgs in exc.validation_errors.values() for m in msgs)
        return _page(request, "Sign up", message, 400)
    return _logged_in(request, session, user)


@router.get("/logout", operation_id="logout")
def logout(request: Request, session: SessionDep):
    key = request.cookies.get(SESSION_COOKIE)
    if key:
        auth.end_session(session, key)
        session.commit()
    response = RedirectResponse("/user/login", status_code=302)
    response.delete_cookie(SESSION_COOKIE)
    return response
