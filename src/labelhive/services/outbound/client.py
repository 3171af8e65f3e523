"""fetch(): one HTTP exchange from the server with a URL a user gave, through the guard in policy.py.

The guard sits where the socket is made: the host name is resolved once, every address is checked, and
the connection goes to one of those addresses, so a DNS answer that changes between check and connect
(rebinding) is never used. Redirects are followed here, each hop checked the same way. One deadline
covers the whole exchange, connect to last byte: a server trickling a byte a second is cut off at it.
The body is read up to a size limit. http.client knows no environment proxies, so none are used.
"""
import http.client
import io
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

import orjson

from ...errors import FetchFailed
from . import policy

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
# One reason for a refused connection, a port that accepts and never answers, and a timeout: telling them
# apart would let a user map which ports are open on the server's network.
NO_ANSWER_REASON = "no answer from the server"
# Sent again after a redirect only to the same scheme, host and port.
CREDENTIAL_HEADERS = ("authorization", "cookie", "proxy-authorization")


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: Message  # case-insensitive .get()
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return orjson.loads(self.body)  # raises a ValueError for anything but JSON


class _Deadline:
    def __init__(self, seconds: float):
        self.seconds, self.at = seconds, time.monotonic() + seconds

    def left(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline reached")
        return left


class _Reader(io.RawIOBase):
    """The socket as http.client reads it (status line, headers, body): no single read waits past the
    deadline, so neither do all of them together."""

    def __init__(self, owner: "_DeadlineSocket"):
        self.owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.owner.sock.settimeout(self.owner.deadline.left())
        n = self.owner.sock.recv_into(buffer)
        self.owner.received += n
        return n

    def close(self) -> None:
        if not self.closed:
            self.owner.release()
        super().close()


class _DeadlineSocket:
    """Stands in for the connected socket (plain, or TLS-wrapped) in http.client, which only sends, reads
    through makefile() and closes. As with a real socket, the connection may close before the response it
    handed its reader to: the socket is closed once both are."""

    def __init__(self, sock, deadline: _Deadline):
        self.sock, self.deadline = sock, deadline
        self.received, self.readers, self.closed = 0, 0, False

    def makefile(self, *args, **kwargs):
        self.readers += 1
        return io.BufferedReader(_Reader(self), CHUNK)

    def sendall(self, data) -> None:
        self.sock.settimeout(self.deadline.left())
        self.sock.sendall(data)

    def release(self) -> None:
        self.readers -= 1
        if self.closed and not self.readers:
            self.sock.close()

    def close(self) -> None:
        self.closed = True
        if not self.readers:
            self.sock.close()


class _Guarded:
    """Connects only to `addresses` (checked by policy.resolve). HTTPSConnection.connect calls
    _create_connection too and then wraps TLS with server_hostname=host, so SNI and the certificate
    check still use the URL's host name."""

    def __init__(self, host: str, port: int, addresses: list, deadline: _Deadline, **kwargs):
        super().__init__(host, port, **kwargs)  # no timeout here: each socket operation gets what is left
        self.addresses, self.deadline = addresses, deadline
        self.guarded: _DeadlineSocket | None = None

    def _create_connection(self, address, timeout=None, source_address=None):
        for family, kind, proto, sockaddr in self.addresses:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(self.deadline.left())
                sock.connect(sockaddr)
                return sock
            except OSError:
                sock.close()
        raise ConnectionError(NO_ANSWER_REASON)

    def connect(self) -> None:
        super().connect()
        self.sock = self.guarded = _DeadlineSocket(self.sock, self.deadline)


class _HTTP(_Guarded, http.client.HTTPConnection):
    pass


class _HTTPS(_Guarded, http.client.HTTPSConnection):
    pass


class _TooLarge(Exception):
    pass


def fetch(url: str, *, method: str = "GET", headers: dict | None = None, body: bytes | None = None,
          timeout: float = 30, max_bytes: int = 50 * 1024 * 1024, follow_redirects: bool = True,
          what: str = "URL") -> Response:
    """Any HTTP status comes back as a Response; FetchFailed when there is none to give (refused address,
    no answer, past the deadline of `timeout` seconds, body over `max_bytes`, more than MAX_REDIRECTS).
    `what` names the caller for the policy (LABELHIVE_ML_ALLOWED_HOSTS applies to ML backends and webhooks)."""
    deadline = _Deadline(timeout)
    headers = dict(headers or {})
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        response = _exchange(url, current, hop, method, headers, body, deadline, max_bytes, what)
        location = response.headers.get("Location")
        if not follow_redirects or response.status not in REDIRECTS or not location:
            return response
        target = urljoin(current, location.strip())
        if _origin(target) != _origin(current):
            headers = {k: v for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS}
        if response.status == 303 or (response.status in (301, 302) and method not in ("GET", "HEAD")):
            method, body = "GET", None
            headers = {k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length")}
        current = target
    raise FetchFailed(url, f"too many redirects (more than {MAX_REDIRECTS})", policy.INVALID)


def _origin(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


def _exchange(url: str, current: str, hop: int, method: str, headers: dict, body: bytes | None,
              deadline: _Deadline, max_bytes: int, what: str) -> Response:
    def failed(reason: str, kind: str) -> FetchFailed:
        # Saying where a redirect led makes a refusal at a later hop visible as one.
        return FetchFailed(url, f"it redirected to {current}; {reason}" if hop else reason, kind)

    try:
        scheme, host, port = policy.split(current)
        addresses = policy.resolve(current, host, port, what)
    except FetchFailed as exc:
        raise failed(exc.reason, exc.kind) from None
    parts = urlsplit(current)
    conn = (_HTTPS if scheme == "https" else _HTTP)(host, port, addresses, deadline)
    answer = None
    try:
        conn.request(method, (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body=body,
                     headers=headers)
        answer = conn.getresponse()
        declared = answer.getheader("Content-Length") or ""
        if declared.isdigit() and int(declared) > max_bytes:
            raise _TooLarge
        chunks, size = [], 0
        while chunk := answer.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise _TooLarge
            chunks.append(chunk)
        return Response(current, answer.status, answer.headers, b"".join(chunks))
    except _TooLarge:
        raise failed(f"the response is larger than {_size(max_bytes)}", policy.TOO_LARGE) from None
    except (http.client.InvalidURL, ValueError) as exc:  # ValueError: a header value with a line break
        raise failed(f"the request is not valid ({exc})", policy.INVALID) from None
    except ssl.SSLCertVerificationError as exc:
        raise failed(f"its TLS certificate is not valid ({exc.verify_message})", policy.TLS) from None
    except (OSError, http.client.HTTPException) as exc:
        if conn.guarded is None or not conn.guarded.received:
            raise failed(NO_ANSWER_REASON, policy.NO_ANSWER) from None
        if isinstance(exc, TimeoutError):
            raise failed(f"it took longer than {deadline.seconds:g} s", policy.SLOW) from None
        raise failed("its answer was cut off, or is not HTTP", policy.BROKEN) from None
    finally:
        if answer is not None:
            answer.close()
        conn.close()


def _size(n: int) -> str:
    return f"{n / 1048576:.3g} MB" if n >= 1048576 else f"{n / 1024:.3g} KB"
