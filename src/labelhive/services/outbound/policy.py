"""Which addresses the server may connect to for a user-given URL, read from the environment at each call.

Loopback and private networks are allowed by default: a model server on localhost and MinIO on the LAN
are the common case. Addresses that reach cloud metadata services (link-local, the metadata addresses
themselves), multicast, unspecified and reserved addresses are always refused, and so is each of them
written as an IPv6 address that carries an IPv4 one (::ffff:169.254.169.254), which the kernel routes
to the IPv4 address.

LABELHIVE_OUTBOUND_PRIVATE=deny refuses loopback and private networks too. LABELHIVE_OUTBOUND_ALLOW
lists host names and networks allowed whatever the rules above say. LABELHIVE_ML_ALLOWED_HOSTS keeps
its older meaning for ML backends and webhooks: when set, the only hosts and networks they may use.
"""
import ipaddress
import os
import socket
from urllib.parse import urlsplit

from ...errors import FetchFailed, ValidationFailed

ALLOW_VAR = "LABELHIVE_OUTBOUND_ALLOW"
PRIVATE_VAR = "LABELHIVE_OUTBOUND_PRIVATE"
LEGACY_ML_VAR = "LABELHIVE_ML_ALLOWED_HOSTS"
LEGACY_ML_USES = ("ML backend", "webhook")
# What went wrong, for callers that act on it (a thumbnail keeps its older copy while its source is unreachable).
# STATUS is for callers that turn an HTTP error status into a FetchFailed ("it answered HTTP 404").
REFUSED, DNS, NO_ANSWER, SLOW, BROKEN, TLS, TOO_LARGE, INVALID, STATUS = (
    "refused", "dns", "no_answer", "slow", "broken", "tls", "too_large", "invalid", "status")
UNREACHABLE = (DNS, NO_ANSWER, SLOW, BROKEN)
KINDS = (REFUSED, *UNREACHABLE, TLS, TOO_LARGE, INVALID, STATUS)

METADATA = {ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")}
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
AddrInfo = tuple[int, int, int, tuple]


def _embedded_v4(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d)
    and NAT64 (64:ff9b::a.b.c.d) all end up at a.b.c.d."""
    if ip.version == 4:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64 or (int(ip) >> 32 == 0 and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _why_refused(ip: Address, private_allowed: bool) -> str | None:
    a = _embedded_v4(ip) or ip
    if a.is_link_local:
        return "link-local addresses reach cloud metadata services"
    if a in METADATA:
        return "it is a cloud metadata service's address"
    if a.is_unspecified or (a.version == 4 and a.packed[0] == 0):
        return "the unspecified address (0.0.0.0, ::) reaches this machine"
    if a.is_multicast:
        return "multicast addresses are not web servers"
    if a.is_loopback:
        return None if private_allowed else f"loopback addresses are refused ({PRIVATE_VAR}=deny)"
    if a.is_reserved:  # before is_private, which in Python 3.11 also counts 240.0.0.0/4
        return "reserved addresses are not in use"
    if a.is_private or a in CGNAT or (a.version == 6 and a.is_site_local):
        return None if private_allowed else f"private network addresses are refused ({PRIVATE_VAR}=deny)"
    return None


def _entries(var: str) -> list[str]:
    return [e.strip().lower().rstrip(".") for e in os.environ.get(var, "").split(",") if e.strip()]


def _listed(host: str, ip: Address, entries: list[str]) -> bool:
    """Whether an entry names `host`, or a network that holds `ip` (or the IPv4 address it stands for)."""
    forms = [f for f in (ip, _embedded_v4(ip)) if f is not None]
    for entry in entries:
        if entry in ("*", host.rstrip(".")):
            return True
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if any(f.version == network.version and f in network for f in forms):
            return True
    return False


def _private_allowed() -> bool:
    # Anything but "allow" (the default) fails closed: a typo in a setting meant to tighten must not loosen.
    return os.environ.get(PRIVATE_VAR, "allow").strip().lower() in ("", "allow")


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def refusal(host: str, ip: Address, what: str) -> str | None:
    """Why `ip`, one address of `host`, may not be used to fetch `what`; None when it may."""
    embedded = _embedded_v4(ip)
    named = f"the address {ip}" + (f" ({embedded})" if embedded else "") + ("" if _is_literal(host) else f" of {host}")
    legacy = _entries(LEGACY_ML_VAR) if what in LEGACY_ML_USES else []
    if legacy:
        if _listed(host, ip, legacy):
            return None
        return f"{named} is not allowed: it is not in {LEGACY_ML_VAR}; to allow it add {host} to {LEGACY_ML_VAR}"
    if _listed(host, ip, _entries(ALLOW_VAR)):
        return None
    why = _why_refused(ip, _private_allowed())
    if why is None:
        return None
    return f"{named} is not allowed: {why}; to allow it set {ALLOW_VAR}={embedded or ip}"


def resolve(url: str, host: str, port: int, what: str) -> list[AddrInfo]:
    """Every address `host` resolves to, each one checked; connections are made to these and no others,
    so a DNS answer that changes after the check (rebinding) is never used."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(url, f"the host name {host} does not resolve", DNS) from exc
    for *_, sockaddr in infos:
        reason = refusal(host, ipaddress.ip_address(sockaddr[0].split("%")[0]), what)
        if reason:
            raise FetchFailed(url, reason, REFUSED)
    return [(family, kind, proto, sockaddr) for family, kind, proto, _, sockaddr in infos]


def split(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; FetchFailed (INVALID) for anything else."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed(url, "only http(s) URLs can be fetched", INVALID)
    try:
        return parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchFailed(url, "its port is not a number from 1 to 65535", INVALID) from exc


def check(url: str, what: str) -> None:
    """The guard without the fetch: raises FetchFailed when `url` could not be fetched for `what`."""
    _, host, port = split(url)
    resolve(url, host, port, what)


def check_url(url: str, what: str = "ML backend") -> str:
    """The same guard at save time (ML backend and webhook URLs), as a validation error on `url`; each
    call to the saved URL is checked again when it is made."""
    try:
        check(url, what)
    except FetchFailed as exc:
        if exc.kind == INVALID:
            raise ValidationFailed("Validation error", {"url": [
                f"Give the {what}'s http(s) URL, e.g. http://localhost:9090."]}) from exc
        raise ValidationFailed("Validation error", {"url": [exc.reason[0].upper() + exc.reason[1:] + "."]}) from exc
    return url
