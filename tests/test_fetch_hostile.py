"""Fetched pages that lie and stall: `briefing archive` and `briefing linkcheck --external` against hostile servers.

Every server here listens on 127.0.0.1 only. Loopback is refused by default, so the tests that
must reach one pass --allow-private (or, in-process, `allow` naming 127.0.0.1 alone, so that a
redirect anywhere else is still refused).
"""

from __future__ import annotations

import http.server
import io
import ipaddress
import itertools
import socket
import socketserver
import threading

import pytest
import yaml
from conftest import Project
from helpers import in_background, snapshot

from briefing.tools import archive
from briefing.tools.archive import ArchiveError, extract
from briefing.tools.fetch import FetchError, fetch, refusal, shown
from briefing.tools.linkcheck import check_external, check_site

FLAGS = [
    "--published",
    "2024-05-03",
    "--kind",
    "news-report",
    "--reliability",
    "Local paper.",
    "--summary",
    "Reports the round.",
]
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)  # in-process: this one address and no other
ARTICLE = "<p>" + "Acme Robotics raised 2 billion yuan in a round led by Harbour Capital. " * 8 + "</p>"


def page(head: str = "", body: str = ARTICLE) -> bytes:
    return f"<!doctype html><html><head>{head}<title>Acme raises</title></head><body><article>{body}</article></body></html>".encode()


def unchanged(project: Project):
    """What `archive` must leave as it was when it refuses: the archive folder and the registry."""
    return snapshot(project.archive), snapshot(project.facts)


# Servers


class Routes(http.server.BaseHTTPRequestHandler):
    """Answers from the server's `routes`: path -> (status, headers, body); echoes the request at /echo."""

    def do_GET(self) -> None:
        if self.path == "/echo":
            status, headers, body = 200, {}, page(body=f"<p>{self.headers['Host']}</p>" + ARTICLE)
        else:
            status, headers, body = self.server.routes.get(self.path, (404, {}, b"not here"))  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def routes():
    """A server on 127.0.0.1 answering from a dict the test fills; yields (address, dict)."""
    table: dict = {}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Routes)
    server.routes = table  # type: ignore[attr-defined]
    in_background(server)
    yield f"http://127.0.0.1:{server.server_address[1]}", table
    server.shutdown()


class Trickle(socketserver.BaseRequestHandler):
    """Sends its payload one byte every 0.1 s, then spaces, until the client hangs up: never finishes."""

    def handle(self) -> None:
        payload: bytes = self.server.payload  # type: ignore[attr-defined]
        for i in itertools.count():
            try:
                self.request.sendall(payload[i : i + 1] or b" ")
            except OSError:
                return
            if self.server.stop.wait(0.1):  # type: ignore[attr-defined]
                return


@pytest.fixture(params=["headers", "body", "tls"])
def trickle(request):
    """A server that never finishes: its headers, its body (after whole headers) or its TLS handshake, slowly."""
    head = b"HTTP/1.1 200 OK\r\n"
    payload = {
        "headers": head,
        "body": head + b"Content-Type: text/html\r\n\r\n<html><body>",
        "tls": b"\x16\x03\x03\x40\x00",  # a handshake record of 16 KB is coming, a byte at a time
    }[request.param]
    scheme = "https" if request.param == "tls" else "http"
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    server.payload, server.stop = payload, threading.Event()  # type: ignore[attr-defined]
    in_background(server)
    yield f"{scheme}://127.0.0.1:{server.server_address[1]}/article.html"
    server.stop.set()  # type: ignore[attr-defined]
    server.shutdown()


class Endless(socketserver.BaseRequestHandler):
    """A page with no length that never ends, sent as fast as the client reads it."""

    def handle(self) -> None:
        try:
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>")
            while not self.server.stop.is_set():  # type: ignore[attr-defined]
                self.request.sendall(b"<p>Acme</p>" * 6000)
        except OSError:
            return


@pytest.fixture
def endless():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Endless)
    server.daemon_threads = True
    server.stop = threading.Event()  # type: ignore[attr-defined]
    in_background(server)
    yield f"http://127.0.0.1:{server.server_address[1]}/big.html"
    server.stop.set()  # type: ignore[attr-defined]
    server.shutdown()


# A1: a declared charset is a real text encoding or it is not used


def test_a_page_naming_punycode_is_read_as_utf8_with_a_warning():
    """641 KB naming punycode (quadratic to decode: it ran for minutes) is read as UTF-8 at once."""
    tail = b"<!-- -" + b"a" * 340_000  # punycode inserts each 'a' into everything before the last '-'
    data = page('<meta charset="punycode">', ARTICLE * 525) + tail  # all ASCII: punycode's basic part
    assert len(data) > 640_000
    found = extract(data, "html")
    assert "Acme Robotics raised 2 billion yuan" in found.text
    assert "the page declares charset 'punycode', which is no text encoding; read it as UTF-8" in found.notes


@pytest.mark.parametrize(
    ("charset", "literal"),
    [
        ("utf-7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),  # '<script>' in UTF-7
        ("unicode_escape", r"\u0041cme \x42"),
        ("raw_unicode_escape", r"\u0041cme"),
        ("idna", "xn--zrich-kva"),
        ("rot13", "Npzr"),
        ("base64", "QWNtZQ=="),
        ("mbcs", "Acme"),
    ],
)
def test_a_codec_that_is_no_text_encoding_leaves_the_bytes_as_they_are(charset, literal):
    found = extract(page(f"<meta charset={charset}>", ARTICLE + f"<p>Said: {literal} here.</p>"), "html")
    assert f"Said: {literal} here." in found.text
    assert any(f"charset '{charset}', which is no text encoding" in note for note in found.notes)


@pytest.mark.parametrize(
    ("label", "encoding", "words"),
    [
        ("windows-1251", "cp1251", "Акме привлекла 2 миллиарда юаней"),
        ("Shift_JIS", "cp932", "アクメは20億元を調達した"),
        ("gb2312", "gb18030", "艾克米融资20亿元"),
        ("big5", "big5hkscs", "艾克米融資20億元"),
        ("euc-kr", "cp949", "애크미가 20억 위안을 모금했다"),
        ("latin1", "cp1252", "Acme’s “round” — 2 billion"),  # WHATWG reads latin1 as Windows-1252
        ("koi8-r", "koi8_r", "Акме привлекла"),
    ],
)
def test_real_text_encodings_are_still_read(label, encoding, words):
    data = page(f'<meta http-equiv="Content-Type" content="text/html; charset={label}">', ARTICLE + f"<p>{words}</p>")
    found = extract(data.decode("utf-8").encode(encoding), "html")
    assert words in found.text and not found.notes


def test_every_allowed_charset_is_a_text_encoding_and_none_of_pythons_others_is():
    import codecs

    assert all(codecs.lookup(codec)._is_text_encoding for codec in archive.ENCODINGS)
    for other in ("punycode", "utf-7", "unicode_escape", "idna", "rot13", "hex", "uu", "undefined", "x-user-defined"):
        assert other not in archive.CODEC_OF_LABEL


def test_archive_names_the_charset_it_did_not_use(project: Project, tmp_path):
    saved = tmp_path / "punycode.html"
    saved.write_bytes(page("<meta charset=punycode>", ARTICLE + "<p>Zürich</p>"))
    result = project.run("archive", str(saved), "--publisher", "Gazette", *FLAGS)
    assert result.returncode == 0, result.stderr
    assert "note: the page declares charset 'punycode', which is no text encoding; read it as UTF-8" in result.stderr
    (archived,) = [p for p in project.archive.iterdir() if p.name.startswith("acme-raises")]
    assert "Zürich" in archived.read_text(encoding="utf-8")


# A2: one deadline per fetch, and a size cap


def test_a_server_that_never_finishes_meets_the_deadline(trickle):
    with pytest.raises(FetchError, match=r"^no answer within 0.5 s \(the deadline for one fetch\)$"):
        fetch(trickle, deadline=0.5, max_bytes=archive.MAX_BYTES, allow=LOOPBACK)


def test_archive_gives_up_on_a_slow_server_and_writes_nothing(project: Project, trickle):
    before = unchanged(project)
    result = project.run("archive", trickle, "--deadline", "0.5", "--allow-private", *FLAGS)
    assert result.returncode == 1
    assert f"error: {trickle}: cannot download it: no answer within 0.5 s" in result.stderr
    assert "Traceback" not in result.stderr
    assert unchanged(project) == before


def test_linkcheck_gives_up_on_a_slow_server(trickle, routes):
    address, table = routes
    table["/ok.html"] = (200, {}, b"fine")
    broken = check_external({trickle, f"{address}/ok.html"}, deadline=1, allow_private=True)
    assert [(b.target, b.reason) for b in broken] == [(trickle, "no answer within 1 s (the deadline for one fetch)")]


def test_linkcheck_command_takes_a_deadline(project: Project, trickle, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f'<a href="{trickle}">slow</a>', encoding="utf-8")
    result = project.run("linkcheck", "--site-dir", str(site), "--external", "--deadline", "0.5", "--allow-private")
    assert result.returncode == 1
    assert f"error: (external): broken link '{trickle}': no answer within 0.5 s" in result.stderr


def test_a_page_without_end_is_cut_at_the_size_cap(project: Project, endless):
    with pytest.raises(FetchError, match=f"more than {archive.MAX_BYTES:,} bytes; the limit is"):
        fetch(endless, max_bytes=archive.MAX_BYTES, allow=LOOPBACK)
    before = unchanged(project)
    result = project.run("archive", endless, "--allow-private", *FLAGS)
    assert result.returncode == 1 and "the limit is 10,485,760" in result.stderr
    assert unchanged(project) == before


def test_a_declared_length_over_the_cap_is_refused_unread(routes):
    address, table = routes
    table["/huge.html"] = (200, {"Content-Length": str(archive.MAX_BYTES + 1)}, b"")
    with pytest.raises(FetchError, match="10,485,761 bytes; the limit is 10,485,760"):
        fetch(f"{address}/huge.html", max_bytes=archive.MAX_BYTES, allow=LOOPBACK)


# A3: no private addresses; the address and publisher recorded are the ones fetched


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.8.9.10", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fc00::1", "a private address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("169.254.1.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("fec0::1", "a site-local address"),
        ("224.0.0.1", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("240.0.0.1", "a private address"),
        ("255.255.255.255", "a private address"),
        ("100.100.100.200", "not a public address"),  # Alibaba Cloud's metadata, in shared address space
        # Python 3.13 prints a mapped address as ::ffff:127.0.0.1, earlier ones as ::ffff:7f00:1
        ("::ffff:127.0.0.1", f"a loopback address (inside {ipaddress.ip_address('::ffff:127.0.0.1')})"),
        ("64:ff9b::a9fe:a9fe", "a cloud metadata address (inside 64:ff9b::a9fe:a9fe)"),
        ("2002:c0a8:101::1", "a private address (inside 2002:c0a8:101::1)"),
    ],
)
def test_addresses_that_are_not_public_are_refused(address, why):
    assert refusal(ipaddress.ip_address(address)) == why


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "64:ff9b::808:808"])
def test_public_addresses_are_fetched(address):
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0x7f.1/",  # and in hexadecimal, as the resolver reads it
        "http://[::ffff:127.0.0.1]/",
        "http://localhost/",
        "http://10.0.0.1:8080/admin",
    ],
)
def test_private_addresses_are_refused_before_connecting(url):
    with pytest.raises(FetchError, match=r"^refused .*\(pass --allow-private to fetch it anyway\)$"):
        fetch(url, deadline=5)
    (broken,) = check_external({url}, deadline=5)
    assert broken.reason.startswith("refused ")


def test_archive_refuses_loopback_without_allow_private(project: Project, routes):
    address, table = routes
    table["/story.html"] = (200, {"Content-Type": "text/html"}, page())
    before = unchanged(project)
    result = project.run("archive", f"{address}/story.html", *FLAGS)
    assert result.returncode == 1
    assert (
        f"error: {address}/story.html: cannot download it: refused 127.0.0.1: a loopback address "
        "(pass --allow-private to fetch it anyway); nothing was written"
    ) in result.stderr
    assert unchanged(project) == before


def test_linkcheck_refuses_loopback_without_allow_private(routes):
    address, table = routes
    table["/ok.html"] = (200, {}, b"fine")
    assert [b.reason for b in check_external({f"{address}/ok.html"})] == [
        "refused 127.0.0.1: a loopback address (pass --allow-private to fetch it anyway)"
    ]
    assert check_external({f"{address}/ok.html"}, allow_private=True) == []


@pytest.mark.parametrize(
    ("target", "refused"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254: a cloud metadata address"),
        ("http://127.0.0.2:{port}/echo", "127.0.0.2: a loopback address"),
        ("http://[::1]:{port}/echo", "::1: a loopback address"),
        ("http://192.168.0.1/", "192.168.0.1: a private address"),
    ],
)
def test_every_redirect_is_checked_again(routes, target, refused):
    address, table = routes
    table["/moved"] = (302, {"Location": target.format(port=address.rsplit(":", 1)[1])}, b"")
    with pytest.raises(FetchError, match=f"^refused {refused} "):
        fetch(f"{address}/moved", allow=LOOPBACK)  # the first hop is allowed, the next is not


def test_a_redirect_to_another_scheme_or_a_broken_address_is_refused(routes):
    address, table = routes
    table["/file"] = (302, {"Location": "file:///etc/passwd"}, b"")
    table["/broken"] = (302, {"Location": "http://[fe80::1/x"}, b"")
    table["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match=r"file:///etc/passwd: only http:// and https:// addresses are fetched"):
        fetch(f"{address}/file", allow=LOOPBACK)
    with pytest.raises(FetchError, match=r"Invalid IPv6 URL"):
        fetch(f"{address}/broken", allow=LOOPBACK)
    with pytest.raises(FetchError, match=r"^more than 10 redirects$"):
        fetch(f"{address}/loop", allow=LOOPBACK)


def fake_resolver(monkeypatch, answers: dict[str, list[list[str]]]) -> list[str]:
    """socket.getaddrinfo answering names from `answers` (one list of addresses per call, the last repeated)."""
    real = socket.getaddrinfo
    calls: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        calls.append(host)
        replies = answers[host]
        chosen = replies[min(len(calls) - 1, len(replies) - 1)]
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in chosen]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def test_a_name_with_any_private_address_is_refused(monkeypatch):
    fake_resolver(monkeypatch, {"mixed.test": [["93.184.216.34", "127.0.0.1"]]})
    with pytest.raises(FetchError, match=r"^refused mixed\.test \(127\.0\.0\.1\): a loopback address"):
        fetch("http://mixed.test/", deadline=5)


def test_dns_rebinding_cannot_switch_the_checked_address(monkeypatch, routes):
    """The name is resolved once; the connection goes to the address that was checked, under the name."""
    address, _ = routes
    port = address.rsplit(":", 1)[1]
    calls = fake_resolver(monkeypatch, {"rebind.test": [["127.0.0.1"], ["10.255.255.1"]]})
    response = fetch(f"http://rebind.test:{port}/echo", max_bytes=100_000, allow=LOOPBACK)
    assert calls == ["rebind.test"]
    assert f"<p>rebind.test:{port}</p>".encode() in response.body  # the Host header is the name


@pytest.fixture
def tls_routes(tmp_path, monkeypatch):
    """A TLS server on 127.0.0.1 with a certificate for site.test, which the client is told to trust."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=site.test"]
        + ["-addext", "subjectAltName=DNS:site.test", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Routes)
    server.routes = {}  # type: ignore[attr-defined]
    side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    side.load_cert_chain(cert, key)
    server.socket = side.wrap_socket(server.socket, server_side=True)
    in_background(server)
    monkeypatch.setattr(ssl, "_create_default_https_context", lambda: ssl.create_default_context(cafile=str(cert)))
    yield server.server_address[1]
    server.shutdown()


def test_tls_checks_the_certificate_against_the_name_while_connecting_to_the_checked_address(monkeypatch, tls_routes):
    port = tls_routes
    calls = fake_resolver(monkeypatch, {"site.test": [["127.0.0.1"], ["10.255.255.1"]]})
    response = fetch(f"https://site.test:{port}/echo", max_bytes=100_000, allow=LOOPBACK)
    assert (response.status, calls) == (200, ["site.test"])
    assert f"<p>site.test:{port}</p>".encode() in response.body
    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):  # the same server by its address: no match
        fetch(f"https://127.0.0.1:{port}/echo", allow=LOOPBACK)


def test_the_recorded_source_is_where_the_page_came_from_not_what_it_claims(project: Project, routes):
    """A page on 127.0.0.1 calling itself Reuters at reuters.com is recorded at the address it came from."""
    address, table = routes
    claims = (
        '<link rel="canonical" href="https://www.reuters.com/technology/acme-2024-05-03/">'
        '<meta property="og:site_name" content="Reuters">'
        '<meta property="og:url" content="https://www.reuters.com/technology/acme-2024-05-03/">'
    )
    table["/short"] = (301, {"Location": "/story.html"}, b"")
    table["/story.html"] = (200, {"Content-Type": "text/html"}, page(claims))
    result = project.run("archive", f"{address}/short", "--allow-private", *FLAGS)
    assert result.returncode == 0, result.stderr
    added = yaml.safe_load((project.facts / "sources.yaml").read_text(encoding="utf-8"))["sources"][-1]
    assert (added["url"], added["publisher"]) == (f"{address}/story.html", "127.0.0.1")
    assert "reuters" not in yaml.safe_dump(added).lower()
    assert (
        "note: the page gives its address as 'https://www.reuters.com/technology/acme-2024-05-03/' "
        "(canonical or og:url); not recorded"
    ) in result.stderr
    assert (
        "note: the page names its site 'Reuters' (og:site_name or the like); not used as the publisher" in result.stderr
    )


def test_what_a_page_claims_is_printed_safely():
    """A claim with terminal escapes or bidi overrides is shown escaped, never sent to the terminal as it is."""
    assert shown("Reuters\x1b[2J\u202e\u200b\n") == "Reuters\\x1b[2J\\u202e\\u200b\\n"
    assert shown("x" * 500) == "x" * 199 + "…"
    claim = '<link rel="canonical" href="https://reuters.com/\u202egnp.exe">'
    found = extract(page(claim, ARTICLE + "<p>Escapes.</p>"), "html", "http://x.test/a")  # new words: trafilatura
    # drops a text it extracted before in the same process
    assert not any(ch in note for note in found.notes for ch in "\x1b\u202e")


# A4: PDF extraction has caps on pages, characters and time


def hostile_pdf(pages: int = 1, repeats: int = 1, operators: int = 860_000) -> bytes:
    """A PDF whose page tree lists `pages` distinct pages `repeats` times each, all drawing one text stream."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    line = b"(Acme Robotics raised 2 billion yuan.) Tj T* "
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 720 Td 14 TL " + line * (operators // len(line)) + b"ET")
    content_ref = writer._add_object(content.flate_encode())
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    refs = []
    for _ in range(pages):
        one = writer.add_blank_page(612, 792)
        one[NameObject("/Contents")] = content_ref
        one[NameObject("/Resources")] = resources
        refs.append(one.indirect_reference)
    tree = writer._root_object["/Pages"].get_object()
    tree[NameObject("/Kids")] = ArrayObject(refs * repeats)
    tree[NameObject("/Count")] = NumberObject(pages * repeats)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_one_page_listed_a_thousand_times_is_refused(project: Project, tmp_path):
    """9 KB that pypdf reads as 1,000 pages of 600,000 characters each (about 45 minutes before)."""
    data = hostile_pdf(repeats=1000)
    assert len(data) < 10_000
    saved = tmp_path / "report.pdf"
    saved.write_bytes(data)
    before = unchanged(project)
    result = project.run("archive", str(saved), "--publisher", "Acme", *FLAGS)
    assert result.returncode == 1
    assert "error: the PDF has 1,000 pages; the limit is 300; nothing was written" in result.stderr
    assert unchanged(project) == before


def test_a_repeated_page_object_is_refused():
    with pytest.raises(ArchiveError, match=r"^the PDF lists one page object more than once \(page 3\); refused$"):
        extract(hostile_pdf(pages=2, repeats=5, operators=2_000), "pdf")


def test_reading_a_pdf_stops_at_its_time_limit(monkeypatch):
    monkeypatch.setattr(archive, "MAX_CHARS", 10**9)  # only the clock stops 300 distinct pages of 600,000 characters
    with pytest.raises(ArchiveError, match=r"^reading the PDF took longer than 1 s; the limit is 1 s$"):
        extract(hostile_pdf(pages=300), "pdf", pdf_seconds=1)


def test_reading_a_pdf_stops_at_its_character_limit(monkeypatch):
    monkeypatch.setattr(archive, "MAX_CHARS", 5_000)
    with pytest.raises(ArchiveError, match=r"^the PDF has more than 5,000 characters of text; the limit is 5,000$"):
        extract(hostile_pdf(pages=3, operators=3_000), "pdf")
    found = extract(hostile_pdf(pages=1, operators=3_000), "pdf")  # under the limit: read as before
    assert found.text.startswith("Acme Robotics raised 2 billion yuan.")


# O2: a hostile address in a link is a broken link, not a traceback


def test_an_invalid_address_in_raw_html_is_a_broken_link(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<a href="http://[fe80::1/notes">a</a><a href="https://[::1">b</a><a href="//[x/y">c</a>', encoding="utf-8"
    )
    broken, external = check_site(site)
    assert [str(b) for b in broken] == [
        "index.html: broken link 'http://[fe80::1/notes': not a valid address: Invalid IPv6 URL",
        "index.html: broken link 'https://[::1': not a valid address: Invalid IPv6 URL",
        "index.html: broken link '//[x/y': not a valid address: Invalid IPv6 URL",
    ]
    assert external == set()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[fe80::1/notes", "not a valid address http://[fe80::1/notes: Invalid IPv6 URL"),
        ("http://example.org:99999/", "not a valid address http://example.org:99999/: Port out of range 0-65535"),
        ("http://example.org:port/", "not a valid address http://example.org:port/: Port could not be cast"),
        ("http://[::1]:x/", "not a valid address http://[::1]:x/: Port could not be cast"),
    ],
)
def test_external_addresses_that_do_not_parse_are_broken_links(url, reason):
    (broken,) = check_external({url}, deadline=5)
    assert broken.reason.startswith(reason)


@pytest.mark.parametrize("url", ["http://[fe80::1/notes", "http://example.org:99999/", "https://[::1]:x/"])
def test_archive_of_an_address_that_does_not_parse_is_an_error_not_a_traceback(project: Project, url):
    before = unchanged(project)
    result = project.run("archive", url, *FLAGS)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {url}: cannot download it: not a valid address")
    assert "Traceback" not in result.stderr
    assert unchanged(project) == before


def test_the_build_reports_an_invalid_address_in_a_docs_page(site_project: Project):
    docs = site_project.root / "docs" / "methodology.md"
    docs.write_text(
        docs.read_text(encoding="utf-8") + '\n<a href="http://[fe80::1/notes">notes</a>\n', encoding="utf-8"
    )
    result = site_project.run("build", "--strict")
    assert result.returncode == 1
    assert (
        "error: methodology/index.html: broken link 'http://[fe80::1/notes': not a valid address: Invalid IPv6 URL"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
