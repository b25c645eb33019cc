"""Fetching URLs from a real HTTP server on 127.0.0.1: success and every bounded failure."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from detente.ingest import IngestLimits, iter_sources
from detente.model import SourceDocument, SourceFailure
from test_ingest import GOOD_HTML, make_pdf

SLOW_SECONDS = 3.0
PDF_BYTES = make_pdf(["Served as a PDF."], title="Served")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # keep test output clean
        pass

    def send_body(self, body: bytes, content_type: str, length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/article.html":
            self.send_body(GOOD_HTML.encode(), "text/html; charset=utf-8")
        elif path == "/user-agent":
            self.send_body(self.headers.get("User-Agent", "").encode(), "text/plain")
        elif path == "/legacy":
            self.send_body("Caf\u00e9 diplomacy in Pyongyang.".encode("cp1252"), "text/plain; charset=windows-1252")
        elif path == "/paper":
            self.send_body(PDF_BYTES, "application/pdf")
        elif path == "/moved":
            self.redirect("/article.html")
        elif path == "/loop":
            self.redirect("/loop")
        elif path.startswith("/hop/"):
            self.redirect(f"/hop/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self.send_body(b"too late", "text/plain")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            deadline = time.monotonic() + SLOW_SECONDS
            try:
                while time.monotonic() < deadline:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass  # the client gave up, as it should
        elif path == "/big":
            self.send_body(b"word " * 2000, "text/plain")
        elif path == "/big-unannounced":
            self.send_body(b"word " * 2000, "text/plain", length=False)
            self.close_connection = True
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)


def fetch_one(url: str, **limits) -> SourceDocument | SourceFailure:
    items = list(iter_sources([url], IngestLimits(**limits)))
    assert len(items) == 1
    return items[0]


def test_html_page_is_fetched_with_metadata(server: str):
    item = fetch_one(server + "/article.html")
    assert isinstance(item, SourceDocument)
    assert item.name == item.url == server + "/article.html"
    assert item.title == "Kim meets Putin in Vladivostok" and item.metadata_date == "2019-04-25"
    assert "first summit" in item.text


def test_redirect_is_followed_and_final_url_kept(server: str):
    item = fetch_one(server + "/moved")
    assert item.name == server + "/moved" and item.url == server + "/article.html"


def test_content_type_decides_type_and_charset(server: str):
    assert fetch_one(server + "/user-agent").text == "detente/0.1"
    legacy = fetch_one(server + "/legacy")
    assert legacy.text == "Café diplomacy in Pyongyang." and legacy.warnings == []
    paper = fetch_one(server + "/paper")
    assert paper.text == "Served as a PDF." and paper.title == "Served"


def test_http_errors_redirects_and_schemes_fail_with_reasons(server: str):
    assert fetch_one(server + "/nothing-here") == SourceFailure(server + "/nothing-here", "HTTP 404")
    assert fetch_one(server + "/loop").reason == "too many redirects"
    assert fetch_one(server + "/hop/0", max_redirects=3).reason == "too many redirects"
    assert fetch_one("ftp://x") == SourceFailure("ftp://x", "unsupported URL scheme 'ftp'")
    refused = fetch_one("http://127.0.0.1:9/")  # discard port: nothing listens there
    assert refused.reason.startswith("connection failed")


def test_slow_servers_time_out(server: str):
    started = time.monotonic()
    assert fetch_one(server + "/slow", timeout=0.5).reason == "timed out after 0.5s"
    assert fetch_one(server + "/drip", timeout=0.5).reason == "timed out after 0.5s"
    assert time.monotonic() - started < 2 * SLOW_SECONDS


def test_size_limit_applies_to_announced_and_streamed_bodies(server: str):
    assert fetch_one(server + "/big", max_bytes=1024).reason == "too large: 9.8 KB > limit 1.0 KB"
    assert fetch_one(server + "/big-unannounced", max_bytes=1024).reason == "too large: over limit 1.0 KB"


def test_mixed_batch_never_stops(server: str, tmp_path):
    (tmp_path / "local.txt").write_text("A local note.", encoding="utf-8")
    inputs = ["ftp://x", server + "/nothing-here", str(tmp_path / "local.txt"), server + "/article.html"]
    kinds = [type(item).__name__ for item in iter_sources(inputs)]
    assert kinds == ["SourceFailure", "SourceFailure", "SourceDocument", "SourceDocument"]
