"""Fetching pages, served by a local HTTP server on 127.0.0.1 -- never the internet."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claimcheck.ingest.documents import InputError
from claimcheck.ingest.fetch import fetch, fetch_url, is_url

PAGE = "<html><body><nav>Home</nav>\n<p>Dry needling cures migraines \u2014 caf\u00e9 note.</p>\n</body></html>\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def send(self, body: bytes, ctype: str | None = "text/html; charset=utf-8", length: bool = True) -> None:
        self.send_response(200)
        if ctype:
            self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path = self.path
        if path == "/page":
            self.send(PAGE.encode("utf-8"))
        elif path == "/latin1":
            self.send("<p>caf\u00e9</p>".encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif path == "/markdown":
            self.send(b"# Title\n\nDry needling cures migraines.\n", "text/markdown")
        elif path == "/plain":
            self.send(b"Dry needling cures migraines.\n", "text/plain")
        elif path == "/loop":
            self.redirect("/loop")
        elif path.startswith("/hops/"):
            n = int(path.rsplit("/", 1)[1])
            self.redirect(f"/hops/{n - 1}" if n > 1 else "/page")
        elif path == "/to-file":
            self.redirect("file:///etc/passwd")
        elif path == "/binary":
            self.send(b"%PDF-1.7\x00\x01\x02", "application/pdf")
        elif path == "/no-type":
            self.send(b"<p>x</p>", None)
        elif path == "/nul":
            self.send(b"<p>\x00\x00</p>", "text/html")
        elif path == "/bad-utf8":
            self.send(b"<p>caf\xe9</p>", "text/html; charset=utf-8")
        elif path == "/bad-charset":
            self.send(b"<p>x</p>", "text/html; charset=klingon-8")
        elif path == "/slow":
            time.sleep(1.5)
            self.send(b"<p>late</p>")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(12):
                self.wfile.write(b"<p>drip</p>\n")
                self.wfile.flush()
                time.sleep(0.15)
        elif path == "/big":
            self.send(b"<p>" + b"x" * 5000 + b"</p>")
        elif path == "/big-unannounced":
            self.send(b"<p>" + b"x" * 5000 + b"</p>", length=False)
        else:
            self.send_error(404, "Not Found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """A proxy configured in the environment must not intercept requests to the local server."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")


def fails(url: str, **kw) -> str:
    with pytest.raises(InputError) as info:
        fetch_url(url, **kw)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_html_page(server):
    text, final = fetch_url(f"{server}/page")
    assert text == PAGE and final == f"{server}/page"
    page = fetch(f"{server}/page")
    assert page.fmt == "html" and page.content_type == "text/html"


def test_charset_from_header_and_formats(server):
    assert fetch_url(f"{server}/latin1")[0] == "<p>caf\u00e9</p>"
    assert fetch(f"{server}/markdown").fmt == "markdown"
    assert fetch(f"{server}/plain").fmt == "text"


def test_redirects_are_followed_up_to_the_limit(server):
    text, final = fetch_url(f"{server}/hops/3", max_redirects=3)
    assert text == PAGE and final == f"{server}/page"
    message = fails(f"{server}/hops/3", max_redirects=2)
    assert message == f"{server}/hops/3: more than 2 redirects"


def test_redirect_loop(server):
    assert fails(f"{server}/loop") == f"{server}/loop: more than 5 redirects"


def test_redirect_to_another_scheme_is_refused(server):
    assert "only http and https" in fails(f"{server}/to-file")


def test_binary_and_missing_content_types(server):
    message = fails(f"{server}/binary")
    assert message.startswith(f"{server}/binary: content type application/pdf is not checkable")
    assert "content type none" in fails(f"{server}/no-type")
    assert "binary content" in fails(f"{server}/nul")


def test_decoding_errors(server):
    assert fails(f"{server}/bad-utf8") == f"{server}/bad-utf8: invalid utf-8 at byte 6"
    assert "unknown charset 'klingon-8'" in fails(f"{server}/bad-charset")


def test_timeout_waiting_for_the_response(server):
    started = time.monotonic()
    assert fails(f"{server}/slow", timeout=0.5) == f"{server}/slow: timed out after 0.5s"
    assert time.monotonic() - started < 1.4


def test_deadline_covers_a_slow_body(server):
    started = time.monotonic()
    assert fails(f"{server}/drip", timeout=0.5) == f"{server}/drip: timed out after 0.5s"
    assert time.monotonic() - started < 1.4


def test_size_cap(server):
    assert "page too large (5,007 bytes; the limit is 1,000)" in fails(f"{server}/big", max_bytes=1000)
    assert "page too large (over 1,000 bytes" in fails(f"{server}/big-unannounced", max_bytes=1000)
    assert len(fetch_url(f"{server}/big-unannounced", max_bytes=10_000)[0]) == 5007


def test_http_errors_and_bad_urls(server):
    assert fails(f"{server}/missing") == f"{server}/missing: HTTP 404 Not Found"
    assert fails("ftp://127.0.0.1/x") == "ftp://127.0.0.1/x: only http and https URLs can be checked"
    assert fails("http:///nohost") == "http:///nohost: no host in URL"


def test_connection_refused():
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert fails(f"http://127.0.0.1:{port}/").startswith(f"http://127.0.0.1:{port}/: cannot fetch (")


def test_is_url():
    assert is_url("https://clinic.example/page") and is_url("HTTP://x")
    assert not is_url("content/page.md") and not is_url("-")


def test_fetched_page_checks_with_locations_in_the_html(server, checker):
    page = fetch(f"{server}/page")
    result = checker.check_text(page.text, page.url, page.fmt)
    assert result.findings
    finding = result.findings[0]
    assert finding.line == 2
    assert page.text[finding.claim.start : finding.claim.end].startswith("Dry needling")
