"""/: the web app when it is built; otherwise a plain page with the user's API token."""
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from .. import auth
from ..deps import SESSION_COOKIE, WriteSessionDep
from ..security_headers import PAGE_HEADERS
from . import spa

router = APIRouter(tags=["home"])

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>LabelHive</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>LabelHive</h1><p>Logged in as <b>{email}</b> · <a href="/user/logout">log out</a></p>
<p>Your API token (send it as <code>Authorization: Token &lt;key&gt;</code>):</p>
<pre style="background:#f4f4f4;padding:.75rem">{token}</pre>
<p>Point <code>label_studio_sdk.Client("{base}", "&lt;token&gt;")</code> at this server.
The API reference is at <a href="/docs">/docs</a>.</p></body></html>"""


@router.get("/", operation_id="home", include_in_schema=False)
def home(request: Request, session: WriteSessionDep):
    found = auth.session_user(session, request.cookies.get(SESSION_COOKIE) or "")
    if found is None:
        return RedirectResponse("/user/login", status_code=302)
    if spa.built():
        return RedirectResponse("/projects", status_code=302)
    user, _ = found
    token = auth.user_token(session, user).key
    session.commit()
    base = str(request.base_url).rstrip("/")
    return HTMLResponse(PAGE.format(email=escape(user.email), token=token, base=escape(base)), headers=PAGE_HEADERS)
