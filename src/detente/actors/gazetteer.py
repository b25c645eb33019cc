"""The gazetteer: every actor detente knows, the ways each is written, and dated roles.

States come from pycountry (ISO 3166-1) with our overlay of short names, demonyms, capitals,
CAMEO codes and historical states; IGOs and people come from our YAML files under
`detente/data/gazetteer/` (format in its README.md). User files (YAML or CSV) add actors;
they are validated as a whole, so a bad file raises `GazetteerError` (file, line, problem)
and nothing of it is loaded.
"""

from __future__ import annotations

import csv
import datetime as _dt
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pycountry
import yaml

from detente.model import Actor, Role

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
KINDS = ("state", "igo", "person", "org", "group")
# Name order puts the family name first for these countries ("Kim Jong Un" -> Kim).
FAMILY_NAME_FIRST = {"PRK", "KOR", "CHN", "TWN", "VNM", "MNG", "SUN_KOREAN"}
# Some CAMEO / legacy ISO codes seen in coded data, folded to today's ISO code for evaluation.
LEGACY_CODES = {"VTN": "VNM", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "BUR": "MMR"}
_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Characters ignored when comparing surface forms: spaces and hyphens ("Kim Jong-un" = "Kim Jong Un").
_IGNORED_CHARS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u00a0\t\n\r")


class GazetteerError(ValueError):
    """A gazetteer file is malformed; says which file, which line and what is wrong."""

    def __init__(self, path: str | Path, line: int, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.path}:{line}: {problem}")


def fold_text(text: str) -> str:
    """The key surface forms are compared by: apostrophes unified, spaces/hyphens dropped, casefolded."""
    return cased_key(text).lower()


def cased_key(text: str) -> str:
    """Like `fold_text` but keeping case, so capitalisation can be checked against the data's spelling."""
    return text.replace("\u2019", "'").replace("\u2018", "'").translate(_IGNORED_CHARS)


# ----------------------------------------------------------------------------- dates

def date_bounds(date: str) -> tuple[str, str] | None:
    """The inclusive day range an ISO prefix / EDTF-ish value covers: '2011' -> 2011-01-01..2011-12-31."""
    date = (date or "").strip()
    if not date:
        return None
    if "/" in date:
        first, _, last = date.partition("/")
        lo, hi = date_bounds(first), date_bounds(last)
        if lo is None or hi is None:
            return None
        return lo[0], hi[1]
    if re.fullmatch(r"\d{3}X", date):  # a decade: '195X'
        return f"{date[:3]}0-01-01", f"{date[:3]}9-12-31"
    if re.fullmatch(r"\d{2}XX", date):
        return f"{date[:2]}00-01-01", f"{date[:2]}99-12-31"
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date)
    if not match:
        return None
    year, month, day = match.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


def _day_number(iso_day: str) -> int:
    year, month, day = (int(part) for part in iso_day.split("-"))
    try:
        return _dt.date(year, month, day).toordinal()
    except ValueError:  # '2011-02-31' from a month bound: clamp to the month's last day
        return _dt.date(year, month, 28).toordinal() + min(day - 28, 3)


def role_span(role: Role) -> tuple[str, str]:
    """A role's inclusive day range; open ends reach far into the past or future."""
    start = date_bounds(role.start)
    end = date_bounds(role.end)
    return (start[0] if start else "0001-01-01", end[1] if end else "9999-12-31")


def overlap_days(a: tuple[str, str], b: tuple[str, str]) -> int:
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    if lo > hi:
        return 0
    return _day_number(hi) - _day_number(lo) + 1


def role_at(actor: Actor, date: str | None) -> Role | None:
    """The role `actor` held at `date` (an ISO prefix); when several overlap a coarse date, the one
    held for most of it (Putin in '1999' -> FSB Director; in '1999-12' -> Prime Minister)."""
    period = date_bounds(date or "")
    if period is None or not actor.roles:
        return None
    best, best_days = None, 0
    for role in actor.roles:
        days = overlap_days(period, role_span(role))
        if days > best_days:
            best, best_days = role, days
    return best


# ----------------------------------------------------------------------------- YAML with lines

class _Located:
    line: int = 0


class LineDict(dict, _Located):
    key_lines: dict


class LineList(list, _Located):
    pass


class _DuplicateKey(Exception):
    def __init__(self, line: int, key: Any) -> None:
        super().__init__(line, key)
        self.line, self.key = line, key


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(key_node.start_mark.line + 1, key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path) -> LineDict:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise GazetteerError(path, 0, f"cannot read file: {error}") from error
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as error:
        raise GazetteerError(path, error.line, f"duplicate key {error.key!r}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise GazetteerError(path, mark.line + 1 if mark else 0, f"not valid YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, dict):
        raise GazetteerError(path, 1, "expected a mapping at the top level (with a 'version' key)")
    if "version" not in data:
        raise GazetteerError(path, 1, "missing 'version' key")
    return data


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def _line_of(value: Any, default: int) -> int:
    return getattr(value, "line", 0) or default


# ----------------------------------------------------------------------------- records

@dataclass
class SourcedActor:
    """An actor with where it was defined, so later checks can name file and line."""

    actor: Actor
    path: str
    line: int
    role_lines: list[int] = field(default_factory=list)


@dataclass
class Lexicon:
    sector_nouns: dict[str, str] = field(default_factory=dict)
    titles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    title_modifiers: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    common_surnames: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DatedForm:
    code: str
    start: str
    end: str


@dataclass(frozen=True)
class ContextForm:
    code: str
    requires: frozenset[str]
    possessive_only: bool


@dataclass
class GazetteerData:
    """Everything read from files, before indexes are built."""

    actors: list[SourcedActor] = field(default_factory=list)
    # code -> (form, kind) pairs: kind is name, adjective, capital, metonym, person, igo
    forms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    surnames: dict[str, str] = field(default_factory=dict)  # person code -> surname
    dated_forms: dict[str, list[DatedForm]] = field(default_factory=dict)
    context_forms: dict[str, ContextForm] = field(default_factory=dict)
    cautious: set[str] = field(default_factory=set)
    ignored: set[str] = field(default_factory=set)
    lexicon: Lexicon = field(default_factory=Lexicon)

    def copy(self) -> "GazetteerData":
        return GazetteerData(
            actors=list(self.actors), forms={k: list(v) for k, v in self.forms.items()},
            surnames=dict(self.surnames), dated_forms=dict(self.dated_forms),
            context_forms=dict(self.context_forms), cautious=set(self.cautious), ignored=set(self.ignored),
            lexicon=self.lexicon,
        )


def _check_date(value: Any, path: Path | str, line: int, what: str) -> str:
    text = _text(value)
    if text and not _DATE_RE.match(text):
        raise GazetteerError(path, line, f"{what} {text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if text:
        try:
            bounds = date_bounds(text)
            assert bounds
            _dt.date.fromisoformat(bounds[0])
        except (ValueError, AssertionError):
            raise GazetteerError(path, line, f"{what} {text!r} is not a real date") from None
    return text


def _parse_role(raw: Any, path: Path | str, line: int) -> Role:
    if isinstance(raw, list):
        if len(raw) != 5:
            raise GazetteerError(path, line, "a role needs 5 items: [country, sector, title, from, to]")
        country, sector, title, start, end = raw
    elif isinstance(raw, dict):
        unknown = set(raw) - {"country", "sector", "title", "from", "to"}
        if unknown:
            raise GazetteerError(path, line, f"unknown role field(s): {', '.join(sorted(map(str, unknown)))}")
        country, sector, title = raw.get("country"), raw.get("sector"), raw.get("title")
        start, end = raw.get("from"), raw.get("to")
    else:
        raise GazetteerError(path, line, "a role must be a list [country, sector, title, from, to] or a mapping")
    country, sector, title = _text(country).upper(), _text(sector).upper(), _text(title)
    if not country or not title:
        raise GazetteerError(path, line, "a role needs a country and a title")
    start = _check_date(start, path, line, "role start")
    end = _check_date(end, path, line, "role end")
    if start and end and role_span(Role(country, sector, title, start, ""))[0] > role_span(Role(country, sector, title, "", end))[1]:
        raise GazetteerError(path, line, f"role {title!r} ends ({end}) before it starts ({start})")
    return Role(country, sector or "GOV", title, start, end)


def _string_list(value: Any, path: Path | str, line: int, what: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise GazetteerError(path, line, f"{what} must be a list of strings")
    return [str(v).strip() for v in value if str(v).strip()]


def default_surname(name: str, country: str) -> str:
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    if not words:
        return ""
    if country in FAMILY_NAME_FIRST:
        return words[0]
    return words[-1].rstrip(".")


def parse_actor(raw: Any, path: Path | str, line: int) -> tuple[SourcedActor, list[tuple[str, str]], str]:
    """One actor record (user file or built-in people file) -> actor, its surface forms, surname."""
    if not isinstance(raw, dict):
        raise GazetteerError(path, line, "an actor must be a mapping with at least 'code' and 'name'")
    known = {"code", "name", "kind", "country", "sector", "aliases", "predecessor", "successor", "cameo",
             "roles", "surname"}
    unknown = set(raw) - known
    if unknown:
        raise GazetteerError(path, line, f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    code, name = _text(raw.get("code")), _text(raw.get("name"))
    if not code:
        raise GazetteerError(path, line, "missing 'code'")
    if not _CODE_RE.match(code):
        raise GazetteerError(path, line, f"code {code!r} must be letters, digits and underscores")
    if not name:
        raise GazetteerError(path, line, f"actor {code!r}: missing 'name'")
    kind = _text(raw.get("kind")) or "person"
    if kind not in KINDS:
        raise GazetteerError(path, line, f"actor {code!r}: kind {kind!r} is not one of {', '.join(KINDS)}")
    aliases = _string_list(raw.get("aliases"), path, line, "aliases")
    roles_raw = raw.get("roles") or []
    if not isinstance(roles_raw, list):
        raise GazetteerError(path, line, f"actor {code!r}: 'roles' must be a list")
    roles, role_lines = [], []
    for item in roles_raw:
        role_line = _line_of(item, line)
        roles.append(_parse_role(item, path, role_line))
        role_lines.append(role_line)
    # The primary country/sector (used when no role covers the date): as given, else the
    # country most of the roles are in and, for a person, government.
    countries = [role.country for role in roles]
    country = _text(raw.get("country")).upper() or (max(countries, key=countries.count) if countries else "")
    sector = _text(raw.get("sector")).upper() or ("GOV" if kind == "person" else "")
    actor = Actor(code=code, name=name, kind=kind, sector=sector, country=country, aliases=aliases,
                  predecessor=_text(raw.get("predecessor")), successor=_text(raw.get("successor")),
                  roles=roles, cameo=_text(raw.get("cameo")))
    form_kind = {"person": "person", "igo": "igo", "state": "name"}.get(kind, "name")
    forms = [(name, form_kind)] + [(alias, form_kind) for alias in aliases]
    surname = _text(raw.get("surname")) or (default_surname(name, country) if kind == "person" else "")
    return SourcedActor(actor, str(path), line, role_lines), forms, surname


# ----------------------------------------------------------------------------- built-in data

def _load_builtin() -> GazetteerData:
    data = GazetteerData()
    _load_states(DATA_DIR / "states.yaml", data)
    _load_igos(DATA_DIR / "igos.yaml", data)
    _load_people(DATA_DIR / "people.yaml", data)
    _load_groups(DATA_DIR / "groups.yaml", data)
    data.lexicon = _load_lexicon(DATA_DIR / "lexicon.yaml")
    return data


def _iso_names(country: Any) -> list[str]:
    names = []
    for attribute in ("name", "official_name", "common_name"):
        value = getattr(country, attribute, None)
        # "Korea, Republic of" style inverted names are never written in prose.
        if value and "," not in value and "(" not in value:
            names.append(value)
    return names


def _load_states(path: Path, data: GazetteerData) -> None:
    raw = read_yaml(path)
    overlay = raw.get("states") or {}
    for country in pycountry.countries:
        code = country.alpha_3
        extra = overlay.get(code) or {}
        line = overlay.key_lines.get(code, 0) if isinstance(overlay, LineDict) else 0
        display = _text(extra.get("display")) or getattr(country, "common_name", None) or country.name
        if "," in display:
            display = (extra.get("names") or [display])[0]
        names = _iso_names(country) + _string_list(extra.get("names"), path, line, "names")
        forms = [(n, "name") for n in names]
        forms += [(a, "adjective") for a in _string_list(extra.get("adjectives"), path, line, "adjectives")]
        forms += [(c, "capital") for c in _string_list(extra.get("capitals"), path, line, "capitals")]
        forms += [(m, "metonym") for m in _string_list(extra.get("metonyms"), path, line, "metonyms")]
        actor = Actor(code=code, name=display, kind="state", country=code,
                      aliases=_unique(f for f, _ in forms if f != display), cameo=_text(extra.get("cameo")))
        data.actors.append(SourcedActor(actor, str(path), line))
        data.forms[code] = forms
    for code, extra in (raw.get("historical") or {}).items():
        line = raw["historical"].key_lines.get(code, 0)
        name = _text(extra.get("name"))
        names = [name, _text(extra.get("official_name"))] + _string_list(extra.get("names"), path, line, "names")
        forms = [(n, "name") for n in names if n and "(" not in n]
        forms += [(a, "adjective") for a in _string_list(extra.get("adjectives"), path, line, "adjectives")]
        forms += [(c, "capital") for c in _string_list(extra.get("capitals"), path, line, "capitals")]
        start = _check_date(extra.get("from"), path, line, "from")
        end = _check_date(extra.get("to"), path, line, "to")
        actor = Actor(code=code, name=name, kind="state", country=code, successor=_text(extra.get("successor")),
                      aliases=_unique(f for f, _ in forms if f != name),
                      roles=[Role(code, "GOV", "State", start, end)] if start or end else [])
        data.actors.append(SourcedActor(actor, str(path), line))
        data.forms[code] = forms
    by_code = {s.actor.code: s.actor for s in data.actors}
    for code, predecessor in (raw.get("predecessors") or {}).items():
        if code in by_code:
            by_code[code].predecessor = predecessor
    for item in raw.get("dated_forms") or []:
        line = _line_of(item, 0)
        form = fold_text(_text(item.get("form")))
        data.dated_forms.setdefault(form, []).append(DatedForm(
            _text(item.get("code")), _check_date(item.get("from"), path, line, "from"),
            _check_date(item.get("to"), path, line, "to")))
    for item in raw.get("context_forms") or []:
        data.context_forms[fold_text(_text(item.get("form")))] = ContextForm(
            _text(item.get("code")), frozenset(item.get("requires") or []), bool(item.get("possessive_only")))
    data.cautious = {fold_text(f) for f in raw.get("cautious") or []}
    data.ignored = {fold_text(f) for f in raw.get("ignored_forms") or []}


def _load_igos(path: Path, data: GazetteerData) -> None:
    raw = read_yaml(path)
    for code, item in (raw.get("igos") or {}).items():
        line = raw["igos"].key_lines.get(code, 0)
        record = dict(item)
        record.update(code=code, kind="igo")
        sourced, forms, _ = parse_actor(record, path, line)
        data.actors.append(sourced)
        data.forms[code] = forms


def _load_people(path: Path, data: GazetteerData) -> None:
    raw = read_yaml(path)
    for code, item in (raw.get("people") or {}).items():
        line = raw["people"].key_lines.get(code, 0)
        record = LineDict(item)
        record.update(code=code, kind="person")
        sourced, forms, surname = parse_actor(record, path, line)
        # The built-in files give role rows as flow lists on one line; keep their own lines.
        data.actors.append(sourced)
        data.forms[code] = forms
        data.surnames[code] = surname


def _load_groups(path: Path, data: GazetteerData) -> None:
    """Non-state groups and NGOs, written in the user-file format."""
    for raw, line in read_user_file(path):
        sourced, forms, _ = parse_actor(raw, path, line)
        data.actors.append(sourced)
        data.forms[sourced.actor.code] = forms


def _load_lexicon(path: Path) -> Lexicon:
    raw = read_yaml(path)
    sector_nouns = {}
    for sector, nouns in (raw.get("sector_nouns") or {}).items():
        for noun in nouns:
            sector_nouns[str(noun).lower()] = sector
    titles = {str(k).lower(): tuple(v) for k, v in (raw.get("titles") or {}).items()}
    return Lexicon(
        sector_nouns=sector_nouns, titles=titles,
        title_modifiers=frozenset(str(w).lower() for w in raw.get("title_modifiers") or []),
        honorifics=frozenset(str(w).lower() for w in raw.get("honorifics") or []),
        common_surnames=frozenset(str(w).lower() for w in raw.get("common_surnames") or []),
    )


def _unique(items: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


# ----------------------------------------------------------------------------- user files

CSV_COLUMNS = ("code", "name", "kind", "country", "sector", "aliases", "roles")


def read_user_file(path: Path) -> list[tuple[Any, int]]:
    """Actor records of a user file with their line numbers (YAML `actors:` list, or CSV)."""
    if path.suffix.lower() == ".csv":
        return list(_read_csv(path))
    raw = read_yaml(path)
    unknown = set(raw) - {"version", "actors"}
    if unknown:
        raise GazetteerError(path, 1, f"unknown top-level key(s): {', '.join(sorted(map(str, unknown)))} (expected 'version', 'actors')")
    actors = raw.get("actors")
    if not isinstance(actors, list):
        raise GazetteerError(path, raw.key_lines.get("actors", 1), "'actors' must be a list of actor mappings")
    return [(item, _line_of(item, actors.line)) for item in actors]


def _read_csv(path: Path) -> Iterator[tuple[dict, int]]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise GazetteerError(path, 0, f"cannot read file: {error}") from error
    with handle:
        lines = [row for row in handle]
    data_lines = [(n, text) for n, text in enumerate(lines, 1) if text.strip() and not text.lstrip().startswith("#")]
    if not data_lines:
        raise GazetteerError(path, 1, "empty file (expected a header: " + ",".join(CSV_COLUMNS) + ")")
    header_line, header_text = data_lines[0]
    header = [h.strip().lower() for h in next(csv.reader([header_text]))]
    if header[:2] != ["code", "name"] or set(header) - set(CSV_COLUMNS):
        raise GazetteerError(path, header_line, "header must be code,name[,kind,country,sector,aliases,roles]")
    for number, text in data_lines[1:]:
        try:
            cells = next(csv.reader([text]))
        except csv.Error as error:
            raise GazetteerError(path, number, f"not valid CSV: {error}") from None
        if len(cells) != len(header):
            raise GazetteerError(path, number, f"expected {len(header)} columns, found {len(cells)}")
        row = dict(zip(header, (c.strip() for c in cells)))
        record: dict[str, Any] = {k: v for k, v in row.items() if k not in ("aliases", "roles")}
        record["aliases"] = [a.strip() for a in row.get("aliases", "").split(";") if a.strip()]
        roles = []
        for item in (r for r in row.get("roles", "").split(";") if r.strip()):
            parts = [p.strip() for p in item.split("|")]
            if len(parts) != 5:
                raise GazetteerError(path, number, f"role {item!r} must be COUNTRY|SECTOR|Title|from|to")
            roles.append(parts)
        record["roles"] = roles
        yield record, number


def merge_user_files(base: GazetteerData, paths: Iterable[Path]) -> GazetteerData:
    data = base.copy()
    codes = {s.actor.code: s for s in data.actors}
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise GazetteerError(path, 0, "file not found")
        for raw, line in read_user_file(path):
            sourced, forms, surname = parse_actor(raw, path, line)
            code = sourced.actor.code
            if code in codes:
                first = codes[code]
                raise GazetteerError(path, line, f"duplicate code {code!r} (already defined at {first.path}:{first.line})")
            codes[code] = sourced
            data.actors.append(sourced)
            data.forms[code] = forms
            if surname:
                data.surnames[code] = surname
    check_roles(data.actors)
    return data


def check_roles(actors: list[SourcedActor]) -> None:
    """No person holds the same office twice at once, and no office has two holders at once.
    A handover day may close one term and open the next."""
    offices: dict[tuple[str, str], list[tuple[tuple[str, str], SourcedActor, int]]] = {}
    for sourced in actors:
        actor = sourced.actor
        if actor.kind != "person":
            continue
        for index, role in enumerate(actor.roles):
            line = sourced.role_lines[index] if index < len(sourced.role_lines) else sourced.line
            span = (date_bounds(role.start)[0] if role.start else "0001-01-01",
                    date_bounds(role.end)[0] if role.end else "9999-12-31")
            for other_span, other, other_line in offices.get((role.country, role.title), []):
                if span[0] < other_span[1] and other_span[0] < span[1]:
                    who = "the same person" if other is sourced else f"{other.actor.code} ({other.path}:{other_line})"
                    raise GazetteerError(sourced.path, line,
                                         f"role {role.title!r} of {role.country} for {actor.code} "
                                         f"({role.start or '…'}..{role.end or '…'}) overlaps {who}")
            offices.setdefault((role.country, role.title), []).append((span, sourced, line))


# ----------------------------------------------------------------------------- the gazetteer

_DEFAULT_LOCK = threading.Lock()
_BUILTIN: GazetteerData | None = None
_DEFAULT: "Gazetteer | None" = None


def _builtin_data() -> GazetteerData:
    global _BUILTIN
    if _BUILTIN is None:
        data = _load_builtin()
        check_roles(data.actors)
        _BUILTIN = data
    return _BUILTIN


@dataclass(frozen=True)
class FormEntry:
    """One way an actor is written: `cased` keeps the data's capitalisation for checking."""

    code: str
    kind: str  # name, adjective, capital, metonym, person, igo, surname, surname_shared, context
    cased: str
    cautious: bool = False


class Gazetteer:
    """Actors and their surface forms, with the lookup structures the resolver needs built once."""

    def __init__(self, data: GazetteerData) -> None:
        self.data = data
        self.lexicon = data.lexicon
        self._actors: dict[str, Actor] = {s.actor.code: s.actor for s in data.actors}
        self._by_upper = {code.upper(): code for code in self._actors}
        self.forms: dict[str, list[FormEntry]] = {}
        for code, forms in data.forms.items():
            for text, kind in forms:
                self._add_form(text, code, kind, data)
        # Surnames: a surname only one person has is a direct alias; shared ones need context.
        holders: dict[str, list[str]] = {}
        for code, surname in data.surnames.items():
            if surname:
                holders.setdefault(fold_text(surname), []).append(code)
        self.surname_holders = holders
        self.person_surname = {code: fold_text(s) for code, s in data.surnames.items() if s}
        for key, codes in holders.items():
            surname_text = data.surnames[codes[0]]
            if key in self.forms and any(e.kind != "surname" for e in self.forms[key]):
                continue  # a state or full alias spelled like the surname wins
            kind = "surname" if len(codes) == 1 else "surname_shared"
            for code in codes:
                self.forms.setdefault(key, []).append(FormEntry(code, kind, cased_key(surname_text)))
        for key, context in data.context_forms.items():
            self.forms.setdefault(key, []).append(FormEntry(context.code, "context", ""))
        self.prefixes: frozenset[str] = frozenset(key[:n] for key in self.forms for n in range(1, len(key) + 1))
        self.dated_forms = data.dated_forms
        self.context_forms = data.context_forms
        # (country, title) -> [(span, person code)] for "the Russian President" at a date
        self.offices: dict[tuple[str, str], list[tuple[tuple[str, str], str]]] = {}
        for actor in self._actors.values():
            if actor.kind == "person":
                for role in actor.roles:
                    self.offices.setdefault((role.country, role.title), []).append((role_span(role), actor.code))
        self.title_keys = {fold_text(t): t for t in self.lexicon.titles}
        self.title_prefixes = frozenset(k[:n] for k in self.title_keys for n in range(1, len(k) + 1))
        self.honorific_keys = frozenset(fold_text(h) for h in self.lexicon.honorifics)
        self.sector_keys = {fold_text(k): v for k, v in self.lexicon.sector_nouns.items()}
        self.sector_prefixes = frozenset(k[:n] for k in self.sector_keys for n in range(1, len(k) + 1))

    def _add_form(self, text: str, code: str, kind: str, data: GazetteerData) -> None:
        key = fold_text(text)
        if not key or key in data.ignored:
            return
        entries = self.forms.setdefault(key, [])
        cased = cased_key(text)
        for index, entry in enumerate(entries):
            if entry.code == code and entry.kind == kind:
                # Several spellings of one key ("Kim Il Sung", "Kim Il-sung"): demand only the
                # capitals they all share.
                if len(entry.cased) == len(cased):
                    merged = "".join(a if a == b else a.lower() for a, b in zip(entry.cased, cased))
                    entries[index] = replace(entry, cased=merged)
                return
        entries.append(FormEntry(code, kind, cased, key in data.cautious))

    # -- construction

    @classmethod
    def default(cls) -> "Gazetteer":
        """The built-in gazetteer, loaded once per process."""
        global _DEFAULT
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = cls(_builtin_data())
            return _DEFAULT

    @classmethod
    def load(cls, extra_paths: Iterable[Path | str] = ()) -> "Gazetteer":
        """The built-in gazetteer plus user files (YAML or CSV, see the data README).
        Raises GazetteerError (file, line, problem); a failed load changes nothing."""
        paths = [Path(p) for p in extra_paths]
        if not paths:
            return cls.default()
        with _DEFAULT_LOCK:
            base = _builtin_data()
        return cls(merge_user_files(base, paths))

    # -- queries

    def get(self, code: str) -> Actor | None:
        if code in self._actors:
            return self._actors[code]
        folded = self._by_upper.get(code.upper())
        return self._actors.get(folded) if folded else None

    def actors(self) -> list[Actor]:
        return list(self._actors.values())

    def __len__(self) -> int:
        return len(self._actors)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def search(self, query: str) -> list[Actor]:
        """Actors whose code, name or alias matches `query`: exact matches first, then prefixes, then substrings."""
        key = fold_text(query)
        if not key:
            return []
        ranked: dict[str, int] = {}
        direct = self.get(query.strip())
        if direct:
            ranked[direct.code] = 0
        for entry in self.forms.get(key, []):
            ranked.setdefault(entry.code, 1)
        for actor in self._actors.values():
            if actor.code in ranked:
                continue
            texts = [fold_text(actor.name)] + [fold_text(a) for a in actor.aliases]
            if any(t.startswith(key) for t in texts):
                ranked[actor.code] = 2
            elif any(key in t for t in texts):
                ranked[actor.code] = 3
        return [self._actors[c] for c, _ in sorted(ranked.items(), key=lambda item: (item[1], item[0]))]

    def tenure(self, name: str) -> tuple[str, str] | None:
        """The days a person led a state ("the Yeltsin years", "under Gorbachev"): first start to
        last end of their leading roles. None when the name is unknown or fits several people."""
        key = fold_text(name)
        codes = {e.code for e in self.forms.get(key, []) if (a := self.get(e.code)) and a.kind == "person"}
        if len(codes) != 1:
            return None
        leading = set(self.lexicon.titles.get("leader", ()))
        spans = [role_span(r) for r in self._actors[codes.pop()].roles if r.title in leading]
        if not spans or any(e.startswith("9999") for _, e in spans):
            return None  # no tenure to date while it is still running
        return min(s for s, _ in spans), max(e for _, e in spans)

    def lineage(self, code: str) -> list[str]:
        """The code, then its predecessors back in time, then its successors forward:
        RUS -> [RUS, SUN]; SUN -> [SUN, RUS]. One continuing state under several codes."""
        actor = self.get(code)
        if actor is None:
            return [code]
        chain = [actor.code]
        cursor = actor
        while cursor.predecessor and cursor.predecessor not in chain and (nxt := self.get(cursor.predecessor)):
            chain.append(nxt.code)
            cursor = nxt
        cursor = actor
        while cursor.successor and cursor.successor not in chain and (nxt := self.get(cursor.successor)):
            chain.append(nxt.code)
            cursor = nxt
        return chain

    def fold_code(self, code: str) -> str:
        """A code as evaluation compares it: CAMEO country codes to ISO (JAP -> JPN, GMY -> DEU),
        any IGO (own codes or CAMEO 'IGO...') to 'IGO', a person to their country."""
        raw = (code or "").strip()
        upper = raw.upper()
        if upper.startswith("IGO"):
            return "IGO"
        for actor in self._actors.values():
            if actor.cameo and actor.cameo.upper() == upper and actor.kind == "state":
                return actor.code
        if upper in LEGACY_CODES:
            return LEGACY_CODES[upper]
        actor = self.get(raw)
        if actor is None:
            return upper
        if actor.kind == "igo":
            return "IGO"
        if actor.kind == "person":
            return actor.country or actor.code
        return actor.code

    def office_holder(self, country: str, titles: Iterable[str], date: str | None) -> str | None:
        """Who held the first of `titles` (most senior first) in `country` at `date`; None if unknown."""
        period = date_bounds(date or "")
        if period is None:
            return None
        for title in titles:
            best, best_days = None, 0
            for span, code in self.offices.get((country, title), []):
                days = overlap_days(period, span)
                if days > best_days:
                    best, best_days = code, days
            if best:
                return best
        return None

    def with_actor(self, actor: Actor) -> "Gazetteer":
        """A copy with one more actor (for programmatic use; still validated)."""
        data = self.data.copy()
        if actor.code in self._actors:
            raise GazetteerError("<memory>", 0, f"duplicate code {actor.code!r}")
        data.actors.append(SourcedActor(replace(actor), "<memory>", 0))
        kind = {"person": "person", "igo": "igo"}.get(actor.kind, "name")
        data.forms[actor.code] = [(actor.name, kind)] + [(a, kind) for a in actor.aliases]
        check_roles(data.actors)
        return Gazetteer(data)
