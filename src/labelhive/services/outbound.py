"""Calls from the server to addresses users configure (ML backends, webhooks), with an SSRF guard.

Loopback and private networks are allowed by default — a model server on localhost or on the LAN is
the common case. Link-local (cloud metadata endpoints), multicast and unspecified addresses are refused
unless LABELHIVE_ML_ALLOWED_HOSTS lists them; when that variable is set, only what it lists is allowed.
"""
import ipaddress
import os
import socket
from urllib.parse import urlparse

from ..errors import ValidationFailed


def _allow_list() -> list[str]:
    raw = os.environ.get("LABELHIVE_ML_ALLOWED_HOSTS", "")
    return [h.strip() for h in raw.split(",") if h.strip()]


def _listed(host: str, ip: ipaddress._BaseAddress, allowed: list[str]) -> bool:
    for entry in allowed:
        if entry == host or entry == "*":
            return True
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def check_url(url: str, what: str = "ML backend") -> str:
    parsed = urlparse(url or "")
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValidationFailed("Validation error", {"url": [f"Give the {what}'s http(s) URL, e.g. http://localhost:9090."]})
    host = parsed.hostname
    try:
        infos = socket.getaddrinfo(host, parsed.port or (443 if parsed.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise ValidationFailed("Validation error", {"url": [f"Cannot resolve {host}: {exc.strerror}."]}) from exc
    allowed = _allow_list()
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if allowed:
            ok = _listed(host, ip, allowed)
        else:
            ok = not (ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved)
        if not ok:
            raise ValidationFailed("Validation error", {"url": [
                f"The {what} address {host} ({ip}) is not allowed: "
                + ("it is not in LABELHIVE_ML_ALLOWED_HOSTS." if allowed else
                   "link-local and reserved addresses can reach cloud metadata services.")
                + f" To allow it, start LabelHive with LABELHIVE_ML_ALLOWED_HOSTS={host} "
                  "(a comma-separated list of hosts or networks)."]})
    return url.rstrip("/")
