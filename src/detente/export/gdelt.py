"""Events as a GDELT 2.0-style event table (CSV with a header).

GDELT's column names are used where the meaning matches; what GDELT has and we do not
measure is left out (geography, ethnicity, religion) or left empty (AvgTone: detente does
not score tone; DATEADDED: events carry no time of addition). Our own columns follow, all
prefixed ``detente_``.

Dates. GDELT has no precision field and fills SQLDATE with a day even when the article only
gives a year. We never invent one: SQLDATE (YYYYMMDD) and FractionDate are filled only for
day-precise dates, MonthYear (YYYYMM) for month or finer, Year for year or finer; a week, a
season or a span fills Year (and MonthYear) only when both its ends fall in the same year
(month); a decade or an undated event leaves them empty. ``detente_date`` /
``detente_date_start`` / ``detente_date_end`` / ``detente_date_precision`` always carry the truth.

Actors. ``ActorNCode`` is the CAMEO-style code: a state's CAMEO code where the gazetteer has
one that differs from ISO (JPN → JAP), else its ISO alpha-3 (historical: SUN, DDR …); a person
or a sector of a state is the state's code followed by the sector (RUSGOV, PRKMIL); an
international organisation is ``IGO`` followed by its code, which also fills
``ActorNKnownGroupCode``. ``ActorNType1Code`` is the sector. Only the first source and the
first target of an event fill Actor1 and Actor2 (GDELT has one of each).

``IsRootEvent`` is 1 when the event is reported in the first three sentences of a document
(GDELT: in the lead paragraph). NumSources and NumArticles both count the documents that
report the event (``sources_count``); NumMentions counts its evidence sentences.
"""

from __future__ import annotations

import csv
from datetime import date
from typing import Any, Callable, Iterable, TextIO

from detente.export import citations

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone", "DATEADDED", "SOURCEURL",
)
DETENTE_COLUMNS = (
    "detente_event_id", "detente_type", "detente_date", "detente_date_start", "detente_date_end",
    "detente_date_precision", "detente_date_basis", "detente_modality", "detente_negated", "detente_confidence",
    "detente_evidence",
)
LEAD_SENTENCES = 3
_DAY_PRECISE = {"day"}
_MONTH_PRECISE = {"day", "month"}
_YEAR_PRECISE = {"day", "month", "year"}

# An event's actor record → (ActorCode, ActorCountryCode, ActorKnownGroupCode).
ActorCodes = Callable[[dict], tuple[str, str, str]]


def cameo_actor_codes(gazetteer: Any) -> ActorCodes:
    """The ActorCodes of the module's rule, looking actors up in `gazetteer`."""

    def state_code(code: str) -> str:
        known = gazetteer.get(code) if code else None
        return (known.cameo or known.code) if known is not None and known.kind == "state" else code

    def codes(actor: dict) -> tuple[str, str, str]:
        code = actor.get("code") or ""
        known = gazetteer.get(code) if code else None
        kind = known.kind if known is not None else ""
        sector = actor.get("sector") or ""
        if kind in ("igo", "group", "org"):
            return f"IGO{code}" if kind == "igo" else code, "", code
        country = state_code(actor.get("country") or (code if kind == "state" else ""))
        if kind == "state" and not sector:
            return country, country, ""
        return country + sector if country else code, country, ""

    return codes


def _date_fields(when: dict) -> dict:
    precision = when.get("precision") or "unknown"
    start = (when.get("start") or "")[:10]
    end = (when.get("end") or start)[:10]
    fields = {"SQLDATE": "", "MonthYear": "", "Year": "", "FractionDate": ""}
    if not start or precision == "unknown" or start.startswith("-"):
        return fields
    # A week or a season is no single day, but its year (and month) are known when both ends share them.
    if precision in _YEAR_PRECISE or start[:4] == end[:4]:
        fields["Year"] = start[:4]
    if precision in _MONTH_PRECISE or start[:7] == end[:7]:
        fields["MonthYear"] = start[:4] + start[5:7]
    if precision in _DAY_PRECISE:
        fields["SQLDATE"] = start.replace("-", "")
        day = date.fromisoformat(start)
        fields["FractionDate"] = f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"
    return fields


def _actor_fields(number: int, actor: dict | None, codes: ActorCodes) -> dict:
    prefix = f"Actor{number}"
    if not actor:
        return {f"{prefix}{name}": "" for name in ("Code", "Name", "CountryCode", "KnownGroupCode", "Type1Code")}
    code, country, group = codes(actor)
    return {f"{prefix}Code": code, f"{prefix}Name": actor.get("name") or "", f"{prefix}CountryCode": country,
            f"{prefix}KnownGroupCode": group, f"{prefix}Type1Code": actor.get("sector") or ""}


def gdelt_row(event: dict, codes: ActorCodes, document_urls: dict[str, str]) -> dict:
    when = event.get("date") or {}
    mentions = event.get("mentions") or []
    first = mentions[0] if mentions else {}
    cameo = event.get("cameo") or ""
    return {"GLOBALEVENTID": event["id"], **_date_fields(when),
            **_actor_fields(1, (event.get("source") or [None])[0], codes),
            **_actor_fields(2, (event.get("target") or [None])[0], codes),
            "IsRootEvent": int(any((m.get("sentence") or 0) < LEAD_SENTENCES for m in mentions)),
            "EventCode": cameo, "EventBaseCode": cameo[:3], "EventRootCode": cameo[:2],
            "QuadClass": event.get("quad_class") or "", "GoldsteinScale": event.get("goldstein"),
            "NumMentions": len(mentions), "NumSources": event.get("sources_count") or 1,
            "NumArticles": event.get("sources_count") or 1, "AvgTone": "", "DATEADDED": "",
            "SOURCEURL": document_urls.get(first.get("doc_id") or "") or first.get("doc_name") or "",
            "detente_event_id": event["id"], "detente_type": event.get("type") or "",
            "detente_date": when.get("value") or "", "detente_date_start": when.get("start") or "",
            "detente_date_end": when.get("end") or "", "detente_date_precision": when.get("precision") or "unknown",
            "detente_date_basis": when.get("basis") or "", "detente_modality": event.get("modality") or "",
            "detente_negated": "true" if event.get("negated") else "false",
            "detente_confidence": event.get("confidence"),
            "detente_evidence": citations(mentions)}


def write_gdelt(events: Iterable[dict], stream: TextIO, codes: ActorCodes, document_urls: dict[str, str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=[*GDELT_COLUMNS, *DETENTE_COLUMNS], lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(gdelt_row(event, codes, document_urls))
        count += 1
    return count
