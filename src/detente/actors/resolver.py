"""Actor resolution: spaCy Doc -> ActorMentions (who is named where, as of the date in the text).

One left-to-right pass over the tokens. At each token the longest gazetteer form starting
there is looked up by concatenating folded token texts (spaces and hyphens ignored, so
"Kim Jong-un", "Kim Jong Un" and "Kim Jong un" are one key) against a prefix set built once
per gazetteer; a form only counts when the text is capitalised where the data's spelling is
("china plates" is not China, "us" is not the US). Around a state the pass then looks for a
title ("the Russian President", "North Korea's leader") or a sector noun ("Soviet troops").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from detente.actors.gazetteer import FormEntry, Gazetteer, cased_key, date_bounds, fold_text, role_at, role_span
from detente.model import Actor, ActorMention

DateOf = Callable[[int], str]

MAX_FORM_TOKENS = 10
_POSSESSIVE = {"'s", "'", "s'"}
_PLACE_LABELS = {"GPE", "LOC", "NORP", "ORG", "FAC"}
# An entity that swallows a place name makes it part of something else ("Washington Post").
_SWALLOWING_LABELS = {"ORG", "FAC", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "PERSON"}
# Words after a cautious form that show it is not the state ("Guinea pig", "Turkey sandwich").
_NON_STATE_FOLLOWERS = {"pig", "pigs", "fowl", "hen", "hens", "sandwich", "sandwiches", "dinner", "breast", "leg",
                        "bush", "pepper", "peppers", "con", "plate", "plates"}
# Hints that "Georgia" is the US state.
_US_GEORGIA = re.compile(r"\bAtlanta\b|\bSavannah\b|Georgia's governor|[Gg]overnor of Georgia|Georgia,\s+(?:USA|U\.S\.)"
                         r"|Georgia Tech|University of Georgia|\bGa\.")
_NAME_PARTS = {"PROPN"}
# Words before a state's name that place something in it rather than make a longer name:
# "South Lebanon", "Western Cambodia" (states whose names have them, "South Korea", "East Timor",
# "Northern Ireland", are forms of their own and match first).
_NOT_NAME_PARTS = {"the", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                   "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
                   "southeastern", "southwestern"}


@dataclass
class _Match:
    start: int  # token index
    end: int  # token index, exclusive
    entry: FormEntry


class ActorResolver:
    """Finds actor mentions in parsed text. Build once per gazetteer; `resolve` is per document."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()
        g = self.gazetteer
        self._forms = g.forms
        self._prefixes = g.prefixes

    # ------------------------------------------------------------------ public

    def resolve(self, doc, date_of: DateOf | None = None, doc_offset: int = 0) -> list[ActorMention]:
        """Actor mentions of `doc`, in text order. `date_of(char)` gets a character offset of the
        document (doc char + `doc_offset`) and returns the ISO date (prefix) in force there, or ''."""
        return _DocumentPass(self, doc, date_of, doc_offset).run()


def resolve_pronouns(doc, mentions: Sequence[ActorMention], doc_offset: int = 0) -> list[ActorMention]:
    """Conservative pronoun coreference: "he"/"she" as a clause subject is the one person named
    earlier in the same sentence, or else the one person who was a subject of the previous sentence.
    Returns the new mentions only (inferred=True); ambiguous pronouns are left alone."""
    persons = [m for m in mentions if m.kind == "person"]
    if not persons:
        return []
    sentences = list(doc.sents)
    found: list[ActorMention] = []
    previous_subjects: list[ActorMention] = []
    for sentence in sentences:
        s_start, s_end = sentence.start_char + doc_offset, sentence.end_char + doc_offset
        in_sentence = [m for m in persons if s_start <= m.start < s_end]
        subjects_here: list[ActorMention] = []
        for mention in in_sentence:
            span = doc.char_span(mention.start - doc_offset, mention.end - doc_offset, alignment_mode="expand")
            if span is not None and any(_is_subject(t) for t in span):
                subjects_here.append(mention)
        for token in sentence:
            if token.lower_ not in ("he", "she") or token.dep_ not in ("nsubj", "nsubjpass"):
                continue
            char = token.idx + doc_offset
            earlier = {m.code: m for m in in_sentence if m.end <= char}
            if len(earlier) == 1:
                antecedent = next(iter(earlier.values()))
            else:
                candidates = {m.code: m for m in previous_subjects}
                if len(earlier) > 1 or len(candidates) != 1:
                    continue
                antecedent = next(iter(candidates.values()))
            found.append(ActorMention(antecedent.code, antecedent.name, antecedent.country, antecedent.sector,
                                      token.text, char, char + len(token.text), "person", True))
        if subjects_here:
            previous_subjects = subjects_here
        elif in_sentence:
            previous_subjects = []
    return found


def _is_subject(token) -> bool:
    """A clause subject, or a conjunct of one ("Putin and Kim talked")."""
    if token.dep_ in ("nsubj", "nsubjpass"):
        return True
    return token.dep_ == "conj" and token.head.dep_ in ("nsubj", "nsubjpass")


class _DocumentPass:
    """State of one resolve() call: what was mentioned so far drives short forms and context forms."""

    def __init__(self, resolver: ActorResolver, doc, date_of: DateOf | None, doc_offset: int) -> None:
        self.r = resolver
        self.g = resolver.gazetteer
        self.doc = doc
        self.date_of = date_of
        self.offset = doc_offset
        self.tokens = list(doc)
        self.pieces = [fold_text(t.text) if not t.is_space else "" for t in self.tokens]
        self.seen_codes: set[str] = set()
        self.last_by_surname: dict[str, str] = {}
        self.full_names_seen: set[str] = set()
        self.text = doc.text  # built from the tokens on every access: read it once
        self.us_georgia = bool(_US_GEORGIA.search(self.text)) if "Georgia" in self.text else False
        self._date_cache: dict[int, str] = {}
        self.mentions: list[ActorMention] = []

    # -------------------------------------------------------------- main loop

    def run(self) -> list[ActorMention]:
        tokens, pieces, prefixes = self.tokens, self.pieces, self.r._prefixes
        n = len(tokens)
        i = 0
        while i < n:
            piece = pieces[i]
            if not piece or piece not in prefixes:
                i += 1
                continue
            next_i = self._try_at(i)
            i = next_i if next_i > i else i + 1
        self._titled_strangers()
        self._ethnic_groups_of_states()
        self.mentions.sort(key=lambda m: m.start)
        return self.mentions

    def _titled_strangers(self) -> None:
        """'President Yoweri Museveni threatened to ban Ugandan opposition candidates': a titled
        person the gazetteer does not know, in a sentence about exactly one state, is taken as
        that state's government (marked inferred). Two or more states in the sentence: no guess."""
        for entity in self.doc.ents:
            low, high = entity.start_char + self.offset, entity.end_char + self.offset
            if entity.label_ != "PERSON" or any(m.start < high and low < m.end for m in self.mentions):
                continue
            before = self.tokens[entity.start - 1] if entity.start > 0 else None
            if before is None or (fold_text(before.text) not in self.g.honorific_keys
                                  and before.lower_ not in _LEADER_TITLES):
                continue
            owner = self._title_owner(entity.start - 1)
            if owner is not None:
                # "U.N. Secretary-General Kofi Annan", "Arab League Secretary-General Chedli Klibi":
                # the body named in front of the title is who the stranger speaks for.
                self._emit(owner, entity.start - 1, entity.end, "GOV" if owner.kind == "state" else owner.sector,
                           inferred=True)
                continue
            sentence = entity.sent
            low, high = sentence.start_char + self.offset, sentence.end_char + self.offset
            states = {m.country for m in self.mentions if low <= m.start < high and m.kind == "state" and m.country}
            if len(states) != 1:
                continue
            state = self.g.get(states.pop())
            if state is not None:
                self._emit(state, entity.start - 1, entity.end, "GOV", inferred=True)

    def _title_owner(self, title_index: int) -> Actor | None:
        """The organisation or state named right before the title whose last word is at
        `title_index`, within the same compound title ("U.N. Secretary - General")."""
        tokens = self.tokens
        k = title_index
        # Walk back over the rest of the title: capitalised words and the hyphens joining them.
        while k > 0 and (tokens[k - 1].text in ("-", "–") or (tokens[k - 1].is_title and tokens[k - 1].is_alpha
                                                              and not self._covered(tokens[k - 1].idx))):
            k -= 1
            if title_index - k > 4:
                return None
        if k == 0:
            return None
        before = tokens[k - 1]
        end_char = before.idx + len(before.text) + self.offset
        for mention in reversed(self.mentions):
            if mention.end == end_char and mention.kind in ("igo", "org", "group"):
                return self.g.get(mention.code)
        return None

    def _ethnic_groups_of_states(self) -> None:
        """"Bosnian Serbs", "Iraqi Kurds": a country adjective before a people's plural names the
        people of that country, not the other state: keep the first mention, drop the second."""
        tokens_at = {t.idx + self.offset: t for t in self.tokens}
        kept: list[ActorMention] = []
        for mention in sorted(self.mentions, key=lambda m: m.start):
            previous = kept[-1] if kept else None
            head = tokens_at.get(mention.start)
            if (previous is not None and head is not None and mention.kind == "state" and previous.kind == "state"
                    and previous.code != mention.code and not previous.sector and not mention.sector
                    and head.tag_ in ("NNPS", "NNS") and head.i > 0
                    and self.tokens[head.i - 1].idx + len(self.tokens[head.i - 1].text) + self.offset == previous.end
                    and self.tokens[head.i - 1].tag_ == "JJ"
                    and self.text[previous.end - self.offset:mention.start - self.offset].strip() == ""):
                kept[-1] = ActorMention(
                    code=previous.code, name=previous.name, country=previous.country, sector="",
                    text=self.text[previous.start - self.offset:mention.end - self.offset],
                    start=previous.start, end=mention.end, kind=previous.kind, inferred=previous.inferred)
                continue
            kept.append(mention)
        self.mentions = kept

    def _candidates(self, i: int) -> list[tuple[int, str]]:
        """(end token, key) of every form starting at token i, shortest first."""
        tokens, pieces, forms, prefixes = self.tokens, self.pieces, self.r._forms, self.r._prefixes
        n = len(tokens)
        found = []
        key = ""
        j = i
        while j < n and j - i < MAX_FORM_TOKENS:
            if j > i and (tokens[j].is_space or tokens[j].is_sent_start):
                break
            piece = pieces[j]
            key += piece
            if key not in prefixes:
                break
            if piece and key in forms:
                found.append((j + 1, key))
            j += 1
        return found

    def _try_at(self, i: int) -> int:
        for end, key in reversed(self._candidates(i)):
            cased = cased_key("".join(t.text for t in self.tokens[i:end]))
            for entry in self.r._forms[key]:
                if not _case_fits(entry.cased, cased) and entry.kind != "context":
                    continue
                result = self._accept(i, end, entry)
                if result:
                    return result
        return i

    # -------------------------------------------------------------- acceptance by kind

    def _accept(self, i: int, end: int, entry: FormEntry) -> int:
        kind = entry.kind
        if kind in ("surname", "surname_shared"):
            return self._accept_surname(i, end, entry)
        if kind == "context":
            return self._accept_context(i, end, entry)
        if not self._plausible(i, end, entry):
            return 0
        if kind == "person":
            return self._emit_person(i, end, entry.code, inferred=False)
        actor = self.g.get(entry.code)
        if actor is None:
            return 0
        if actor.kind == "state":
            return self._accept_state(i, end, entry, actor)
        sector = self._sector_after(end)
        stop = sector[1] if sector else end
        self._emit(actor, i, stop, sector=sector[0] if sector else actor.sector)
        return stop

    def _plausible(self, i: int, end: int, entry: FormEntry) -> bool:
        first = self.tokens[i]
        if entry.kind == "person":
            return not self._inside_larger_name(i, end, person=True)
        if entry.cautious:
            label = first.ent_type_
            if label == "PERSON":
                return False
            if end < len(self.tokens) and self.tokens[end].lower_ in _NON_STATE_FOLLOWERS:
                return False
            if label not in _PLACE_LABELS and (first.is_sent_start or first.is_title and first.i == 0):
                return False
        if entry.code == "GEO" and entry.kind == "name" and self.us_georgia:
            return False
        if entry.kind == "adjective":
            return True
        return not self._inside_larger_name(i, end, person=False)

    def _inside_larger_name(self, i: int, end: int, person: bool) -> bool:
        """True when NER puts the form inside a longer name: 'George Washington', 'New Jersey',
        'Washington Post', 'Kim Il Sung University'."""
        first, last = self.tokens[i], self.tokens[end - 1]
        if first.ent_iob_ == "I" and first.ent_type_ in _SWALLOWING_LABELS | {"GPE", "LOC"} and i > 0:
            before = self.tokens[i - 1]
            followed = end < len(self.tokens) and self.tokens[end].is_title and self.tokens[end].is_alpha
            placing = before.lower_ in _NOT_NAME_PARTS and not followed  # not "the South China Sea"
            if before.is_alpha and before.is_title and not placing and not self._covered(before.idx):
                if not (person and before.ent_type_ != "PERSON"):
                    return True
        if end < len(self.tokens):
            after = self.tokens[end]
            if (after.ent_iob_ == "I" and last.ent_iob_ in ("B", "I") and after.ent_type_ in _SWALLOWING_LABELS
                    and after.is_title and after.is_alpha and after.ent_type_ != "PERSON"):
                return not person or after.ent_type_ in ("ORG", "FAC")
            if not person and after.ent_iob_ == "I" and after.ent_type_ == "PERSON" and after.is_title:
                return True
        return False

    def _covered(self, char: int) -> bool:
        char += self.offset
        return bool(self.mentions) and self.mentions[-1].start <= char < self.mentions[-1].end

    def _accept_context(self, i: int, end: int, entry: FormEntry) -> int:
        context = self.g.context_forms.get(fold_text("".join(t.text for t in self.tokens[i:end])))
        if context is None or not (context.requires & self.seen_codes):
            return 0
        words = [t for t in self.tokens[i:end] if t.is_alpha and t.lower_ != "the"]
        if not words or not all(t.text[0].isupper() for t in words):
            return 0
        if context.possessive_only and (end >= len(self.tokens) or self.pieces[end] not in _POSSESSIVE):
            return 0
        if end < len(self.tokens) and self.tokens[end].is_title and self.tokens[end].is_alpha:
            return 0  # "the North Korean government", "the North Atlantic": a longer name starts here
        actor = self.g.get(context.code)
        if actor is None:
            return 0
        return self._accept_state(i, end, FormEntry(actor.code, "name", ""), actor, inferred=True)

    def _accept_surname(self, i: int, end: int, entry: FormEntry) -> int:
        tokens = self.tokens
        token = tokens[i]
        surname_key = fold_text(token.text) if end == i + 1 else fold_text("".join(t.text for t in tokens[i:end]))
        common = surname_key in self.g.lexicon.common_surnames
        # A distinctive surname ("Khrushchev") is trusted even when NER calls it a nationality.
        if common and token.ent_type_ in ("GPE", "LOC", "NORP"):
            return 0
        # Part of a longer unknown name ("Kim Yong-chol", "Boris Johnson"): not ours to guess.
        if end < len(tokens) and tokens[end].pos_ in _NAME_PARTS and tokens[end].is_title and tokens[end].is_alpha:
            return 0
        if i > 0 and tokens[i - 1].pos_ in _NAME_PARTS and tokens[i - 1].is_title and tokens[i - 1].is_alpha:
            if fold_text(tokens[i - 1].text) not in self.g.honorific_keys and not self._covered(tokens[i - 1].idx):
                return 0
        earlier = self.last_by_surname.get(surname_key)
        if entry.kind == "surname":
            if common and earlier != entry.code and token.ent_type_ != "PERSON":
                return 0
            return self._emit_person(i, end, entry.code, inferred=False)
        # Shared surname ("Kim", "Bush"): the last such person named in full, else the only one in office.
        if earlier:
            earlier = self._successor_in_office(surname_key, earlier, self._date(i))
            if earlier != entry.code:
                return 0  # another entry of the same key will match
            return self._emit_person(i, end, earlier, inferred=True)
        if token.ent_type_ != "PERSON":
            return 0
        date = self._date(i)
        if date:
            holders = [code for code in self.g.surname_holders.get(surname_key, [])
                       if (actor := self.g.get(code)) and role_at(actor, date)]
            if holders == [entry.code]:
                return self._emit_person(i, end, entry.code, inferred=True)
        return self._titled_surname_state(i, end, surname_key)

    def _successor_in_office(self, surname_key: str, earlier: str, date: str) -> str:
        """"Kim visited Russia" in 2023 after a paragraph on Kim Il Sung: the last Kim named had left
        all his roles before that date, so the one Kim holding a role then is meant."""
        period = date_bounds(date) if date else None
        actor = self.g.get(earlier)
        if period is None or actor is None or not actor.roles or role_at(actor, date):
            return earlier
        if any(role_span(role)[1] >= period[0] for role in actor.roles):
            return earlier  # not yet in office, or between roles: no reason to switch
        in_office = [code for code in self.g.surname_holders.get(surname_key, [])
                     if code != earlier and (holder := self.g.get(code)) and role_at(holder, date)]
        return in_office[0] if len(in_office) == 1 else earlier

    def _titled_surname_state(self, i: int, end: int, surname_key: str) -> int:
        """'President Bush' with no date to tell the two apart: both led one state, so the
        mention is at least that state's government (marked inferred)."""
        if i == 0 or fold_text(self.tokens[i - 1].text) not in self.g.honorific_keys:
            return 0
        countries = {actor.country for code in self.g.surname_holders.get(surname_key, [])
                     if (actor := self.g.get(code))}
        state = self.g.get(countries.pop()) if len(countries) == 1 else None
        if state is None:
            return 0
        self._emit(state, self._honorific_start(i), end, "GOV", inferred=True)
        return end

    # -------------------------------------------------------------- states, titles, sectors

    def _accept_state(self, i: int, end: int, entry: FormEntry, actor: Actor, inferred: bool = False) -> int:
        actor = self._dated_variant(i, end, actor)
        sector = "GOV" if entry.kind in ("capital", "metonym") else ""
        k = end
        possessive = k < len(self.tokens) and self.pieces[k] in _POSSESSIVE
        if possessive:
            k += 1
        title = self._title_at(k)
        if title is not None:
            title_end, role_titles = title
            return self._emit_office(i, title_end, actor, role_titles, inferred)
        found = self._sector_after(k)
        if found:
            self._emit(actor, i, found[1], sector=found[0], inferred=inferred)
            return found[1]
        self._emit(actor, i, end, sector=sector, inferred=inferred)
        return end

    def _dated_variant(self, i: int, end: int, actor: Actor) -> Actor:
        variants = self.g.dated_forms.get(fold_text("".join(t.text for t in self.tokens[i:end])))
        if not variants:
            return actor
        period = date_bounds(self._date(i))
        if period is None:
            return actor
        for variant in variants:
            lo = date_bounds(variant.start)[0] if variant.start else "0001-01-01"
            hi = date_bounds(variant.end)[1] if variant.end else "9999-12-31"
            if lo <= period[0] and period[1] <= hi:
                return self.g.get(variant.code) or actor
        return actor

    def _title_at(self, k: int) -> tuple[int, tuple[str, ...]] | None:
        """A title phrase at token k (after optional modifiers like 'then'): (end token, role titles)."""
        tokens, g = self.tokens, self.g
        n = len(tokens)
        while k < n and tokens[k].lower_ in g.lexicon.title_modifiers:
            k += 1
        key, best = "", None
        j = k
        while j < n and j - k < 5:
            key += self.pieces[j]
            if key not in g.title_prefixes:
                break
            if key in g.title_keys:
                best = (j + 1, g.lexicon.titles[g.title_keys[key]])
            j += 1
        return best

    def _sector_after(self, k: int) -> tuple[str, int] | None:
        """The sector noun heading the phrase that starts at token k ('troops', 'Federal Railways'):
        (sector, end token) of the last sector noun within the noun phrase, or None."""
        tokens, g = self.tokens, self.g
        n = len(tokens)
        best = None
        j = k
        while j < n and j - k < 4:
            token = tokens[j]
            if token.pos_ not in ("NOUN", "PROPN", "ADJ") or not token.is_alpha:
                break
            if j > k and self.pieces[j] in self.r._forms:
                break  # the next actor starts here
            key = ""
            for m in range(j, min(n, j + 2)):
                key += self.pieces[m]
                if key not in g.sector_prefixes:
                    break
                if key in g.sector_keys:
                    best = (g.sector_keys[key], m + 1)
            if token.dep_ not in ("compound", "amod", "nmod") and best is not None:
                break
            j += 1
        return best

    def _emit_office(self, i: int, title_end: int, state: Actor, role_titles: tuple[str, ...], inferred: bool) -> int:
        tokens = self.tokens
        # "Russian President Vladimir Putin": the name decides.
        if title_end < len(tokens):
            for end, key in reversed(self._candidates(title_end)):
                cased = cased_key("".join(t.text for t in tokens[title_end:end]))
                for entry in self.r._forms[key]:
                    if entry.kind == "person" and _case_fits(entry.cased, cased):
                        return self._emit_person(i, end, entry.code, inferred=False)
            # An unknown name after the title: the state's government, never a guess at the holder.
            stop = title_end
            while stop < len(tokens) and tokens[stop].pos_ == "PROPN" and tokens[stop].is_title:
                stop += 1
            if stop > title_end:
                self._emit(state, i, stop, sector="GOV", inferred=inferred)
                return stop
        holder = self.g.office_holder(state.code, role_titles, self._date(i))
        if holder:
            return self._emit_person(i, title_end, holder, inferred=inferred, honorific=False)
        self._emit(state, i, title_end, sector="GOV", inferred=inferred)
        return title_end

    # -------------------------------------------------------------- output

    def _date(self, i: int) -> str:
        if self.date_of is None:
            return ""
        char = self.tokens[i].idx + self.offset
        if char not in self._date_cache:
            self._date_cache[char] = self.date_of(char) or ""
        return self._date_cache[char]

    def _emit_person(self, i: int, end: int, code: str, inferred: bool, honorific: bool = True) -> int:
        actor = self.g.get(code)
        if actor is None:
            return 0
        start = self._honorific_start(i) if honorific else i
        role = role_at(actor, self._date(i))
        country = role.country if role else actor.country
        sector = role.sector if role else actor.sector
        self._emit(actor, start, end, sector=sector, country=country, inferred=inferred)
        surname = self.g.person_surname.get(code)
        if surname:
            self.last_by_surname[surname] = code
        return end

    def _honorific_start(self, i: int) -> int:
        """Fold a capitalised honorific just before a name into the mention ('President Putin')."""
        tokens = self.tokens
        for width in (3, 2, 1):
            start = i - width
            if start < 0 or self._covered(tokens[start].idx):
                continue
            words = tokens[start:i]
            if not words[0].is_title:
                continue
            if fold_text("".join(t.text for t in words)) in self.g.honorific_keys:
                return start
        return i

    def _emit(self, actor: Actor, i: int, end: int, sector: str, country: str | None = None, inferred: bool = False) -> None:
        start_char = self.tokens[i].idx
        last = self.tokens[end - 1]
        end_char = last.idx + len(last.text)
        text = self.text[start_char:end_char]
        if country is None:
            country = actor.country if actor.kind != "igo" else ""
        self.mentions.append(ActorMention(
            code=actor.code, name=actor.name, country=country, sector=sector, text=text,
            start=start_char + self.offset, end=end_char + self.offset, kind=actor.kind, inferred=inferred,
        ))
        self.seen_codes.add(actor.code)


# Titles of heads of state and government that the honorifics list leaves out.
_LEADER_TITLES = frozenset({"vice-president", "king", "queen", "emir", "sheikh", "sultan", "chancellor", "gen.", "lt."})


def _case_fits(pattern: str, text: str) -> bool:
    """Every letter the data capitalises is capitalised in the text ('China' needs the C)."""
    if len(pattern) != len(text):
        return pattern.lower() == text.lower() and text != text.lower()
    for want, have in zip(pattern, text):
        if want.isupper() and not have.isupper():
            return False
    return True
