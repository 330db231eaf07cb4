"""Hostile web servers (issue 16, case 8 and the HTTP half of case 7): malformed responses,
short bodies, charsets declared only in the page, redirects into the local network, and
control characters in reason phrases and pages. A raw socket server on 127.0.0.1 answers
with exact bytes -- never the internet."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator

import pytest
from conftest import run_cli

PAGE = b"<html><body><p>Dry needling cures migraines.</p></body></html>\n"


def _ok(body: bytes, ctype: bytes = b"text/html; charset=utf-8") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body


def _responses(port: int) -> dict[str, bytes]:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
    evil = b"<p>\x1b]8;;http://x.test\x1b\\ Dry needling cures migraines. \x1b]8;;\x1b\\\x07\r\x1b[2J</p>"
    legacy = (
        b"<html><head><meta charset=windows-1252></head>"
        b"<body><p>Dry needling cures migraines \x96 and caf\xe9 headaches.</p>"
    )
    return {
        "/bad-status": b"NOT-HTTP 200 OK\r\n\r\n" + PAGE,
        "/many-headers": head + b"".join(b"X-Header-%d: v\r\n" % i for i in range(150)) + b"\r\n" + PAGE,
        "/long-header": head + b"X-Big: " + b"a" * 70_000 + b"\r\n\r\n" + PAGE,
        "/bad-chunk": head + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n" + PAGE,
        "/cut-chunk": head + b"Transfer-Encoding: chunked\r\n\r\n400\r\n" + PAGE,
        "/short-body": head + b"Content-Length: 5000\r\n\r\n" + PAGE,
        "/legacy": _ok(legacy, b"text/html"),
        "/evil-reason": b"HTTP/1.1 404 Not \x1b]0;owned\x07Found\x1b[2J\r\nContent-Length: 0\r\n\r\n",
        "/evil-page": _ok(evil),
        "/to-private": b"HTTP/1.1 302 Found\r\nLocation: http://localhost:%d/ok\r\nContent-Length: 0\r\n\r\n" % port,
        "/ok": _ok(PAGE),
    }


class _Raw(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        request = self.rfile.readline().decode("latin-1").split()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        path = request[1] if len(request) > 1 else "/"
        self.wfile.write(self.server.responses.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Raw)
    srv.daemon_threads = True
    srv.responses = _responses(srv.server_address[1])
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_malformed_responses_are_one_line_each_and_other_inputs_are_reported(server, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Dry needling cures migraines.\n", encoding="utf-8")
    bad = ["/bad-status", "/many-headers", "/long-header", "/bad-chunk", "/cut-chunk", "/short-body"]
    urls = [server + path for path in bad]
    out = run_cli("check", str(good), *urls, server + "/ok", "-f", "json", "--no-model", "--url-timeout", "5")
    err = out.stderr.decode()
    assert out.returncode == 2 and "Traceback" not in err and "internal error" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == len(urls), err
    for url, line in zip(urls, lines, strict=True):
        assert url in line and ("cannot fetch" in line or "incomplete page" in line), line
    assert "incomplete page" in lines[-1]
    files = {f["path"]: f for f in json.loads(out.stdout)["files"]}
    assert files[str(good)]["findings"] and files[server + "/ok"]["findings"]
    assert all(files[url]["error"] for url in urls)


def test_meta_charset_is_used_when_the_header_has_none(server):
    out = run_cli("check", server + "/legacy", "-f", "json", "--no-model", "--fail-on", "never")
    assert out.returncode == 0, out.stderr
    (page,) = json.loads(out.stdout)["files"]
    assert page["error"] is None and page["findings"]
    assert "migraines \u2013 and caf\u00e9" in page["findings"][0]["text"]


def test_redirect_to_a_private_address_needs_the_option(server):
    url = server + "/to-private"
    out = run_cli("check", url, "-f", "json", "--no-model")
    err = out.stderr.decode()
    assert out.returncode == 2 and len(err.strip().splitlines()) == 1, err
    assert url in err and "private" in err and "--allow-private-redirects" in err
    out = run_cli("check", url, "-f", "json", "--no-model", "--allow-private-redirects")
    assert out.returncode == 1, out.stderr
    assert json.loads(out.stdout)["files"][0]["findings"]


def test_control_characters_from_servers_are_shown_escaped(server):
    out = run_cli("check", server + "/evil-reason", "--no-model")
    err = out.stderr.decode()
    assert out.returncode == 2 and len(err.strip().splitlines()) == 1, err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;owned\\x07Found" in err
    for fmt in ("text", "full", "concise", "github"):
        out = run_cli("check", server + "/evil-page", "-f", fmt, "--no-model", "--fail-on", "never")
        shown = out.stdout.decode()
        assert out.returncode == 0, out.stderr
        assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown, repr(shown)
        assert "\\x1b" in shown
