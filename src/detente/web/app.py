"""The web UI: FastAPI + Jinja2 pages, each backed by a JSON route under /api (OpenAPI schema at
/openapi.json, listed at /api-docs).

A thin shell over `detente.api`: the ledger is opened read-only for every page; the one write
is a conflict review, which goes through `api.review_conflict`. Article text reaches the page
only through autoescaped templates or JSON, so nothing in an article can run in the browser."""

from __future__ import annotations

import datetime as dt
import re
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from detente import api
from detente.model import PLOVER_TYPES
from detente.store import LedgerError
from detente.store.schema import CONFLICT_STATUSES, ConflictStatus
from detente.web import marks as views

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 200  # events of a dyad's timeline per page (/api/dyad?page=N)
MAX_PAGE = 100_000  # beyond any real ledger; larger numbers are a mistake, answered with 422
ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def plotly_js() -> Path:
    """Plotly's browser bundle as the installed `plotly` package ships it (never a CDN)."""
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


class ReviewRequest(BaseModel):
    status: ConflictStatus
    note: str | None = None


def create_app(db: str | Path) -> FastAPI:
    """The app over one ledger file, which must exist (a typo must not create an empty ledger)."""
    db = Path(db)
    api.open_existing_ledger(db).close()
    # No Swagger UI or ReDoc: they load their assets from a CDN. /api-docs lists the same
    # schema (/openapi.json) with nothing from outside.
    app = FastAPI(title="detente", description="A sourced, dated event ledger of relations between states.",
                  version="0.1.0", docs_url=None, redoc_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["quad_names"] = QUAD_NAMES
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    state: dict[str, Any] = {}

    def gazetteer():
        if "gazetteer" not in state:
            with api.open_existing_ledger(db) as ledger:
                state["gazetteer"] = api.ledger_gazetteer(ledger)
        return state["gazetteer"]

    def resolve_actor(text: str) -> dict:
        """A known actor for `text` (code or name), or 404 naming what was asked for."""
        if not (text or "").strip():
            raise HTTPException(400, "an actor is required (a code such as RUS or a name)")
        try:
            found = api.find_actor(text, gazetteer())
        except api.UnknownActor:
            raise HTTPException(404, f"unknown actor {text.strip()!r}; see /actors for the known ones") from None
        return {"code": found.code, "name": found.name}

    def check_date(value: str | None, name: str) -> str | None:
        if not value:
            return None
        value = value.strip()
        if not ISO_PREFIX.match(value):
            raise HTTPException(400, f"bad {name} date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(p) for p in value.split("-")]
        try:
            dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError as error:
            raise HTTPException(400, f"bad {name} date {value!r}: {error}") from None
        return value

    def viewed_or_404(view, key: str, what: str) -> dict:
        """`view(ledger, key)` over the ledger, or 404 naming what was not found."""
        with api.open_existing_ledger(db) as ledger:
            found = view(ledger, key)
        if found is None:
            raise HTTPException(404, f"no {what} {key!r}")
        return found

    def paginate(rows: list, page: int) -> dict:
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        if page > pages:
            raise HTTPException(404, f"page {page} is past the last page ({pages})")
        return {"page": page, "pages": pages, "total": len(rows),
                "rows": rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]}

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api") and request.url.path not in ("/openapi.json",)

    def error_response(request: Request, status: int, message: str):
        if wants_html(request):
            return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                              status_code=status)
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        return error_response(request, error.status_code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
                             for e in error.errors())
        return error_response(request, 422, f"bad request: {problems}")

    @app.exception_handler(LedgerError)
    async def ledger_error(request: Request, error: LedgerError):
        return error_response(request, 400, str(error))

    @app.exception_handler(ValueError)
    async def value_error(request: Request, error: ValueError):
        return error_response(request, 400, str(error))

    # ------------------------------------------------------------ JSON API

    @app.get("/api/overview", tags=["api"], summary="Ledger counts, date range and documents")
    def overview_data() -> dict:
        return {"stats": api.stats(db), "documents": api.documents(db)}

    @app.get("/api/actors", tags=["api"], summary="Actors, most active first, optionally matching q")
    def actors_data(q: str | None = Query(None, max_length=200), page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict:
        rows = api.actors(db, query=q or None)
        if not q:
            rows = [row for row in rows if row["events"]]
        return paginate(rows, page)

    @app.get("/api/actors/{code}", tags=["api"], summary="One actor: names, roles, lineage, counts")
    def actor_data(code: str) -> dict:
        resolve_actor(code)
        return api.actor_detail(db, code)

    @app.get("/api/dyad", tags=["api"], summary="Trajectory, phases and timeline of two actors")
    def dyad_data(a: str = Query(..., max_length=200), b: str = Query(..., max_length=200),
                  granularity: Literal["year", "month"] = "year", lineage: bool = True,
                  min_confidence: float = Query(0.0, ge=0.0, le=1.0),
                  page: int = Query(1, ge=1, le=MAX_PAGE, description="timeline page")) -> dict:
        # Plain JSON data already: answered as is, without FastAPI's per-value re-encoding.
        return JSONResponse(dyad_payload(a, b, granularity, lineage, min_confidence, page))

    def dyad_payload(a: str, b: str, granularity: str, lineage: bool, min_confidence: float, page: int) -> dict:
        first, second = resolve_actor(a), resolve_actor(b)
        trajectory = api.dyad(db, first["code"], second["code"], lineage=lineage, granularity=granularity,
                              min_confidence=min_confidence)
        phases = trajectory.get("phases") or []
        # The timeline comes a page at a time: a busy dyad has tens of thousands of events.
        total = trajectory["event_count"]
        pages = max(1, -(-total // TIMELINE_PAGE_SIZE))
        if page > pages:
            raise HTTPException(404, f"page {page} is past the last page of the timeline ({pages})")
        timeline = api.timeline(db, first["code"], second["code"], lineage=lineage, min_confidence=min_confidence,
                                offset=(page - 1) * TIMELINE_PAGE_SIZE, limit=TIMELINE_PAGE_SIZE)
        return {"a": first, "b": second, "granularity": granularity, "trajectory": trajectory,
                "phases": phases, "timeline": timeline,
                "timeline_page": {"page": page, "pages": pages, "size": TIMELINE_PAGE_SIZE, "total": total}}

    @app.get("/api/events/{event_id}", tags=["api"], summary="One event with every source in context")
    def event_data(event_id: str) -> dict:
        return viewed_or_404(views.event_with_context, event_id, "event")

    @app.get("/api/documents/{doc_id}", tags=["api"], summary="A document's text with actors, dates, events marked")
    def document_data(doc_id: str) -> dict:
        return viewed_or_404(views.document_marks, doc_id, "document")

    @app.get("/api/conflicts", tags=["api"], summary="Where sources disagree, side by side")
    def conflicts_data(status: ConflictStatus | None = None) -> list[dict]:
        return api.conflicts(db, status=status)

    @app.post("/api/conflicts/{conflict_id}/review", tags=["api"], summary="Review a conflict (the only write)")
    def review(conflict_id: str, request: Request, body: ReviewRequest = Body(...)) -> dict:
        # A page on another site can make the browser POST here; it cannot send JSON without a
        # CORS preflight (refused), and a stated Origin must be this server's own.
        origin = request.headers.get("origin")
        if origin and origin.rstrip("/") != str(request.base_url).rstrip("/"):
            raise HTTPException(403, f"review refused: request from another origin ({origin})")
        if conflict_id not in {row["id"] for row in api.conflicts(db)}:
            raise HTTPException(404, f"no conflict {conflict_id!r}")
        return api.review_conflict(db, conflict_id, body.status, body.note)

    @app.get("/api/search", tags=["api"], summary="Full-text search with actor, type and time filters")
    def search_data(q: str = Query("", max_length=500), actor: str | None = Query(None, max_length=200),
                    type: str | None = Query(None, max_length=40), date_from: str | None = Query(None, alias="from"),
                    date_to: str | None = Query(None, alias="to"), page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict:
        return run_search(q, actor, type, date_from, date_to, page)

    def run_search(q, actor, type, date_from, date_to, page) -> dict:
        date_from, date_to = check_date(date_from, "from"), check_date(date_to, "to")
        actor_code = resolve_actor(actor)["code"] if actor else None
        if type and type.upper() not in PLOVER_TYPES:
            raise HTTPException(400, f"unknown event type {type!r}; choose one of {', '.join(PLOVER_TYPES)}")
        filtered = bool(actor_code or type or date_from or date_to)
        allowed = None
        if filtered:
            # Filters apply to what a sentence reports: keep sentences that carry a matching event.
            allowed = {}
            for event in api.events(db, actors=[actor_code] if actor_code else (), type=type or None,
                                    date_from=date_from, date_to=date_to):
                for mention in event.get("mentions", []):
                    allowed.setdefault((mention["doc_id"], mention["sentence"]), event)
        if q.strip():
            hits = api.search(db, q, limit=2000)
            if allowed is not None:
                hits = [h for h in hits if (h["doc_id"], h["sentence"]) in allowed]
        elif allowed is not None:
            hits = []
            sentences_of: dict[str, dict[int, dict]] = {}
            documents: dict[str, dict] = {}
            with api.open_existing_ledger(db) as ledger:
                for (doc_id, index), event in allowed.items():
                    if doc_id not in sentences_of:  # each document read once, however many hits it has
                        sentences_of[doc_id] = {s["index"]: s for s in ledger.sentences(doc_id)}
                        documents[doc_id] = ledger.document(doc_id) or {}
                    sentence, document = sentences_of[doc_id].get(index), documents[doc_id]
                    if sentence:
                        hits.append({"doc_id": doc_id, "doc_name": document.get("name", ""),
                                     "title": document.get("title", ""),
                                     "published": (document.get("published") or {}).get("value", ""),
                                     "sentence": index, "start": sentence["start"], "end": sentence["end"],
                                     "text": sentence["text"], "snippet": sentence["text"]})
        else:
            hits = []
        for hit in hits:
            event = allowed.get((hit["doc_id"], hit["sentence"])) if allowed else None
            hit["event"] = {"id": event["id"], "type": event["type"], "date": event["date"]} if event else None
            hit["segments"] = views.snippet_segments(hit.get("snippet") or hit.get("text", ""))
        result = paginate(hits, page)
        result["query"] = {"q": q, "actor": actor_code, "type": type, "from": date_from, "to": date_to}
        return result

    # ------------------------------------------------------------ pages

    def page(request: Request, name: str, **context):
        return templates.TemplateResponse(request, name, context)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request):
        return page(request, "overview.html", **overview_data())

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page(request: Request, q: str | None = Query(None, max_length=200),
                    page_number: int = Query(1, ge=1, le=MAX_PAGE, alias="page")):
        return page(request, "actors.html", q=q or "", **actors_data(q, page_number))

    @app.get("/api-docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs_page(request: Request):
        schema = app.openapi()
        routes = [{"method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                   "parameters": [{"name": parameter["name"], "where": parameter["in"],
                                   "required": parameter.get("required", False),
                                   "description": parameter.get("description", "")}
                                  for parameter in operation.get("parameters", [])]}
                  for path, operations in schema["paths"].items() for method, operation in operations.items()]
        return page(request, "api_docs.html", routes=routes, title=schema["info"]["title"],
                    description=schema["info"].get("description", ""))

    @app.get("/actors/{code}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, code: str):
        return page(request, "actor.html", actor=actor_data(code))

    @app.get("/dyad", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(request: Request, a: str | None = Query(None, max_length=200), b: str | None = Query(None, max_length=200),
                  granularity: Literal["year", "month"] = "year",
                  min_confidence: float = Query(0.0, ge=0.0, le=1.0),
                  timeline_page: int = Query(1, ge=1, le=MAX_PAGE, alias="page")):
        choices = [row for row in api.actors(db) if row["events"]][:300]
        if not a or not b:
            return page(request, "dyad.html", data=None, choices=choices, a=a or "", b=b or "",
                        granularity=granularity)
        data = dyad_payload(a, b, granularity, True, min_confidence, timeline_page)
        return page(request, "dyad.html", data=data, choices=choices, a=a, b=b, granularity=granularity)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: str):
        return page(request, "event.html", event=event_data(event_id))

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str):
        found = document_data(doc_id)
        url = found["document"].get("url") or ""
        safe_url = url if re.match(r"^https?://", url, re.IGNORECASE) else ""
        return page(request, "document.html", doc=found["document"], safe_url=safe_url, events=found["events"],
                    runs=views.segments(found["text"], found["marks"],
                                             {s["start"]: f"s{s['index']}" for s in found["sentences"]}))

    @app.get("/conflicts", response_class=HTMLResponse, include_in_schema=False)
    def conflicts_page(request: Request, status: ConflictStatus | None = None):
        rows = conflicts_data(status)
        for row in rows:
            for side in row["sides"]:
                side["runs"] = _claim_runs(side)
        return page(request, "conflicts.html", conflicts=rows, status=status or "", statuses=CONFLICT_STATUSES)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=500), actor: str | None = Query(None, max_length=200),
                    type: str | None = Query(None, max_length=40), date_from: str | None = Query(None, alias="from"),
                    date_to: str | None = Query(None, alias="to"), page_number: int = Query(1, ge=1, le=MAX_PAGE, alias="page")):
        result = run_search(q, actor or None, type or None, date_from or None, date_to or None, page_number)
        types = sorted(PLOVER_TYPES)
        return page(request, "search.html", result=result, form={"q": q, "actor": actor or "", "type": type or "",
                                                                  "from": date_from or "", "to": date_to or ""},
                    types=types)

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_bundle():
        return FileResponse(plotly_js(), media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/api/health", tags=["api"], summary="Is the server up, and over which ledger")
    def health() -> dict:
        return {"ok": True, "db": str(db)}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return RedirectResponse("/static/favicon.svg")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        # Belt and braces: even if some text slipped through unescaped, inline script cannot run.
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return app


def _claim_runs(side: dict) -> list[dict]:
    """The claim's sentence with the claimed words marked, as `[{text, hit}]`."""
    sentence, claimed = side.get("sentence") or "", side.get("text") or ""
    at = sentence.find(claimed) if claimed else -1
    if at < 0:
        return [{"text": sentence or claimed, "hit": not sentence}]
    return [r for r in ({"text": sentence[:at], "hit": False}, {"text": claimed, "hit": True},
                        {"text": sentence[at + len(claimed):], "hit": False}) if r["text"]]
