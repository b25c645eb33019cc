"""The web UI over the demo ledger: every page and its JSON API, and the security promises
(read-only, escaping, no files outside static/, 4xx with a message on bad input)."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from detente.web import create_app
from detente.web.app import plotly_js


def copy_ledger(source: Path, target: Path) -> Path:
    """A consistent copy of a (WAL-mode) ledger, so a test may write to it without touching the
    session's shared one."""
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_server(db: Path, *extra: str):
    """A real `detente serve` subprocess on a free port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "detente.cli", "serve", "--db", str(db), "--port", str(port),
                                *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"detente serve exited {process.returncode}: {process.stderr.read()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/api/health")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("detente serve did not answer within 60 s")
            time.sleep(0.2)
        running_server.process = process  # for tests that look at the socket it listens on
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET a path exactly as written (no client-side normalisation of `..`)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    return response.status, response.read()


@pytest.fixture(scope="module")
def web_db(demo_ledger, tmp_path_factory) -> Path:
    return copy_ledger(demo_ledger[0], tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(web_db) -> TestClient:
    return TestClient(create_app(web_db))


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ pages and their JSON

def test_overview_lists_documents_and_counts(client):
    data = client.get("/api/overview").json()
    assert data["stats"]["documents"] == len(data["documents"]) > 0
    page = client.get("/")
    assert page.status_code == 200
    assert data["documents"][0]["id"] in page.text
    assert f'id="count-events">{data["stats"]["events"]}<' in page.text


def test_dyad_api_gives_timeline_with_precision_and_series(client):
    data = client.get("/api/dyad", params={"a": "Russia", "b": "PRK"}).json()
    assert data["a"]["code"] == "RUS" and data["b"]["code"] == "PRK"
    assert len(data["timeline"]) > 10
    assert all("precision" in event["date"] for event in data["timeline"])
    page = client.get("/dyad", params={"a": "RUS", "b": "PRK"})
    assert page.status_code == 200
    assert 'id="chart"' in page.text and "/vendor/plotly.min.js" in page.text
    assert page.text.count('class="event"') == len(data["timeline"])
    if data["trajectory"] is not None:  # once api.dyad exists
        assert data["trajectory"]["series"], "a dyad with events has a series"


def test_event_page_shows_every_source_with_its_sentence(client):
    timeline = client.get("/api/dyad", params={"a": "RUS", "b": "PRK"}).json()["timeline"]
    event = max(timeline, key=lambda e: e["sources_count"])
    data = client.get(f"/api/events/{event['id']}").json()
    assert len(data["mentions"]) >= 1
    for mention in data["mentions"]:
        current = [s for s in mention["context"] if s["current"]]
        assert len(current) == 1 and current[0]["text"] == mention["sentence_text"]
    page = client.get(f"/events/{event['id']}")
    assert page.text.count('<mark class="reported">') == len(data["mentions"])


def test_document_page_marks_actors_dates_and_events(client):
    documents = client.get("/api/overview").json()["documents"]
    doc = max(documents, key=lambda d: d["events"])
    data = client.get(f"/api/documents/{doc['id']}").json()
    kinds = {mark["kind"] for mark in data["marks"]}
    assert kinds == {"actor", "date", "event"}
    for mark in data["marks"]:
        if mark["kind"] == "actor":
            assert data["text"][mark["start"]:mark["end"]].strip()
    page = client.get(f"/documents/{doc['id']}")
    assert "m-actor" in page.text and "m-date" in page.text and "m-event" in page.text


def test_search_with_filters(client):
    plain = client.get("/api/search", params={"q": "summit"}).json()
    assert plain["total"] > 0
    filtered = client.get("/api/search", params={"q": "summit", "actor": "RUS", "type": "CONSULT",
                                                  "from": "2000", "to": "2024"}).json()
    assert 0 < filtered["total"] <= plain["total"]
    for hit in filtered["rows"]:
        assert hit["event"]["type"] == "CONSULT"
        assert hit["event"]["date"]["end"] >= "2000" and hit["event"]["date"]["start"] <= "2024-12-31"
    assert client.get("/search", params={"q": "summit", "type": "CONSULT"}).status_code == 200


def test_actors_pages(client):
    data = client.get("/api/actors").json()
    assert data["rows"][0]["events"] >= data["rows"][-1]["events"]
    assert "RUS" in {row["code"] for row in data["rows"]}
    assert client.get("/api/actors/RUS").json()["code"] == "RUS"
    assert client.get("/actors").status_code == client.get("/actors/PRK").status_code == 200


def test_openapi_describes_the_json_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/api/overview", "/api/dyad", "/api/events/{event_id}", "/api/documents/{doc_id}",
                  "/api/conflicts", "/api/conflicts/{conflict_id}/review", "/api/search", "/api/actors"):
        assert route in paths


def test_api_docs_are_served_locally_without_swagger_ui(client):
    listing = client.get("/api-docs")
    assert listing.status_code == 200 and "/api/dyad" in listing.text and "/openapi.json" in listing.text
    assert "cdn" not in listing.text.lower() and "<script" not in listing.text
    assert "default-src 'self'" in listing.headers["Content-Security-Policy"]
    for path in ("/docs", "/redoc"):  # Swagger UI and ReDoc would fetch their assets from a CDN
        assert client.get(path).status_code == 404


def test_plotly_comes_from_the_installed_package(client):
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.content == plotly_js().read_bytes()
    page = client.get("/dyad", params={"a": "RUS", "b": "PRK"}).text
    assert "cdn" not in page.lower() and "https://" not in page


# ------------------------------------------------------------------ bad input: 4xx with a message

@pytest.mark.parametrize("path, status, words", [
    ("/dyad?a=Atlantis&b=PRK", 404, "unknown actor"),
    ("/api/dyad?a=Atlantis&b=PRK", 404, "unknown actor"),
    ("/api/dyad?a=&b=PRK", 400, "actor is required"),
    ("/api/dyad?a=RUS&b=PRK&granularity=week", 422, "granularity"),
    ("/api/search?q=x&from=2019-13", 400, "bad from date"),
    ("/api/search?q=x&to=yesterday", 400, "bad to date"),
    ("/api/search?q=x&from=2019-02-30", 400, "bad from date"),
    ("/api/search?q=x&type=HUG", 400, "unknown event type"),
    ("/api/search?q=x&actor=Atlantis", 404, "unknown actor"),
    ("/api/actors?page=99999999999999999999", 422, "page"),
    ("/api/actors?page=5000", 404, "past the last page"),
    ("/search?q=summit&page=-1", 422, "page"),
    ("/api/events/ev_nope", 404, "no event"),
    ("/documents/nope", 404, "no document"),
    ("/api/actors/Atlantis", 404, "unknown actor"),
    ("/api/conflicts?status=maybe", 422, "status"),
])
def test_bad_input_is_a_4xx_with_a_message(client, path, status, words):
    response = client.get(path)
    assert response.status_code == status, response.text
    assert words in response.text


def test_review_needs_a_known_conflict_and_status(client):
    assert client.post("/api/conflicts/nope/review", json={"status": "confirmed"}).status_code == 404
    conflicts = client.get("/api/conflicts").json()
    if conflicts:
        bad = client.post(f"/api/conflicts/{conflicts[0]['id']}/review", json={"status": "maybe"})
        assert bad.status_code == 422


# ------------------------------------------------------------------ security

def test_pages_do_not_write_to_the_ledger(demo_ledger, tmp_path):
    db = copy_ledger(demo_ledger[0], tmp_path / "ro.db")
    before = file_digest(db)
    client = TestClient(create_app(db))
    for path in ("/", "/dyad?a=RUS&b=PRK", "/search?q=summit", "/conflicts", "/actors", "/api/overview"):
        assert client.get(path).status_code == 200
    assert file_digest(db) == before
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


def test_missing_ledger_is_not_created(tmp_path):
    result = subprocess.run([sys.executable, "-m", "detente.cli", "serve", "--db", str(tmp_path / "typo.db")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "no ledger" in result.stderr
    assert not (tmp_path / "typo.db").exists()


def test_review_from_another_origin_is_refused(client):
    conflicts = client.get("/api/conflicts").json()
    target = conflicts[0]["id"] if conflicts else "nope"
    refused = client.post(f"/api/conflicts/{target}/review", json={"status": "dismissed"},
                          headers={"Origin": "http://evil.example"})
    assert refused.status_code == 403
    # A form post (what another site can send without a preflight) is not JSON: refused too.
    form = client.post(f"/api/conflicts/{target}/review", data={"status": "dismissed"})
    assert form.status_code == 422


def test_server_binds_localhost_and_serves_nothing_outside_static(web_db):
    import psutil

    with running_server(web_db) as base:
        listening = [c.laddr for c in psutil.Process(running_server.process.pid).net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN]
        assert listening and all(address.ip == "127.0.0.1" for address in listening), listening
        assert raw_get(base, "/static/style.css")[0] == 200
        secret = Path(__file__).resolve().parents[1] / "pyproject.toml"
        for path in ("/static/../app.py", "/static/../../../pyproject.toml", "/static/%2e%2e/app.py",
                     "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2fapp.py",
                     "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/../../etc/passwd",
                     "/vendor/../app.py", "/static/..\\app.py"):
            status, body = raw_get(base, path)
            assert status in (400, 404), f"{path} answered {status}"
            assert b"create_app" not in body and b"root:" not in body and secret.read_bytes() not in body


def test_serve_defaults_to_localhost():
    from typer.testing import CliRunner

    from detente.cli import app

    help_text = CliRunner().invoke(app, ["serve", "--help"]).output
    assert "127.0.0.1" in help_text


HOSTILE_TXT = """Russia and North Korea signed a friendship treaty in Pyongyang on 9 February 2000.
<script>window.__pwned = "script"; alert("script")</script>
Moscow praised the agreement. <img src=x onerror="window.__pwned='onerror'; alert('onerror')">
Read more at <a href="javascript:window.__pwned='link'">the Kremlin site</a>.
"""

HOSTILE_HTML = """<!doctype html><html><head>
<title>Treaty &lt;script&gt;window.__pwned="title"&lt;/script&gt; signed</title>
<meta property="article:published_time" content="2000-02-10">
</head><body><article>
<h1>Treaty &lt;script&gt;window.__pwned="title"&lt;/script&gt; signed</h1>
<p>Russia and North Korea signed a friendship treaty in Pyongyang on 9 February 2000.
<script>window.__pwned = "live script"; alert("live")</script></p>
<p>Moscow praised the agreement, a spokesman wrote: &lt;img src=x onerror="window.__pwned='onerror'"&gt;
and <a href="javascript:window.__pwned='link'">the Kremlin</a> welcomed it.
&lt;a href="javascript:window.__pwned='literal link'"&gt;click&lt;/a&gt;</p>
<p>Pyongyang said the treaty replaced the 1961 alliance with the Soviet Union.</p>
</article></body></html>
"""


@pytest.fixture(scope="session")
def hostile_ledger(tmp_path_factory) -> Path:
    """A ledger of two articles that carry script, onerror= and javascript: links."""
    from conftest import run_cli

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    (folder / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    db = folder / "hostile.db"
    result = run_cli("ingest", str(folder), "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 2
    return db


def test_article_text_is_escaped_in_every_page(hostile_ledger):
    client = TestClient(create_app(hostile_ledger))
    documents = client.get("/api/overview").json()["documents"]
    pages = ["/", "/search?q=pwned", "/search?q=script", "/dyad?a=RUS&b=PRK"]
    pages += [f"/documents/{doc['id']}" for doc in documents]
    events = client.get("/api/dyad", params={"a": "RUS", "b": "PRK"}).json()["timeline"]
    pages += [f"/events/{event['id']}" for event in events]
    raw_text = "".join(client.get(f"/api/documents/{doc['id']}").json()["text"] for doc in documents)
    assert "<script>" in raw_text, "the hostile text must reach the ledger for this test to mean anything"
    for path in pages:
        body = client.get(path).text
        assert "<script>window" not in body and "<img src=x" not in body and 'href="javascript:' not in body, path
    document_page = client.get(f"/documents/{documents[0]['id']}").text
    assert "&lt;script&gt;" in document_page


def test_conflicts_side_by_side_and_review_is_the_one_write(demo_ledger, tmp_path):
    db = copy_ledger(demo_ledger[0], tmp_path / "review.db")
    client = TestClient(create_app(db))
    conflicts = client.get("/api/conflicts").json()
    assert conflicts, "the demo corpus plants disagreements"
    page = client.get("/conflicts").text
    for conflict in conflicts:
        assert len(conflict["sides"]) >= 2
        assert f'id="conflict-{conflict["id"]}"' in page
        for side in conflict["sides"]:
            assert f"<mark>{side['text']}</mark>".replace("'", "&#39;") in page
    target = conflicts[0]["id"]
    saved = client.post(f"/api/conflicts/{target}/review", json={"status": "dismissed", "note": "a typo in one source"})
    assert saved.status_code == 200, saved.text
    again = {row["id"]: row for row in client.get("/api/conflicts").json()}[target]
    assert again["status"] == "dismissed" and again["note"] == "a typo in one source"
    assert [row["id"] for row in client.get("/api/conflicts", params={"status": "dismissed"}).json()] == [target]


def test_document_sentences_are_link_targets(client):
    doc = client.get("/api/overview").json()["documents"][0]
    page = client.get(f"/documents/{doc['id']}").text
    assert page.count('<span id="s') == doc["sentences"]


def contract_dyad(db, a, b, lineage=True, granularity="year", min_confidence=0.0):
    """What `api.dyad` promises (issue 7, part A), for checking the page against the contract."""
    counts = {"verbal_cooperation": 2, "material_cooperation": 1, "verbal_conflict": 0, "material_conflict": 1}
    return {"a": a, "b": b, "granularity": granularity,
            "series": [{"period": "2000", "start": "2000-01-01", "end": "2000-12-31", "counts": counts,
                        "events": 4, "index": 2.5},
                       {"period": "2001", "start": "2001-01-01", "end": "2001-12-31", "counts": dict.fromkeys(counts, 0),
                        "events": 0, "index": None}],
            "unplaced": {"count": 3, "reason": "dated only to a decade"}, "phases": contract_phases(db, a, b),
            "event_count": 7}


def contract_phases(db, a, b, lineage=True):
    return [{"start": "2000-01-01", "end": "2001-12-31", "label": "<b>revival</b> under Putin",
             "dominant_types": ["CONSULT"], "index": 2.5,
             "key_events": [{"id": "ev_x", "type": "CONSULT", "date": {"value": "2000-07"},
                             "sentence": "Putin visited <script>Pyongyang</script>."}]}]


def test_dyad_page_follows_the_trajectory_contract(web_db, monkeypatch):
    from detente import api

    monkeypatch.setattr(api, "dyad", contract_dyad)
    client = TestClient(create_app(web_db))
    data = client.get("/api/dyad", params={"a": "RUS", "b": "PRK", "granularity": "month"}).json()
    assert data["trajectory"]["granularity"] == "month" and data["phases"][0]["label"].endswith("under Putin")
    page = client.get("/dyad", params={"a": "RUS", "b": "PRK"}).text
    assert "3 event(s) not placed: dated only to a decade" in page
    assert 'id="phases"' in page and "&lt;b&gt;revival&lt;/b&gt; under Putin" in page
    assert "<script>Pyongyang" not in page and 'href="/events/ev_x"' in page


@pytest.mark.parametrize("query", ['"', "AND", "*", "NEAR(", "a\x00b", "((((", "summit OR", "-x", "col:thing", "^a",
                                   "x" * 500, "' OR 1=1 --", "summit'; DROP TABLE events; --"])
def test_odd_search_queries_never_fail_the_server(web_db, query):
    client = TestClient(create_app(web_db), raise_server_exceptions=False)
    for path in ("/api/search", "/search"):
        response = client.get(path, params={"q": query})
        assert response.status_code < 500, (path, query, response.text)
    assert client.get("/api/overview").json()["stats"]["events"] > 0  # and nothing was dropped


def test_the_dyad_page_counts_the_whole_timeline_and_refuses_pages_past_its_end(web_db):
    client = TestClient(create_app(web_db), raise_server_exceptions=False)
    total = client.get("/api/dyad", params={"a": "RUS", "b": "PRK"}).json()["timeline_page"]["total"]
    page = client.get("/dyad", params={"a": "RUS", "b": "PRK"}).text
    assert f"({total} events" in page
    past = client.get("/dyad", params={"a": "RUS", "b": "PRK", "page": 2})
    assert past.status_code == 404 and "past the last page" in past.text
