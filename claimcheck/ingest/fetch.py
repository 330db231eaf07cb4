"""Fetch a web page to check it: ``claimcheck check https://clinic.example/services``.

Why: reviewers check the live page, not a copy. The fetch is defensive because the
server is not ours: http(s) only (also after redirects), at most N redirects, a deadline
for the whole fetch as well as each socket read, a size cap enforced while reading (a
lying or missing Content-Length cannot exhaust memory), and only text types -- a PDF or
an image is refused, never decoded as mojibake. A body shorter than its Content-Length is
an incomplete page, not the page; a malformed response (bad status line, too many or too
long headers, a broken chunk) is an error for that URL. A redirect to another host whose
address is loopback, link-local, private or otherwise not global is refused (a public page
must not steer the linter into the local network) unless ``allow_private`` is set.
Every failure is an InputError with a one-line message naming the URL, like an unreadable
file. The charset comes from a byte-order mark, else the Content-Type header, else (for
HTML) a ``<meta charset>`` in the first 4 KB, else UTF-8. Locations in findings refer to
the fetched text exactly as returned, so `line:col` matches "view source".
"""

from __future__ import annotations

import codecs
import http.client
import ipaddress
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from claimcheck.core.version import __version__
from claimcheck.ingest.documents import InputError

CONTENT_TYPES = {"text/html": "html", "text/plain": "text", "text/markdown": "markdown"}
_CHUNK = 64 * 1024


@dataclass
class FetchedPage:
    text: str
    url: str  # the final URL, after redirects
    content_type: str
    fmt: str  # "html" | "text" | "markdown": what to parse the text as


def is_url(arg: str) -> bool:
    """Whether a command-line argument is a URL rather than a path."""
    return arg.lower().startswith(("http://", "https://"))


def _check_scheme(url: str, original: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        where = original if url == original else f"{original}: redirected to {url}"
        raise InputError(f"{where}: only http and https URLs can be checked")


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """Counts redirects itself (urllib's own limits raise HTTPErrors with long messages)."""

    max_repeats = 1_000
    max_redirections = 1_000

    def __init__(self, original: str, limit: int, allow_private: bool = False) -> None:
        super().__init__()
        self.original, self.limit, self.count = original, limit, 0
        self.allow_private = allow_private

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("location") or headers.get("uri")
        try:  # before urllib's own check, whose message is long
            if location:
                _check_scheme(urllib.parse.urljoin(req.full_url, location), self.original)
        except InputError:
            fp.close()
            raise
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        self.count += 1
        if self.count > self.limit:
            fp.close()
            raise InputError(f"{self.original}: more than {self.limit} redirects")
        if not self.allow_private:
            address = _private_target(req.full_url, newurl)
            if address:
                fp.close()
                raise InputError(
                    f"{self.original}: redirected to {newurl}, a loopback, link-local or private address "
                    f"({address}); not followed (--allow-private-redirects follows it)"
                )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _private_target(current: str, new: str) -> str | None:
    """The non-global address a redirect from ``current`` to another host ``new`` leads to, or
    None (the same host, a public address, or a name that does not resolve: fetching it fails)."""
    old, target = urllib.parse.urlsplit(current), urllib.parse.urlsplit(new)
    if not target.hostname or (target.hostname.lower(), target.port) == ((old.hostname or "").lower(), old.port):
        return None
    port = target.port or (443 if target.scheme.lower() == "https" else 80)
    try:
        infos = socket.getaddrinfo(target.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        try:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        except ValueError:
            continue
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            return str(address)
    return None


def fetch(
    url: str, timeout: float = 10.0, max_bytes: int = 5_000_000, max_redirects: int = 5, allow_private: bool = False
) -> FetchedPage:
    """Fetch and decode one page (see the module doc for the limits)."""
    _check_scheme(url, url)
    try:
        host = urllib.parse.urlsplit(url).hostname
    except ValueError as exc:  # e.g. an invalid IPv6 literal or port
        raise InputError(f"{url}: invalid URL ({_one_line(exc)})") from None
    if not host:
        raise InputError(f"{url}: no host in URL")
    opener = urllib.request.build_opener(_LimitedRedirects(url, max_redirects, allow_private))
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"claimcheck/{__version__} (+health-claims linter)",
            "Accept": "text/html, text/markdown;q=0.9, text/plain;q=0.8",
            "Accept-Encoding": "identity",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            raw_type = response.headers.get("Content-Type")
            ctype = response.headers.get_content_type() if raw_type else ""
            if ctype not in CONTENT_TYPES:
                shown = raw_type.split(";")[0].strip() if raw_type else "none"
                raise InputError(
                    f"{url}: content type {shown} is not checkable (text/html, text/plain or text/markdown)"
                )
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(f"{url}: page too large ({int(length):,} bytes; the limit is {max_bytes:,})")
            body = bytearray()
            read = getattr(response, "read1", response.read)  # read1: what has arrived, so the deadline holds
            while chunk := read(_CHUNK):
                body += chunk
                if len(body) > max_bytes:
                    raise InputError(f"{url}: page too large (over {max_bytes:,} bytes; the limit is {max_bytes:,})")
                if time.monotonic() > deadline:
                    raise TimeoutError
            missing = getattr(response, "length", None)  # what Content-Length promised and never came
            if missing:
                raise InputError(
                    f"{url}: incomplete page ({len(body):,} bytes arrived, {missing:,} more were announced)"
                )
            declared = response.headers.get_content_charset()
    except InputError:
        raise
    except http.client.HTTPException as exc:  # bad status line, >100 headers, a line too long, a broken chunk
        raise InputError(
            f"{url}: cannot fetch (invalid HTTP response: {type(exc).__name__}: {_one_line(exc)})"
        ) from None
    except urllib.error.HTTPError as exc:
        exc.close()
        raise InputError(f"{url}: HTTP {exc.code} {exc.reason}".rstrip()) from None
    except TimeoutError:
        raise InputError(f"{url}: timed out after {timeout:g}s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise InputError(f"{url}: timed out after {timeout:g}s") from None
        raise InputError(f"{url}: cannot fetch ({_one_line(exc.reason)})") from None
    except (OSError, ValueError) as exc:  # connection reset, bad status line, malformed URL
        raise InputError(f"{url}: cannot fetch ({_one_line(exc)})") from None
    data = bytes(body)
    charset = _charset(data, declared, CONTENT_TYPES[ctype])
    return FetchedPage(_decode(data, charset, url), final, ctype, CONTENT_TYPES[ctype])


def _one_line(reason: object) -> str:
    text = str(reason).strip() or type(reason).__name__
    return " ".join(text.split())


_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)
# Labels that browsers decode as windows-1252 (the WHATWG Encoding Standard).
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii", "cp819", "ibm819"}
_WINDOWS_1252 |= {"windows-1252", "cp1252", "x-cp1252", "iso_8859-1", "iso-ir-100", "csisolatin1"}


def _c1(error: UnicodeDecodeError) -> tuple[str, int]:
    """windows-1252's five unassigned bytes decode to the C1 control of the same number, as in browsers."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("claimcheck-windows-1252", _c1)


def _charset(data: bytes, declared: str | None, fmt: str) -> str:
    """A byte-order mark, else the declared charset, else an HTML page's <meta charset>, else UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if declared:
        return declared
    if fmt == "html":
        match = _META_CHARSET.search(data[:4096])
        if match:
            label = match.group(1).decode("ascii").lower()
            return "utf-8" if label.startswith(("utf-16", "utf16")) else label  # as browsers do
    return "utf-8"


def _decode(data: bytes, charset: str, url: str) -> str:
    if b"\x00" in data[:8192] and not charset.lower().startswith("utf-16"):
        raise InputError(f"{url}: binary content (contains NUL bytes), not text")
    if charset.lower() in _WINDOWS_1252:
        return data.decode("cp1252", errors="claimcheck-windows-1252")
    try:
        return data.decode(charset)
    except LookupError:
        raise InputError(f"{url}: unknown charset {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{url}: invalid {charset} at byte {exc.start}") from None


def fetch_url(
    url: str, timeout: float = 10.0, max_bytes: int = 5_000_000, max_redirects: int = 5, allow_private: bool = False
) -> tuple[str, str]:
    """(decoded text, final url) of a page; InputError (one line, naming the URL) on failure."""
    page = fetch(url, timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects, allow_private=allow_private)
    return page.text, page.url
