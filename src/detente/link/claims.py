"""Claims: what a document asserts about a person, an amount, a dated event or a first.

Plain data in (the stored sentences of one document and its publication date), plain data
out (`FoundClaim`s). The rules are deliberately narrow: a claim is only useful for finding
disagreements when its subject is known, so a pattern that cannot tell whom or what it is
about yields nothing rather than a guess.

Kinds of claim (the `kind` field):
- `rank`: a military rank held by a person ("a former Soviet Army captain", "served as a major").
- `office`: a title before a person's name ("Russian President Dmitry Medvedev"); offices follow
  one another, so these never conflict.
- `amount`: money or a head count with its bounds ("over ten billion dollars", "$11 billion",
  "about 10,000 troops"); percentages and ratios ("90 percent", "43 times") are kept too.
- `event_date`: the date of a singular event ("met ... in Vladivostok on 25 April 2019").
- `visit`: a person went somewhere at a date ("In 2001, he visited North Korea").
- `first`: a person was the first to do it at a date ("first travelled to Pyongyang in 2001",
  "the first Kremlin leader ever to set foot in North Korea", "had not met ... until April 2019").
- `absence`: nobody of a class had done it ("no Kremlin leader had visited North Korea").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Iterable

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

# Places a visit or a meeting can be at, with the state they belong to.
PLACES = {
    "north korea": "PRK", "pyongyang": "PRK", "the dprk": "PRK", "dprk": "PRK", "the north korean capital": "PRK",
    "russia": "RUS", "moscow": "RUS", "the soviet union": "SUN", "vladivostok": "RUS", "khabarovsk": "RUS",
    "ulan-ude": "RUS", "china": "CHN", "beijing": "CHN", "south korea": "KOR", "seoul": "KOR",
}
PLACE_NAMES = {"PRK": "North Korea", "RUS": "Russia", "SUN": "the Soviet Union", "CHN": "China", "KOR": "South Korea"}
_PLACE = "(?P<place>" + "|".join(sorted((re.escape(p) for p in PLACES), key=len, reverse=True)) + ")"

RANKS = (
    "marshal of aviation", "marshal of the soviet union", "colonel general", "lieutenant general", "major general",
    "lieutenant colonel", "senior lieutenant", "private", "corporal", "sergeant", "lieutenant", "captain", "major",
    "colonel", "general", "marshal", "admiral",
)
# Ranks that are also ordinary words ("a major actor", "the general public") need the words
# after them to look like the end of a rank phrase.
_AMBIGUOUS_RANKS = {"major", "general", "private"}
_AFTER_RANK = {"in", "of", "and", "before", "after", "during", "when", "until", "with", "to", "at", "for", "under",
               "from", "who", "which", "that", "by", "commanding", "while", "but"}
_RANK = "(?P<rank>" + "|".join(re.escape(r) for r in RANKS) + r")\b"

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a hundred": 100, "hundred": 100,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_QUALIFIER = (r"(?P<qual>over|more than|about|around|some|nearly|almost|roughly|approximately|under|less than|"
              r"at least|up to|an estimated)")
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
MONEY = re.compile(
    r"(?:\b" + _QUALIFIER + r"\s+)?(?P<cur>US\$|\$|€|£)?" + _NUM + r"(?:\s+(?P<scale>thousand|million|billion|trillion))?"
    r"(?:\s+(?P<unit>US dollars|dollars|roubles|rubles|euros|yuan|won))?\b", re.IGNORECASE)
HEADCOUNT = re.compile(r"(?:\b" + _QUALIFIER + r"\s+)?" + _NUM + r"\s+(?:(?:North Korean|Russian|Chinese|American)\s+)?"
                       r"(?P<what>troops|soldiers)\b", re.IGNORECASE)
PERCENT = re.compile(r"(?:\b" + _QUALIFIER + r"\s+)?\b" + _NUM + r"\s*(?:per ?cent|percent|%)", re.IGNORECASE)
RATIO = re.compile(r"(?:\b" + _QUALIFIER + r"\s+)?\b" + _NUM + r"\s+times\b", re.IGNORECASE)

_DAY_DATE = re.compile(r"\b(?P<day>\d{1,2})\s+(?P<month>" + _MONTH + r")\s+(?P<year>1[89]\d\d|20\d\d)\b"
                       r"|\b(?P<month2>" + _MONTH + r")\s+(?P<day2>\d{1,2}),?\s+(?P<year2>1[89]\d\d|20\d\d)\b")
_MONTH_DATE = re.compile(r"\b(?P<month>" + _MONTH + r")\s+(?:of\s+)?(?P<year>1[89]\d\d|20\d\d)\b")
_YEAR = re.compile(r"\b(?<![\d,.$])(?P<year>1[89]\d\d|20\d\d)(?![\d%])\b")
_TODAY = re.compile(r"\btoday\b", re.IGNORECASE)

_PROGRESSION = re.compile(r"\b(promoted|rose|risen|later became|went on to become|rank of)\b", re.IGNORECASE)
_INTENT = re.compile(r"\b(decided to|plans? to|planned|will|would|could|may|might|expected to|ready to)\b", re.IGNORECASE)
_DEBT = re.compile(r"\b(debts?|obligations|owed|owes)\b", re.IGNORECASE)
_SOVIET_OR_RUSSIA = re.compile(r"\b(Soviet|Russia|Russian|Moscow|USSR)\b")
_WRITE_OFF = re.compile(r"\bwrit(e|ten|ing)[- ]off\b", re.IGNORECASE)
_NORTH_KOREA = re.compile(r"\b(North Korea|North Korean|Pyongyang|DPRK)\b")
_PRONOUN = re.compile(r"\b(he|He|him|his|His)\b")

# Leaders of the Kremlin: the titles that make someone "a Kremlin leader" (not premiers or ministers).
LEADER_TITLES = {"general secretary", "first secretary", "president", "acting president", "chairman"}
LEADER_CLASS = re.compile(r"(?:Kremlin|Russian|Soviet)(?: or (?:Soviet|Russian))? leader")

VISIT = re.compile(
    r"\b(?P<first>first\s+)?(?:visited|travell?ed\s+to|went\s+to|set\s+foot\s+in|made\s+(?:a|an|his)\s+(?:[\w-]+\s+){0,2}visit\s+to|"
    r"spent\s+(?:[\w-]+\s+){0,3}in)\s+" + _PLACE, re.IGNORECASE)
FIRST_LEADER = re.compile(r"\bfirst\s+" + LEADER_CLASS.pattern + r"\s+(?:ever\s+)?to\s+(?:visit|set\s+foot\s+in)\s+"
                          + _PLACE, re.IGNORECASE)
ABSENCE = re.compile(r"\bno\s+(?P<who>" + LEADER_CLASS.pattern + r")\s+had\s+(?:ever\s+)?(?:visited|set\s+foot\s+in|been\s+to)\s+"
                     + _PLACE, re.IGNORECASE)
NOT_MET_UNTIL = re.compile(r"\bhad\s+not\s+(?:\w+\s+)?met\s+(?:with\s+)?(?P<other>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,3})"
                           r"\s+until\s+(?P<until>[^,.;]+)")
SUMMIT_ON = re.compile(r"\b(?:met|meets|summit|meeting|talks)\b[^.;]{0,80}?\bin\s+" + _PLACE + r"\s+on\s+(?P<date>[^,.;]+)",
                       re.IGNORECASE)
RANK_AS = re.compile(r"\b(?:served|serving|was|fought|arrived[^,.;]{0,40}?)\s+as\s+(?:an?\s+)?" + _RANK, re.IGNORECASE)
RANK_APPOSITIVE = re.compile(r"(?<=, )an?\s+(?:former\s+)?(?:(?:Soviet|Red|Russian|Korean|Japanese|Chinese)\s+)?[Aa]rmy\s+"
                             + _RANK, re.IGNORECASE)
# Offices are held one after another, so they are kept as claims but never set against each other.
OFFICE_BEFORE_NAME = re.compile(
    r"(?P<office>(?:(?:[Tt]hen|[Ff]ormer|[Nn]ew|[Ll]ate)-?\s*)?(?:(?:Russian|Soviet|North Korean|South Korean|Chinese|American|US)\s+)?"
    r"(?:President|Prime Minister|Foreign Minister|Defence Minister|Defense Minister|Premier|General Secretary|"
    r"First Secretary|Chairman|Supreme Leader|leader|ambassador|deputy premier|foreign minister|defence minister)"
    r"(?:\s+of\s+[A-Z][\w ]+?)?)\s*,?\s*$")
RANK_PROMOTED = re.compile(r"\bpromoted\s+to\s+(?:the\s+rank\s+of\s+)?" + _RANK, re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    value: str  # '2001', '2000-07', '2000-07-20'
    start: str
    end: str
    precision: str

    def overlaps(self, other: "DateRange") -> bool:
        return self.start <= other.end and other.start <= self.end

    def before(self, other: "DateRange") -> bool:
        return self.end < other.start


def day_range(year: int, month: int | None = None, day: int | None = None) -> DateRange:
    if month is None:
        return DateRange(f"{year:04d}", f"{year:04d}-01-01", f"{year:04d}-12-31", "year")
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return DateRange(f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}",
                         "month")
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    return DateRange(iso, iso, iso, "day")


def find_date(text: str, published: DateRange | None = None) -> tuple[DateRange, int, int] | None:
    """The most precise explicit date in `text` (with its offsets); 'today' is the document's day."""
    match = _DAY_DATE.search(text)
    if match:
        day = int(match.group("day") or match.group("day2"))
        month = MONTHS[(match.group("month") or match.group("month2")).lower()]
        year = int(match.group("year") or match.group("year2"))
        if 1 <= day <= calendar.monthrange(year, month)[1]:
            return day_range(year, month, day), match.start(), match.end()
    match = _MONTH_DATE.search(text)
    if match:
        return day_range(int(match.group("year")), MONTHS[match.group("month").lower()]), match.start(), match.end()
    match = _YEAR.search(text)
    if match:
        return day_range(int(match.group("year"))), match.start(), match.end()
    match = _TODAY.search(text)
    if match and published is not None and published.precision == "day":
        return published, match.start(), match.end()
    return None


_FAMILY_NAME_FIRST = {"Kim", "Park", "Pak", "Choe", "Choi", "Lee", "Ri", "Moon", "Roh", "Chun", "Yoon", "Xi", "Mao",
                      "Hu", "Jiang", "Deng", "Zhou", "Wang", "Li"}


@dataclass(frozen=True)
class PersonMention:
    code: str
    name: str
    start: int  # offsets in the sentence
    end: int


class PersonFinder:
    """People of the gazetteer by name or alias, and the surname-only forms ("Putin", "Kim")
    resolved to the last person with that surname named earlier in the same document."""

    def __init__(self, people: Iterable[tuple[str, str, list[str]]], leaders: Iterable[str] = ()) -> None:
        forms: dict[str, str] = {}
        self.names: dict[str, str] = {}
        surname_owners: dict[str, set[str]] = {}
        for code, name, aliases in people:
            self.names[code] = name
            for form in [name, *aliases]:
                if len(form) > 3 and form[0].isupper():
                    forms.setdefault(form, code)
            words = name.replace("-", " ").split()
            # East Asian names put the family name first ("Kim" Il Sung), others last ("Putin").
            family = {words[0]} if words and words[0] in _FAMILY_NAME_FIRST else set()
            for surname in family | {words[-1]} if len(words) > 1 else set():
                surname_owners.setdefault(surname, set()).add(code)
        self.forms = forms
        self.surnames = {s: owners for s, owners in surname_owners.items() if len(s) > 2 and s[0].isupper()}
        self.leaders = set(leaders)
        pattern = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        self._full = re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])") if pattern else None
        surnames = "|".join(re.escape(s) for s in sorted(self.surnames, key=len, reverse=True))
        self._short = re.compile(r"(?<![\w-])(?:" + surnames + r")(?![\w-])") if surnames else None

    def find(self, text: str, recent: dict[str, str]) -> list[PersonMention]:
        """Full names, then surnames alone (a unique owner, or the last one named in the document)."""
        found: list[PersonMention] = []
        taken: list[tuple[int, int]] = []
        if self._full:
            for match in self._full.finditer(text):
                code = self.forms[match.group(0)]
                found.append(PersonMention(code, self.names[code], match.start(), match.end()))
                taken.append((match.start(), match.end()))
        if self._short:
            for match in self._short.finditer(text):
                if any(start <= match.start() < end for start, end in taken):
                    continue
                owners = self.surnames[match.group(0)]
                code = recent.get(match.group(0)) or (next(iter(owners)) if len(owners) == 1 else None)
                if code:
                    found.append(PersonMention(code, self.names[code], match.start(), match.end()))
        return sorted(found, key=lambda m: m.start)

    def surnames_of(self, code: str) -> list[str]:
        return [s for s, owners in self.surnames.items() if code in owners]


@dataclass
class FoundClaim:
    """One claim with where it was read: offsets are characters of the document text."""

    kind: str
    subject_key: str  # what the claim is about, comparable across documents
    subject: str  # the same, for people to read
    attribute: str
    value: str  # normalised, readable
    doc_id: str
    sentence_index: int
    start: int
    end: int
    text: str  # the claim's span
    sentence: str
    date: DateRange | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    progression: bool = False
    polarity: bool = True
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SentenceText:
    index: int
    start: int  # in the document
    text: str


def _bounds(qualifier: str | None, number: float) -> tuple[float, float]:
    """The range a stated figure allows: round figures are approximate, qualifiers widen them."""
    q = (qualifier or "").lower()
    if q in ("over", "more than", "at least"):
        return number, number * 1.5
    if q in ("under", "less than", "up to"):
        return number * 0.5, number
    if q in ("nearly", "almost"):
        return number * 0.85, number
    if q in ("about", "around", "some", "roughly", "approximately", "an estimated"):
        return number * 0.85, number * 1.15
    return number * 0.95, number * 1.05


def _number(text: str) -> float | None:
    text = text.lower().replace(",", "")
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return None


def _human(number: float) -> str:
    for scale, size in (("billion", 1e9), ("million", 1e6)):
        if number >= size:
            return f"{number / size:.3g} {scale}"
    return f"{number:,.0f}"


class ClaimExtractor:
    def __init__(self, people: PersonFinder) -> None:
        self.people = people

    def extract(self, doc_id: str, sentences: list[SentenceText], published: DateRange | None) -> list[FoundClaim]:
        claims: list[FoundClaim] = []
        recent: dict[str, str] = {}  # surname → code of the last person so named
        last_person: PersonMention | None = None
        for position, sentence in enumerate(sentences):
            people = self.people.find(sentence.text, recent)
            context = _Context(self, doc_id, sentence, people, last_person, published, sentences[position + 1:])
            claims.extend(context.all())
            for person in people:
                for surname in self.people.surnames_of(person.code):
                    recent[surname] = person.code
            if people:
                last_person = people[-1]
        return claims


class _Context:
    """Everything needed to read the claims of one sentence."""

    def __init__(self, extractor: ClaimExtractor, doc_id: str, sentence: SentenceText, people: list[PersonMention],
                 previous_person: PersonMention | None, published: DateRange | None, following: list[SentenceText]):
        self.people_finder = extractor.people
        self.doc_id, self.sentence, self.people = doc_id, sentence, people
        self.previous_person, self.published, self.following = previous_person, published, following
        self.text = sentence.text

    def all(self) -> list[FoundClaim]:
        return [*self.ranks(), *self.offices(), *self.amounts(), *self.visits(), *self.firsts(), *self.absences(),
                *self.summits()]

    def claim(self, kind: str, subject_key: str, subject: str, attribute: str, value: str, span: tuple[int, int],
              **more) -> FoundClaim:
        return FoundClaim(kind, subject_key, subject, attribute, value, self.doc_id, self.sentence.index,
                          self.sentence.start + span[0], self.sentence.start + span[1], self.text[span[0]:span[1]],
                          self.text, **more)

    def subject_before(self, offset: int) -> PersonMention | None:
        """The person a phrase at `offset` is about: the last one named before it in the sentence,
        else, when a pronoun comes before it, the last person named in the document so far."""
        before = [p for p in self.people if p.end <= offset]
        if before:
            return before[-1]
        if _PRONOUN.search(self.text[:offset]) and self.previous_person:
            return self.previous_person
        return None

    def date(self) -> DateRange | None:
        found = find_date(self.text, self.published)
        return found[0] if found else None

    # -------------------------------------------------------------- ranks

    def ranks(self) -> list[FoundClaim]:
        claims = []
        progression = bool(_PROGRESSION.search(self.text))
        for pattern in (RANK_AS, RANK_APPOSITIVE, RANK_PROMOTED):
            for match in pattern.finditer(self.text):
                rank = match.group("rank").lower()
                if rank in _AMBIGUOUS_RANKS:
                    after = self.text[match.end("rank"):].split()
                    nxt = after[0].strip(",.;:").lower() if after else ""
                    if after and nxt not in _AFTER_RANK and not after[0][-1] in ",.;:":
                        continue
                person = self.subject_before(match.start())
                if person is None:
                    continue
                claims.append(self.claim("rank", person.code, person.name, "military rank", rank,
                                         (match.start(), match.end()), date=self.date(),
                                         progression=progression or pattern is RANK_PROMOTED))
        return claims

    def offices(self) -> list[FoundClaim]:
        """'Russian President Dmitry Medvedev', 'then-President Vladimir Putin': a title before a name."""
        claims = []
        for person in self.people:
            match = OFFICE_BEFORE_NAME.search(self.text[max(0, person.start - 60):person.start])
            if not match:
                continue
            start = max(0, person.start - 60) + match.start("office")
            office = " ".join(match.group("office").split())
            claims.append(self.claim("office", person.code, person.name, "office", office, (start, person.end),
                                     date=self.date(), progression=True))
        return claims

    # -------------------------------------------------------------- amounts

    def amounts(self) -> list[FoundClaim]:
        claims = []
        year = self.date()
        for match in MONEY.finditer(self.text):
            if not (match.group("cur") or match.group("unit")):
                continue
            number = _number(match.group("num"))
            if number is None:
                continue
            number *= _SCALES.get((match.group("scale") or "").lower(), 1)
            unit = "USD" if (match.group("cur") or "").endswith("$") or "dollar" in (match.group("unit") or "").lower() \
                else (match.group("unit") or match.group("cur") or "").lower()
            low, high = _bounds(match.group("qual"), number)
            if _DEBT.search(self.text) and _SOVIET_OR_RUSSIA.search(self.text):
                key, subject, attribute = "debt:PRK:SUN", "North Korea's Soviet-era debt", "size of the debt"
            else:
                key, subject, attribute = f"money:{self.doc_id}:{self.sentence.index}", "an unattributed sum", "amount"
            claims.append(self.claim("amount", key, subject, attribute, f"{match.group(0).strip()} ({unit} "
                                     f"{_human(low)}–{_human(high)})", (match.start(), match.end()),
                                     low=low, high=high, unit=unit, date=year))
        for match in HEADCOUNT.finditer(self.text):
            number = _number(match.group("num"))
            if number is None or number < 10:
                continue
            low, high = _bounds(match.group("qual"), number)
            intended = bool(_INTENT.search(self.text[:match.start()]))
            when = year or self.published
            if _NORTH_KOREA.search(self.text) and re.search(r"\b(Russia|Kursk)\b", self.text) and not intended and when:
                key = f"troops:PRK->RUS:{when.value[:4]}"
                subject = f"North Korean troops sent to Russia ({when.value[:4]})"
            else:
                key, subject = f"count:{self.doc_id}:{self.sentence.index}", "an unattributed count"
            claims.append(self.claim("amount", key, subject, "number of troops",
                                     f"{match.group(0).strip()} ({_human(low)}–{_human(high)})",
                                     (match.start(), match.end()), low=low, high=high, unit="troops", date=when))
        for pattern, unit in ((PERCENT, "percent"), (RATIO, "times")):
            for match in pattern.finditer(self.text):
                number = _number(match.group("num"))
                if number is None:
                    continue
                low, high = _bounds(match.group("qual"), number)
                if unit == "percent" and _WRITE_OFF.search(self.text) and _DEBT.search(self.text):
                    key, subject = "debt:PRK:SUN:written-off", "share of North Korea's Soviet-era debt written off"
                else:
                    key, subject = f"{unit}:{self.doc_id}:{self.sentence.index}:{match.start()}", f"an unattributed {unit} figure"
                claims.append(self.claim("amount", key, subject, unit, match.group(0).strip(),
                                         (match.start(), match.end()), low=low, high=high, unit=unit, date=year))
        return claims

    # -------------------------------------------------------------- visits, firsts, absences

    def visits(self) -> list[FoundClaim]:
        claims = []
        for match in VISIT.finditer(self.text):
            person = self.subject_before(match.start())
            place = PLACES[match.group("place").lower()]
            if person is None or match.group("first"):
                continue
            found = find_date(self.text, self.published)
            date = found[0] if found else None
            claims.append(self.claim("visit", f"visit:{person.code}:{place}", person.name, f"visit to {PLACE_NAMES[place]}",
                                     date.value if date else "undated", (match.start(), match.end()), date=date,
                                     extra={"person": person.code, "place": place}))
        return claims

    def firsts(self) -> list[FoundClaim]:
        claims = []
        for match in list(VISIT.finditer(self.text)) + list(FIRST_LEADER.finditer(self.text)):
            if match.re is VISIT and not match.group("first"):
                continue
            rest = self.text[match.end():match.end() + 40].lower()
            if re.match(r"\s*(in|for)\s+(more than|over|nearly|almost|\d+|a|many|several|\w+ (years|decades))", rest) \
                    and not re.match(r"\s*in\s+(\d{4}|" + _MONTH.lower() + ")", rest):
                continue  # "first visit in more than two decades" is not a first ever
            person = self.subject_before(match.start())
            if person is None:
                continue
            place = PLACES[match.group("place").lower()]
            date = self.date()
            claims.append(self.claim("first", f"first-visit:{person.code}:{place}", person.name,
                                     f"first visit to {PLACE_NAMES[place]}", date.value if date else "undated",
                                     (match.start(), match.end()), date=date,
                                     extra={"person": person.code, "place": place}))
        for match in NOT_MET_UNTIL.finditer(self.text):
            person = self.subject_before(match.start())
            others = self.people_finder.find(match.group("other"), {})
            until = find_date(match.group("until"), self.published)
            if person is None or not others or until is None:
                continue
            other = others[0]
            pair = sorted([person.code, other.code])
            claims.append(self.claim("first", f"first-meeting:{pair[0]}:{pair[1]}", f"{person.name} and {other.name}",
                                     "first meeting", until[0].value, (match.start(), match.end()), date=until[0],
                                     extra={"person": person.code, "other": other.code}))
        return claims

    def absences(self) -> list[FoundClaim]:
        claims = []
        for match in ABSENCE.finditer(self.text):
            place = PLACES[match.group("place").lower()]
            # "had not visited" speaks of the time before the next visit the text reports, or
            # else of the time it was written.
            bound = None
            for later in self.following:
                if re.search(r"\bvisit", later.text, re.IGNORECASE):
                    found = find_date(later.text, None)
                    if found:
                        bound = found[0]
                        break
            bound = bound or self.published
            claims.append(self.claim("absence", f"leader-visit:{place}", "Kremlin leaders",
                                     f"visit to {PLACE_NAMES[place]}", f"none before {bound.value if bound else '?'}",
                                     (match.start(), match.end()), date=bound, polarity=False,
                                     extra={"place": place, "who": match.group("who")}))
        return claims

    # -------------------------------------------------------------- singular events

    def summits(self) -> list[FoundClaim]:
        claims = []
        for match in SUMMIT_ON.finditer(self.text):
            found = find_date(match.group("date"), None)
            if not found or found[0].precision != "day":
                continue
            date = found[0]
            place = match.group("place")
            place_name = place if place[0].isupper() else place.title()
            claims.append(self.claim("event_date", f"summit:{place.lower()}:{date.value[:4]}",
                                     f"summit in {place_name}, {date.value[:4]}", "date", date.value,
                                     (match.start(), match.end()), date=date))
        return claims
