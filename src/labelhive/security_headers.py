"""Response headers that keep user content from running as our origin.

Safe by default: every response is sandboxed (`Content-Security-Policy: sandbox`: no scripts, an opaque origin,
so no cookies or tokens of ours) unless its route sets a policy itself. Only the app's own pages do, with
PAGE_HEADERS. Uploaded or attached media that a browser would run when opened (HTML, SVG, XML, scripts) also
goes out as an attachment, so opening it downloads it; `<img src>` still shows an SVG.
"""
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Styles inline are allowed (React style props, task HTML's style attributes); scripts only from our files.
# Media and images may come from buckets and CDNs (presigned URLs, task URLs), and the waveform fetches audio.
APP_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data: blob: http: https:; media-src 'self' data: blob: http: https:; "
           "connect-src 'self' data: blob: http: https:; font-src 'self' data:; worker-src 'self' blob:; "
           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
PAGE_HEADERS = {"Content-Security-Policy": APP_CSP, "X-Frame-Options": "SAMEORIGIN"}
CONTENT_CSP = b"sandbox; frame-ancestors 'self'"

# Types a browser runs, or renders as a document that could: never shown inline from our origin.
_ACTIVE = {b"text/html", b"application/xhtml+xml", b"image/svg+xml", b"text/xml", b"application/xml",
           b"text/javascript", b"application/javascript", b"application/x-javascript", b"text/xsl",
           b"application/pdf", b"application/octet-stream", b"multipart/x-mixed-replace"}


def _active(content_type: bytes) -> bool:
    base = content_type.split(b";")[0].strip().lower()
    return base in _ACTIVE or base.endswith(b"+xml") or not base


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"same-origin"))
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CONTENT_CSP))
                    content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                    if _active(content_type) and b"content-disposition" not in names \
                            and message.get("status") in (200, 206):
                        headers.append((b"content-disposition", b"attachment"))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)
