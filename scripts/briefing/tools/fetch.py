"""Fetching an address a stranger wrote: public addresses only, one deadline, a size cap.

`briefing archive` and `briefing linkcheck --external` fetch addresses that come from pages
anyone can write, so a fetch here:

- refuses loopback, private, link-local, multicast, reserved and cloud-metadata addresses
  (unless `allow` names them), checking every address a host name resolves to, and again
  for every redirect;
- connects to the address it checked (the name is resolved once, so a second DNS answer
  cannot switch it), while the Host header, TLS SNI and certificate use the name;
- ends at one deadline for the whole fetch (resolving, connecting, every redirect and
  every byte), however slowly the server sends;
- reads at most `max_bytes` of a body, and no proxy from the environment.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import threading
import time
import unicodedata
from dataclasses import dataclass
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit

DEADLINE = 30.0  # seconds for one fetch, redirects included
MAX_REDIRECTS = 10
GRACE = 1.0  # seconds a socket may outlive the deadline, so that the deadline's timer is what ends it
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
EVERYWHERE: tuple[Network, ...] = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(ValueError):
    """Why an address was not fetched, in words for the contributor."""


@dataclass(frozen=True)
class Fetched:
    """A response: the address it came from after redirects, its status, headers and (capped) body."""

    url: str
    status: int
    headers: Message
    body: bytes


def refusal(address: Address) -> str | None:
    """Why an address is not a public one (None if it is), as the contributor reads it."""
    if address in METADATA:
        return "a cloud metadata address"
    inner = _embedded_ipv4(address)
    if inner is not None:
        problem = refusal(inner)
        return f"{problem} (inside {address})" if problem else None
    for test, words in (
        ("is_loopback", "a loopback address"),
        ("is_unspecified", "an unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_site_local", "a site-local address"),  # IPv6 fec0::/10, deprecated but still routed inside some sites
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(address, test, False):
            return words
    return None if address.is_global else "not a public address"


def _embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, Teredo), which is where it leads."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour:
        return address.sixtofour
    return address.teredo[1] if address.teredo else None


def fetch(
    url: str,
    *,
    method: str = "GET",
    deadline: float = DEADLINE,
    max_bytes: int = 0,
    allow: tuple[Network, ...] = (),
    user_agent: str = "briefing/1",
    started: float | None = None,
) -> Fetched:
    """Fetch one address under the rules above; FetchError says why not. Reads no body when max_bytes is 0.

    The deadline counts from `started` (a time.monotonic(); default now), so that two requests
    for one address (HEAD, then GET) share it.
    """
    clock = _Clock(deadline, started)
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = _one(url, method, clock, max_bytes, allow, user_agent)
            location = response.headers.get("Location")
            if response.status not in (301, 302, 303, 307, 308) or not location:
                return response
            try:
                url = urljoin(url, location.strip())
            except ValueError as exc:
                raise FetchError(f"redirected to a broken address {shown(location)}: {exc}") from None
            if response.status == 303 and method != "HEAD":
                method = "GET"
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")
    except (OSError, http.client.HTTPException, UnicodeError, ValueError) as exc:
        if clock.expired:
            raise FetchError(f"no answer within {deadline:g} s (the deadline for one fetch)") from None
        if isinstance(exc, FetchError):
            raise
        raise FetchError(f"unreachable: {shown(str(exc)) or type(exc).__name__}") from None
    finally:
        clock.stop()


def _one(url: str, method: str, clock: _Clock, max_bytes: int, allow: tuple[Network, ...], agent: str) -> Fetched:
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid address {shown(url)}: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{shown(url)}: only http:// and https:// addresses are fetched")
    if not host:
        raise FetchError(f"unreachable: {shown(url)} names no host")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(host, port, clock)
    for address in addresses:
        problem = refusal(address)
        if problem and not any(address in network for network in allow):
            named = shown(host) if host == str(address) else f"{shown(host)} ({address})"
            raise FetchError(f"refused {named}: {problem} (pass --allow-private to fetch it anyway)")
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(host, port, timeout=clock.left() + GRACE)
    connection._create_connection = lambda *_: clock.watch(_connect(addresses, port, clock))  # type: ignore[attr-defined]
    try:
        target = _path_of(parts.path or "/", parts.query)
        connection.request(method, target, headers={"User-Agent": agent, "Accept-Encoding": "identity"})
        response = connection.getresponse()
        declared = response.headers.get("Content-Length", "")
        if max_bytes and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"{int(declared):,} bytes; the limit is {max_bytes:,}")
        body = b""
        if max_bytes and 200 <= response.status < 300 and method != "HEAD":
            body = _read(response, max_bytes, clock)
        return Fetched(url, response.status, response.headers, body)
    finally:
        connection.close()


def _path_of(path: str, query: str) -> str:
    """The request target with spaces, controls and non-ASCII percent-encoded, as a browser sends it."""
    target = path + ("?" + query if query else "")
    return re.sub(r"[^\x21-\x7e]", lambda m: quote(m.group(), safe=""), target)


def _read(response: http.client.HTTPResponse, max_bytes: int, clock: _Clock) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        clock.left()
        chunk = response.read(min(65536, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise FetchError(f"more than {max_bytes:,} bytes; the limit is {max_bytes:,}")
    return b"".join(chunks)


def _resolve(host: str, port: int, clock: _Clock) -> list[Address]:
    """Every address of a host name, within the fetch's deadline (a resolver can stall too)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    answer: list = []

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            answer.append(exc)

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(clock.left())
    if not answer:
        clock.left()
        raise FetchError(f"{shown(host)}: no answer from the resolver")
    if isinstance(answer[0], Exception):
        raise FetchError(f"{shown(host)}: cannot resolve it: {answer[0]}")
    found = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in answer[0]]
    if not found:
        raise FetchError(f"{shown(host)}: the resolver gave no address")
    return list(dict.fromkeys(found))


def _connect(addresses: list[Address], port: int, clock: _Clock) -> socket.socket:
    """A connection to the first checked address that answers, within the deadline."""
    error: OSError = OSError("no address")
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), clock.left() + GRACE)
        except OSError as exc:
            error = exc
    raise error


class _Clock:
    """One deadline for a fetch: shuts its connections down when time is up, wherever they are blocked."""

    def __init__(self, seconds: float, started: float | None = None) -> None:
        self.seconds = seconds
        self.end = (time.monotonic() if started is None else started) + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, self.end - time.monotonic()), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0 or self.expired:
            self.expired = True
            raise FetchError(f"no answer within {self.seconds:g} s (the deadline for one fetch)")
        return remaining

    def watch(self, sock: socket.socket) -> socket.socket:
        """Keep a duplicate of the connection's descriptor: shutting it down ends any read, TLS included."""
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                self._sockets[-1].shutdown(socket.SHUT_RDWR)
        sock.settimeout(self.left() + GRACE)  # a backstop: the timer ends it first
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def shown(text: str, limit: int = 200) -> str:
    """Text from a stranger, safe for a terminal: control, format and unassigned characters escaped; at most `limit`."""
    out = "".join(
        ch if unicodedata.category(ch)[0] != "C" else ch.encode("unicode_escape").decode("ascii") for ch in text
    )
    return out if len(out) <= limit else out[: limit - 1] + "…"
