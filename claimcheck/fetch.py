"""Fetch a web page to check it: ``claimcheck check https://clinic.example/services``.

Why: reviewers check the live page, not a copy. The fetch is defensive because the
server is not ours: http(s) only (also after redirects), at most N redirects, a deadline
for the whole fetch as well as each socket read, a size cap enforced while reading (a
lying or missing Content-Length cannot exhaust memory), and only text types -- a PDF or
an image is refused, never decoded as mojibake. Every failure is an InputError with a
one-line message naming the URL, like an unreadable file. Locations in findings refer to
the fetched text exactly as returned, so `line:col` matches "view source".
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from claimcheck import __version__
from claimcheck.documents import InputError

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

    def __init__(self, original: str, limit: int) -> None:
        super().__init__()
        self.original, self.limit, self.count = original, limit, 0

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
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float = 10.0, max_bytes: int = 5_000_000, max_redirects: int = 5) -> FetchedPage:
    """Fetch and decode one page (see the module doc for the limits)."""
    _check_scheme(url, url)
    if not urllib.parse.urlsplit(url).hostname:
        raise InputError(f"{url}: no host in URL")
    opener = urllib.request.build_opener(_LimitedRedirects(url, max_redirects))
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
            charset = response.headers.get_content_charset() or "utf-8"
    except InputError:
        raise
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
    return FetchedPage(_decode(bytes(body), charset, url), final, ctype, CONTENT_TYPES[ctype])


def _one_line(reason: object) -> str:
    text = str(reason).strip() or type(reason).__name__
    return " ".join(text.split())


def _decode(data: bytes, charset: str, url: str) -> str:
    if b"\x00" in data[:8192] and not charset.lower().startswith("utf-16"):
        raise InputError(f"{url}: binary content (contains NUL bytes), not text")
    try:
        return data.decode(charset)
    except LookupError:
        raise InputError(f"{url}: unknown charset {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{url}: invalid {charset} at byte {exc.start}") from None


def fetch_url(url: str, timeout: float = 10.0, max_bytes: int = 5_000_000, max_redirects: int = 5) -> tuple[str, str]:
    """(decoded text, final url) of a page; InputError (one line, naming the URL) on failure."""
    page = fetch(url, timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects)
    return page.text, page.url
