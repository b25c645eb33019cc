"""Who did what to whom: events from verb and noun patterns over the dependency parse.

For every sentence, each verb is looked up in the lexicon (lemma, with its particle,
preposition or object noun when an entry needs them); its subject gives the source and its
object, dative or the object of a target preposition gives the target. Control verbs change
the reading of their complement ("refused to X" is a rejection, "pledged to X" an intent,
"threatened to X" a threat, "urged Y to X" a request). Event nouns ("Putin's visit to
Pyongyang", "the summit between A and B", "the Russia–North Korea summit") give nominal
events. Actors come from the ActorMentions the actors stage found; a token belongs to an
argument when it lies in the head region of that argument (its modifiers, not its clauses).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Protocol

from detente.actors.agents import OBJECT_KIND, object_mention
from detente.events.lexicon import CameoCode, Lexicon, Pattern, default_lexicon
from detente.events.typer import TypeModel, default_model, main_predicate, sentence_features
from detente.model import ActorMention, Event, Mention, Modality, TimeValue
from detente.nlp import FUTURE_AUXILIARIES, POSSIBILITY_AUXILIARIES

Token = Any  # spacy.tokens.Token; kept loose so the module imports without spaCy types
Span = Any  # spacy.tokens.Span


class Dater(Protocol):
    def date_for(self, sent_start: int, sent_end: int, trigger_start: int, present_tense: bool = False,
                 continues_narrative: bool = True) -> TimeValue: ...


# Dependency labels that stay inside the noun phrase of an argument (not its clauses).
_REGION_DEPS = {"compound", "amod", "poss", "nmod", "appos", "det", "case", "nummod", "quantmod",
                "flat", "nn", "npadvmod", "punct", "pobj", "predet", "advmod"}
# Prepositions whose object is the target of the event ("met with", "sanctions on", "sent to").
_TARGET_PREPS = {"with", "to", "on", "against", "into", "toward", "towards", "upon", "at", "for", "over",
                 "between", "among", "from", "in", "onto"}
# Of these, the ones that are weak (often a place or a time, not a counterpart).
_WEAK_PREPS = {"in", "at", "from", "over", "for"}
_SAY_VERBS = {"say", "tell", "report", "announce", "claim", "state", "declare", "add", "note", "write", "charge",
              "insist", "confirm", "reveal", "indicate", "suggest", "assert", "explain", "argue", "believe"}
_HYPOTHETICAL_AUX = POSSIBILITY_AUXILIARIES | {"would"}
_FUTURE_AUX = FUTURE_AUXILIARIES
_CONDITIONAL_MARKS = {"if", "unless", "whether"}
_OBLIGATION_AUX = {"must", "should"}
_READY_ADJECTIVES = {"willing", "prepared", "ready", "committed", "determined", "eager", "keen", "poised"}
_INTENT_VERBS = {"agree", "pledge", "promise", "vow", "offer", "plan", "intend", "commit", "undertake",
                 "propose", "prepare", "aim", "expect", "hope", "want", "wish", "resolve", "swear"}
_REFUSAL_VERBS = {"refuse", "decline", "reject", "fail"}
_THREAT_VERBS = {"threaten", "warn"}
_REQUEST_VERBS = {"urge", "ask", "call", "appeal", "demand", "press", "request", "implore", "plead",
                  "encourage", "invite", "order", "tell", "push"}
# Verbs that hand their event to their complement ("began to withdraw", "decided to allow").
_TRANSPARENT_VERBS = {"try", "attempt", "seek", "begin", "start", "continue", "decide", "resume", "move",
                      "go", "come", "need", "have", "manage", "choose", "be", "get", "help", "work", "act",
                      "proceed", "opt", "elect", "dare", "tend", "use", "keep"} | _INTENT_VERBS
# Verbs that carry no meaning of their own beside an event noun ("paid a visit", "held talks").
_LIGHT_VERBS = {"hold", "have", "make", "pay", "launch", "mount", "stage", "conduct", "begin", "start",
                "continue", "carry", "undertake", "lodge", "issue", "impose", "open", "take", "give",
                "extend", "organize", "organise", "host", "attend", "join", "announce", "order", "resume",
                "complete", "initiate", "wage", "unleash", "file", "deliver", "send", "provide", "reach",
                "conclude", "sign", "enter", "declare", "threaten"}
# Nouns for groups that act on behalf of a place ("forces in Guinea", "officials in Seoul").
_AGENT_NOUNS = {"force", "troop", "soldier", "official", "authority", "rebel", "government", "army", "police",
                "militant", "guerrilla", "diplomat", "leader", "protester", "demonstrator", "worker", "embassy",
                "militia", "insurgent", "separatist", "opposition", "group", "unit", "navy", "envoy",
                "student", "refugee", "prisoner", "farmer", "activist", "fighter"}
_READY_PARTICIPLES = {"commit", "prepare", "determine", "resolve"}
_BASED = {"base", "headquarter", "headquartered"}
_ALLEGIANCE = {"loyal", "allied", "affiliated", "linked", "backed", "aligned"}
# Verbs that restate or carry on their object's event ("reiterated its demand", "stepped up its attacks").
_RENEWING_VERBS = {"reiterate", "repeat", "renew", "restate", "voice", "express", "step", "intensify", "escalate",
                   "press", "pursue", "announce", "confirm", "defend", "justify"}
_ARRIVAL_VERBS = {"return", "arrive", "come", "go", "travel", "fly", "head", "meet", "gather", "sit", "convene"}
_PRONOUNS = {"it", "they", "he", "she", "we", "its", "their", "his", "her"}
# Words that never stand for what an act is aimed at on their own.
_NOT_OBJECTS = _PRONOUNS | {"them", "him", "us", "me", "you", "this", "that", "these", "those", "itself",
                            "themselves", "which", "who", "whom", "what", "one", "ones", "all", "some"}
# Entity types that are when, how much or how many, never whom.
_TIME_ENTITIES = {"DATE", "TIME", "PERCENT", "ORDINAL", "CARDINAL"}
_DASHES = {"-", "–", "—", "/"}

# How a complement's code reads under a control verb, by its CAMEO root (first two digits);
# exact three/four-digit codes first. "pledged to send aid" -> 033 (intent to give aid).
_INTENT_BY_ROOT = {"03": None, "04": "036", "05": "032", "06": "031", "07": "033", "08": "035"}
_INTENT_EXACT = {"042": "036", "043": "036", "045": "039", "046": "036", "057": "032", "061": "0311",
                 "062": "0312", "063": "0313", "064": "0314", "071": "0331", "072": "0332", "073": "0333",
                 "074": "0334", "084": "0353", "0841": "0353", "0842": "0353", "085": "0354", "087": "0356",
                 "0871": "0356", "0872": "0356", "0873": "0356", "0874": "0356", "086": "0355",
                 "0862": "0355", "0863": "0355", "081": "0351"}
_REJECT_BY_ROOT = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124", "02": "120",
                   "10": "120"}
_REJECT_EXACT = {"045": "126", "061": "1211", "062": "1212", "063": "1213", "064": "1214", "071": "1221",
                 "072": "1222", "073": "1223", "074": "1224", "084": "1243", "0841": "1243", "0842": "1243",
                 "085": "1244", "086": "1245", "0862": "1245", "0863": "1245", "087": "1246", "0874": "1246",
                 "057": "127", "037": "127"}
_THREAT_BY_ROOT = {"14": "133", "15": "138", "16": "131", "17": "130", "18": "138", "19": "138", "20": "1385"}
_THREAT_EXACT = {"161": "1313", "162": "1311", "1621": "1311", "1622": "1311", "163": "1312", "164": "134",
                 "165": "135", "166": "136", "1662": "136", "172": "132", "1723": "1323", "1724": "1324",
                 "191": "1381", "192": "1382", "143": "1312"}
_APPEAL_BY_ROOT = {"04": "026", "06": "021", "07": "023", "08": "025", "05": "022", "03": "020"}
_APPEAL_EXACT = {"061": "0211", "062": "0212", "071": "0231", "072": "0232", "073": "0233", "074": "0234",
                 "084": "0253", "0841": "0253", "085": "0254", "087": "0256", "0874": "0256", "045": "028",
                 "057": "027", "037": "027"}
_DEMAND_BY_ROOT = {"04": "106", "06": "101", "07": "103", "08": "105", "05": "102", "03": "100"}
_DEMAND_EXACT = {"061": "1011", "062": "1012", "071": "1031", "072": "1032", "073": "1033", "074": "1034",
                 "084": "1053", "0841": "1053", "085": "1054", "087": "1056", "0874": "1056", "045": "108",
                 "057": "107", "037": "107"}


def _recode(code: str, exact: dict[str, str], by_root: dict[str, str | None], default: str | None) -> str | None:
    if code in exact:
        return exact[code]
    if code[:2] in by_root:
        return by_root[code[:2]] or code
    return default


@dataclass
class _Reading:
    """A trigger read in context: its pattern and code, and where its arguments come from."""

    trigger: Token
    head: Token  # the clause the event's arguments hang from (the complement for control verbs)
    pattern: Pattern
    code: str
    modality: Modality | None = None
    target_from: list[Token] = field(default_factory=list)  # extra heads to take targets from first
    complement: Token | None = None  # a complement read as part of this event, not on its own
    cancels_negation: bool = False  # "will not accept" was read as a rejection: the "not" is used up


class _DocIndex:
    """Actor mentions mapped to tokens once per document."""

    def __init__(self, doc: Any, actors: Sequence[ActorMention], doc_offset: int):
        self.doc_offset = doc_offset
        self.mention_at: dict[int, ActorMention] = {}
        self.head_of: dict[int, int] = {}
        length = len(doc.text)
        for mention in sorted(actors, key=lambda m: m.end - m.start):
            if not 0 <= mention.start - doc_offset < mention.end - doc_offset <= length:
                continue  # a mention of another piece of the same document
            span = doc.char_span(mention.start - doc_offset, mention.end - doc_offset, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            for token in span:
                # Longer mentions were placed later: they win, so "Russian President Putin" beats "Russian".
                self.mention_at[token.i] = mention
            self.head_of[id(mention)] = span.root.i

    def region_groups(self, head: Token) -> list[list[tuple[ActorMention, int]]]:
        """The actors in an argument, one group per conjunct: [(mention, distance from head)]."""
        groups: list[list[tuple[ActorMention, int]]] = []
        pending = [head]
        while pending:
            start = pending.pop(0)
            group: list[tuple[ActorMention, int]] = []
            stack = [(start, 0)]
            seen_mentions: set[int] = set()
            while stack:
                token, depth = stack.pop()
                mention = self.mention_at.get(token.i)
                if mention is not None and id(mention) not in seen_mentions:
                    seen_mentions.add(id(mention))
                    group.append((mention, depth))
                for child in token.children:
                    if child.dep_ == "conj":
                        pending.append(child)
                    elif child.dep_ == "prep":
                        if child.lower_ == "of" and depth < 3:
                            stack.append((child, depth + 1))
                        elif child.lower_ in ("in", "throughout", "across") and depth <= 2 \
                                and _lemma(token) in _AGENT_NOUNS:
                            # "security forces in Guinea": the place names the actor, but any
                            # nearer modifier ("Russian forces in Syria") wins.
                            stack.append((child, depth + 3))
                    elif child.dep_ in _REGION_DEPS:
                        stack.append((child, depth + 1))
                    if child.dep_ == "acl" and _lemma(child) in _BASED and token is start:
                        # "a newspaper based in Beirut", "a group headquartered in Trinidad": the
                        # home of an otherwise unnamed body names it, unless a modifier already does.
                        for prep in _children(child, "prep"):
                            if prep.lower_ in ("in", "at"):
                                stack.append((prep, depth + 3))
                    if child.lower_ in _ALLEGIANCE and token is start:
                        # "militants loyal to Zarqawi", "forces allied with Moscow": the patron names them.
                        for prep in _children(child, "prep"):
                            stack.append((prep, depth + 2))
            if group:
                groups.append(group)
        return groups

    def actors_of(self, head: Token) -> list[ActorMention]:
        """One actor per conjunct, distinct by code: the mention nearest the conjunct's head.

        Conjuncts with fewer candidates choose first, so in "Hungarian and Romanian officials"
        (where the head noun belongs to "Romanian officials") the first conjunct falls back
        to "Hungarian" instead of repeating Romania."""
        if head.dep_ in ("nsubj", "nsubjpass") and head.pos_ == "VERB":
            # A mis-parse that makes a participle the subject ("The Red Cross operating in Iraq said").
            head = next(iter(_children(head, "nsubj")), head)
        groups = [sorted(group, key=lambda pair: (pair[1], pair[0].start)) for group in self.region_groups(head)]
        chosen: dict[int, ActorMention] = {}
        taken: set[str] = set()
        for position in sorted(range(len(groups)), key=lambda g: len({m.code for m, _ in groups[g]})):
            for mention, _distance in groups[position]:
                if mention.code not in taken:
                    chosen[position] = mention
                    taken.add(mention.code)
                    break
        return [chosen[p] for p in sorted(chosen)]


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.tag_.startswith("VB")


def _children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


# Lemmas the small spaCy model gets wrong on news verbs ("staged" -> "stag").
_LEMMA_FIXES = {"stag": "stage"}


def _lemma(token: Token) -> str:
    lemma = token.lemma_.lower()
    return _LEMMA_FIXES.get(lemma, lemma) if token.pos_ in ("VERB", "AUX") else lemma


_QUANTITY_NOUNS = {"part", "most", "some", "all", "much", "portion", "half", "share", "bulk", "rest", "number",
                   "lot", "any", "none", "one", "ton", "tonne", "million", "billion", "barrel", "amount", "package",
                   "shipment", "day", "week", "month", "series", "round", "wave", "batch", "kind", "type", "set"}


def _objects(token: Token) -> list[Token]:
    """Object nouns of a verb, looking through quantities ("part of the aid" -> aid)."""
    found = []
    for child in token.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
            found.append(child)
            if _lemma(child) in _QUANTITY_NOUNS:
                found.extend(p for prep in _children(child, "prep") if prep.lower_ == "of"
                             for p in _children(prep, "pobj"))
    return found


def _object_words(token: Token) -> list[tuple[str, bool]]:
    """Object words with whether each is a modifier of the object rather than its head."""
    words = []
    objects = _objects(token)
    objects += [c for o in objects for c in o.children if c.dep_ == "conj"]  # "photographs and intelligence"
    for child in objects:
        # Modifiers first: "withdraw peacekeeping (force)" is more telling than "withdraw force".
        words.extend((_lemma(modifier), True) for modifier in _children(child, "compound", "amod"))
        words.append((_lemma(child), False))
        if child.lower_ != _lemma(child):
            words.append((child.lower_, False))
    return words


def _match_verb(token: Token, lexicon: Lexicon) -> Pattern | None:
    lemma = _lemma(token)
    particles = [_lemma(c) for c in token.children if c.dep_ == "prt"]
    objects = _object_words(token)
    # Only prepositions after the verb: "In 1950, X gave ..." must not read as "give in".
    preps = [_lemma(c) for c in token.children if c.dep_ in ("prep", "agent") and c.i > token.i]
    # Keys, most specific first, each with whether it is built from a modifier of the object.
    # "withdrew from the treaty": verb + preposition + its object, the most specific key.
    keys = [(f"{lemma} {_lemma(c)} {_lemma(o)}", False) for c in token.children
            if c.dep_ == "prep" and c.i > token.i for o in _children(c, "pobj")]
    keys += [(f"{lemma} {p} {o}", modifier) for p in particles for o, modifier in objects]
    keys += [(f"{lemma} {o}", modifier) for o, modifier in objects] + [(f"{lemma} {p}", False) for p in particles]
    keys += [(f"{lemma} {p}", False) for p in preps] + [(lemma, False)]
    transitive = any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in token.children) or (
        token.dep_ == "acl" and token.tag_ == "VBN")  # "crimes committed by": the noun is its object
    # Our hand keys first, all of them: "forced the refugees out" is "force out" (ours) before any
    # generated "force refugee". The generated layer is asked only by the object's head, since its
    # keys name heads ("halted its missile tests" is no "halt missile").
    for pattern in [*(lexicon.hand_verb(key) for key, _ in keys),
                    *(lexicon.verbs.get(key) for key, modifier in keys if not modifier)]:
        if pattern is not None and not (pattern.intransitive_only and transitive):
            return pattern
    if lemma in _LIGHT_VERBS:
        for child in _children(token, "dobj"):
            pattern = _match_noun(child, lexicon)
            if pattern is not None:
                return pattern
    return None


def _match_noun(token: Token, lexicon: Lexicon) -> Pattern | None:
    lemma = _lemma(token)
    for prep in _children(token, "prep"):
        for pobj in _children(prep, "pobj"):
            pattern = lexicon.nouns.get(f"{lemma} {_lemma(prep)} {_lemma(pobj)}")
            if pattern is not None:  # "withdrawal from the agreement" is no retreat
                return pattern
    for modifier in _children(token, "compound", "amod"):
        pattern = lexicon.nouns.get(f"{_lemma(modifier)} {lemma}")
        if pattern is not None:
            return pattern
    return lexicon.nouns.get(lemma) or lexicon.nouns.get(token.lower_)


# Acts of state authority: in the passive with no agent, the state where they happen is the actor.
_STATE_ONLY_ACTS = frozenset({"arrest", "detain", "jail", "imprison", "sentence", "deport", "expel", "indict",
                              "convict", "prosecute", "execute"})


class _SentenceCoder:
    def __init__(self, index: _DocIndex, lexicon: Lexicon):
        self.index = index
        self.lexicon = lexicon

    # --- arguments -------------------------------------------------------------------------
    def subject_of(self, verb: Token, hops: int = 0) -> tuple[list[ActorMention], bool]:
        """Source actors of a clause and whether they were found directly on it."""
        if hops > 4:
            return [], False
        for child in verb.children:
            if child.dep_ == "agent":
                for pobj in _children(child, "pobj"):
                    actors = self.index.actors_of(pobj)
                    if actors:  # not "shortened by one hour": a measure parsed as the agent
                        return actors, hops == 0
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj"):
                actors = self.index.actors_of(child)
                pronominal = child.lower_ in _PRONOUNS or any(
                    c.dep_ == "poss" and c.lower_ in _PRONOUNS for c in child.children)  # "their forces"
                if not actors and pronominal and verb.dep_ in ("ccomp", "conj") and verb.head is not verb:
                    inherited, _ = self.subject_of(verb.head, hops + 1)
                    return inherited, False
                return actors, hops == 0
        if _lemma(verb) in _STATE_ONLY_ACTS and _children(verb, "nsubjpass") and not _children(verb, "agent"):
            # "A missionary was arrested in Lebanon": only a state arrests, tries or deports, so with
            # no agent named the state where it happened did it (as PLOVER coders read it).
            for prep in _children(verb, "prep"):
                if prep.lower_ in ("in", "inside") or (prep.lower_ == "from" and _lemma(verb) in ("expel", "deport")):
                    for pobj in _children(prep, "pobj"):
                        states = [a for a in self.index.actors_of(pobj) if a.kind == "state"]
                        if states:
                            return states, False
        if _lemma(verb) in _READY_PARTICIPLES and not _children(verb, "agent"):
            # "Vietnam is committed to opening up": an adjectival participle, its subject acts.
            for child in _children(verb, "nsubjpass"):
                return self.index.actors_of(child), hops == 0
        if verb.dep_ == "xcomp" and verb.head is not verb:
            controller = _children(verb.head, "dobj")
            if controller and verb.head.lemma_.lower() in _REQUEST_VERBS:
                return self.index.actors_of(controller[0]), False
            return self.subject_of(verb.head, hops + 1)[0], False
        participle_or_infinitive = verb.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        if verb.head is not verb and _is_verb(verb.head) and (
                verb.dep_ == "conj" or (verb.dep_ in ("advcl", "pcomp") and participle_or_infinitive)):
            return self.subject_of(verb.head, hops + 1)[0], False
        if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep" and _is_verb(verb.head.head):
            # "By meeting Putin, Kim hopes to ...": the gerund's subject is the clause's.
            return self.subject_of(verb.head.head, hops + 1)[0], False
        if verb.dep_ == "relcl" and verb.head is not verb:
            return self.index.actors_of(verb.head), False
        if verb.dep_ == "acl" and _lemma(verb.head) in _READY_NOUNS:
            # "Russia's willingness to host", "indicated its willingness to provide": the holder.
            noun = verb.head
            for possessor in _children(noun, "poss"):
                actors = self.index.actors_of(possessor)
                if actors:
                    return actors, False
            if _is_verb(noun.head) and noun.dep_ in ("dobj", "nsubjpass"):
                return self.subject_of(noun.head, hops + 1)[0], False
            return [], False
        if verb.dep_ == "acl" and verb.head is not verb:
            # "issued a declaration demanding that ...": whoever issued the statement demands.
            if verb.tag_ == "VBG" and verb.head.dep_ == "dobj" and _is_verb(verb.head.head):
                return self.subject_of(verb.head.head, hops + 1)[0], False
            return [], False
        if verb.dep_ == "ROOT" and not _children(verb, "nsubjpass", "expl"):
            return self._orphan_subject(verb), False
        return [], False

    def _orphan_subject(self, verb: Token) -> list[ActorMention]:
        """A finite main verb the parser left without a subject ("With the signing of a memorandum,
        the Sudanese government and SPLM/A have agreed ...": the subject hung on the memorandum).
        The actors of the comma-free phrase right before the verb and its auxiliaries act."""
        auxiliaries = [c.i for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
        if not auxiliaries or verb.tag_ not in ("VBN", "VBD", "VBZ", "VBP", "VB"):
            return []
        doc = verb.doc
        last = min(auxiliaries) - 1
        if last < verb.sent.start or doc[last].pos_ not in ("NOUN", "PROPN"):
            return []
        first = last
        while first - 1 >= verb.sent.start and not (doc[first - 1].is_punct and doc[first - 1].text not in ("/", "-")) \
                and doc[first - 1].pos_ not in ("VERB", "ADP", "SCONJ"):
            first -= 1
        found: list[ActorMention] = []
        for i in range(first, last + 1):
            mention = self.index.mention_at.get(i)
            if mention is not None and all(m.code != mention.code for m in found):
                found.append(mention)
        return found

    def targets_of(self, heads: Iterable[Token], source: list[ActorMention]) -> tuple[list[ActorMention], bool]:
        """Target actors from the first argument slot that names someone other than the source."""
        for head in heads:
            for slot, direct in self._target_slots(head):
                actors = [a for a in self.index.actors_of(slot) if not any(_same_actor(a, s) for s in source)]
                if actors:
                    return actors, direct
        return [], False

    def object_target(self, heads: Iterable[Token], source: list[ActorMention]) -> list[ActorMention]:
        """No actor in any argument slot: the first slot that is a name the gazetteer does not know,
        kept by its words ("filed a lawsuit against Reliance Jio", "an investigation into Boztepe").
        Common nouns are things, not parties ("condemned the attack"): no target."""
        source_tokens = {i for s in source for i in range(s.start, s.end)}
        for head in heads:
            for slot, _direct in self._target_slots(head):
                if slot.pos_ != "PROPN" or slot.lower_ in _NOT_OBJECTS \
                        or slot.ent_type_ in _TIME_ENTITIES or _lemma(slot) in self.lexicon.nouns:
                    continue
                if slot.idx + self.index.doc_offset in source_tokens:
                    continue
                found = object_mention(slot, self.index.doc_offset)
                if found is not None:
                    return [found]
        return []

    def aims_at_itself(self, heads: Iterable[Token], source: list[ActorMention]) -> bool:
        """Whether the verb's objects name only the source again ("Moscow praised Russia"); a place
        of the source's own ("imposed a curfew in southeastern Turkey") does not count."""
        # The source's own mention is no object ("Vietnam is committed to": a passive subject).
        own = {(s.start, s.end) for s in source}
        slot_actors = [a for head in heads for slot, direct in self._target_slots(head) if direct
                       for a in self.index.actors_of(slot) if (a.start, a.end) not in own]
        # Only a plain restatement of the source counts: a government acting at home ("Kostunica
        # promised to democratize Serbia") or farmers blockading their capital is a domestic act.
        return bool(slot_actors) and all(any(a.code == s.code and a.sector == s.sector for s in source)
                                         for a in slot_actors)

    def _target_slots(self, verb: Token) -> Iterable[tuple[Token, bool]]:
        objects = [o for o in _objects(verb) if o.dep_ != "attr"] + _children(verb, "dative", "iobj")
        yield from ((o, True) for o in objects)
        strong, weak = [], []
        # "kidnapped up to 16 advisers": a preposition can hang off the particle.
        verb_preps = _children(verb, "prep", "dative") + [p for prt in _children(verb, "prt") for p in _children(prt, "prep")]
        for prep in verb_preps:
            lemma = _lemma(prep)
            if lemma in _TARGET_PREPS:
                (weak if lemma in _WEAK_PREPS else strong).append(prep)
        # Prepositions hanging off the object, two levels down at most
        # ("suspended a military aid programme for Bosnia", "rejected calls by Minsk").
        frontier = list(objects)
        for _level in range(2):
            next_frontier = []
            for obj in frontier:
                for prep in _children(obj, "prep"):
                    lemma = _lemma(prep)
                    if lemma in _TARGET_PREPS or lemma == "by":
                        (weak if lemma in _WEAK_PREPS else strong).append(prep)
                        next_frontier.extend(_children(prep, "pobj"))
                    elif lemma == "of":  # walked through, not a target: "a suspension of links with X"
                        next_frontier.extend(_children(prep, "pobj"))
            frontier = next_frontier
        for prep in strong + weak:
            for pobj in _children(prep, "pobj"):
                yield pobj, False
        for prep in weak:
            for pobj in _children(prep, "pobj"):
                for inner in _children(pobj, "prep"):
                    if _lemma(inner) in ("in", "of", "against"):
                        yield from ((p, False) for p in _children(inner, "pobj"))
        for prep in strong:
            # "committed to any new aid for North Korea": the counterpart of the thing committed to.
            for pobj in _children(prep, "pobj"):
                for inner in _children(pobj, "prep"):
                    if _lemma(inner) in ("for", "to", "against", "with"):
                        yield from ((p, False) for p in _children(inner, "pobj"))
        # "urged Moscow to ...", "demanded that Pyongyang withdraw": the complement's subject.
        for clause in _children(verb, "ccomp"):
            for subject in _children(clause, "nsubj"):
                yield subject, False
        # "threatened to walk out unless Washington ...": the party the condition is put to.
        for clause in _children(verb, "advcl"):
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in clause.children):
                for subject in _children(clause, "nsubj"):
                    yield subject, False

    # --- readings --------------------------------------------------------------------------
    def read_verb(self, verb: Token) -> _Reading | None:
        reading = self._read_control(verb)
        if reading is not None and verb.dep_ == "acl" and _lemma(verb.head) in _READY_NOUNS \
                and reading.head is verb:
            code = _recode(reading.code, _INTENT_EXACT, _INTENT_BY_ROOT, None) \
                or _recode(reading.code, _THREAT_EXACT, _THREAT_BY_ROOT, "130")
            return _Reading(verb, verb, Pattern(reading.pattern.key, code, reading.pattern.symmetric,
                                                reading.pattern.needs_target), code, modality="intended")
        if reading is None or reading.complement is not None or reading.head is not reading.trigger:
            return reading
        return self._read_future(reading)

    def _read_future(self, reading: _Reading) -> _Reading:
        """A stated future act is an intent or a threat in PLOVER: "will send aid" is AGREE,
        "would boycott" THREATEN, and "will not accept" a rejection."""
        verb = reading.trigger
        aux = {c.lower_ for c in verb.children if c.dep_ == "aux"}
        if not aux & (_FUTURE_AUX | {"would"}):
            return reading
        code = reading.code
        negated = _negated([verb])
        if negated and code[:2] in _REJECT_BY_ROOT:
            new_code = _recode(code, _REJECT_EXACT, _REJECT_BY_ROOT, "120")
            return _Reading(verb, verb, reading.pattern, new_code, modality="intended", cancels_negation=True)
        if negated:
            return reading
        new_code = _recode(code, _INTENT_EXACT, _INTENT_BY_ROOT, None)
        if new_code is None and (code[:2] in _THREAT_BY_ROOT or code in _THREAT_EXACT):
            new_code = _recode(code, _THREAT_EXACT, _THREAT_BY_ROOT, "130")
        if new_code is None:
            return reading
        modality = "intended" if aux & _FUTURE_AUX else None
        return _Reading(verb, verb, reading.pattern, new_code, modality=modality)

    def _read_control(self, verb: Token) -> _Reading | None:
        pattern = _match_verb(verb, self.lexicon)
        lemma = _lemma(verb)
        if pattern is None and lemma in _ARRIVAL_VERBS | {"deploy"} and any(
                "peacekeep" in t.lower_ for s in _children(verb, "nsubj", "nsubjpass") for t in s.subtree):
            # "NATO peacekeeping troops have arrived in Bosnia": peacekeeping provided (CAMEO 074).
            return _Reading(verb, verb, Pattern(lemma + " peacekeeper", "074"), "074")
        complements = [c for c in verb.children if c.dep_ == "xcomp" and _is_verb(c)]
        if lemma in _INTENT_VERBS | _REFUSAL_VERBS | _THREAT_VERBS:
            # "have sworn to fight": the small model often attaches the infinitive as an adverbial clause.
            complements += [c for c in verb.children if c.dep_ == "advcl" and _is_verb(c)
                            and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
        if lemma in _READY_PARTICIPLES:  # "committed to opening": the complement sits in a "to" phrase
            complements += [g for prep in _children(verb, "prep") if prep.lower_ == "to"
                            for g in _children(prep, "pcomp") if _is_verb(g)]
        if lemma == "be" or lemma in _READY_ADJECTIVES:
            # "is willing to withdraw", "is prepared to lift the ban": an intent.
            for adjective in verb.children if lemma == "be" else [verb]:
                if adjective.dep_ in ("acomp", "ROOT", "xcomp", "ccomp") and _lemma(adjective) in _READY_ADJECTIVES:
                    complements = [c for c in adjective.children if c.dep_ in ("xcomp", "prep", "pcomp")]
                    for complement in complements:
                        inner_verb = complement if _is_verb(complement) else next(
                            (c for c in complement.children if _is_verb(c)), None)
                        inner = _match_verb(inner_verb, self.lexicon) if inner_verb is not None else None
                        if inner is None and inner_verb is not None and _lemma(adjective) == "committed":
                            # "is committed to opening up the economy": a pledge, its act uncoded.
                            inner = Pattern("committed", "030", needs_target=False)
                        if inner is None:
                            continue
                        code = _recode(inner.code, _INTENT_EXACT, _INTENT_BY_ROOT, None) \
                            or _recode(inner.code, _THREAT_EXACT, _THREAT_BY_ROOT, "130")
                        intent = Pattern(inner.key, code, inner.symmetric, inner.needs_target)
                        return _Reading(verb, inner_verb, intent, code, modality="intended",
                                        target_from=[inner_verb, verb])
            return None
        if lemma in _SAY_VERBS or lemma == "conclude":
            # "X said Y must do Z": X demands it of Y.
            for clause in _children(verb, "ccomp"):
                if any(c.dep_ == "aux" and c.lower_ in _OBLIGATION_AUX for c in clause.children) \
                        and _children(clause, "nsubj"):
                    inner = _match_verb(clause, self.lexicon)
                    code = _recode(inner.code, _DEMAND_EXACT, _DEMAND_BY_ROOT, "100") if inner else "100"
                    return _Reading(verb, verb, Pattern(inner.key if inner else "must", code), code,
                                    complement=clause)
        if lemma == "order" and pattern is not None:
            for complement in complements:
                if _lemma(complement) in _ORDERED_STOPS:
                    # "ordered the newspaper to suspend publication": an order to stop is coercion.
                    code = "174" if _lemma(complement) in ("leave", "vacate") else "172"
                    return _Reading(verb, verb, Pattern("order " + _lemma(complement), code), code,
                                    complement=complement)
        for complement in complements:
            inner = _match_verb(complement, self.lexicon)
            # "prepared to resume shelling": look through verbs that only carry the act.
            hops = 0
            while inner is None and _lemma(complement) in _TRANSPARENT_VERBS and hops < 3:
                deeper = [c for c in complement.children if c.dep_ == "xcomp" and _is_verb(c)]
                if not deeper:
                    break
                complement, hops = deeper[0], hops + 1
                inner = _match_verb(complement, self.lexicon)
            if inner is None:
                continue
            if lemma == "prepare" and inner.code[:2] in ("18", "19", "20"):
                # Readying an attack is a show of force (CAMEO 150, PLOVER MOBILIZE).
                return _Reading(verb, complement, Pattern(inner.key, "150", needs_target=False), "150",
                                target_from=[complement, verb])
            if lemma in _REFUSAL_VERBS:
                code = _recode(inner.code, _REJECT_EXACT, _REJECT_BY_ROOT, "120")
                return _Reading(verb, complement, Pattern(inner.key, code, inner.symmetric),
                                code, target_from=[complement, verb])
            if lemma in _THREAT_VERBS:
                code = _recode(inner.code, _THREAT_EXACT, _THREAT_BY_ROOT, "130")
                return _Reading(verb, complement, Pattern(inner.key, code), code,
                                target_from=[complement, verb])
            if lemma in _REQUEST_VERBS and pattern is not None:
                table = (_DEMAND_EXACT, _DEMAND_BY_ROOT) if pattern.code.startswith("10") else (_APPEAL_EXACT, _APPEAL_BY_ROOT)
                code = _recode(inner.code, *table, pattern.code)
                return _Reading(verb, verb, Pattern(inner.key, code), code, complement=complement)
            if lemma in _INTENT_VERBS:
                code = _recode(inner.code, _INTENT_EXACT, _INTENT_BY_ROOT, None) \
                    or _recode(inner.code, _THREAT_EXACT, _THREAT_BY_ROOT, "130")
                symmetric = inner.symmetric or lemma == "agree"
                intent = Pattern(inner.key, code, symmetric, inner.needs_target)
                return _Reading(verb, complement, intent, code, modality="intended",
                                target_from=[complement, verb])
        if lemma in _INTENT_VERBS and complements and pattern is not None and pattern.code.startswith("03"):
            # "agreed to allow access", "pledged to democratize": an uncoded act, still a stated intent.
            return _Reading(verb, verb, pattern, pattern.code, modality="intended",
                            target_from=[complements[0], verb])
        if lemma in _TRANSPARENT_VERBS and complements:
            return None  # the complement is read on its own, with this verb as its governor
        if pattern is None:
            return None
        # "threatened to overrun North Korea": an uncoded complement still names the counterpart.
        return _Reading(verb, verb, pattern, pattern.code, target_from=[verb, *complements] if complements else [])

    def governor_chain(self, verb: Token) -> list[Token]:
        """The verb and the verbs that govern it through complements, innermost first."""
        chain = [verb]
        token = verb
        while token.head is not token and len(chain) < 6:
            if token.dep_ in ("xcomp", "ccomp", "conj", "advcl"):
                token = token.head
            elif token.dep_ == "pcomp" and token.head.dep_ == "prep" and _is_verb(token.head.head):
                token = token.head.head  # "could cease ... by cooperating": the gerund takes its clause's mood
            else:
                break
            chain.append(token)
        return chain


def _same_actor(a: ActorMention, b: ActorMention) -> bool:
    if a.code != b.code and a.kind != b.kind and {a.kind, b.kind} & {"group", "org", "igo"}:
        return False  # a rebel group or party is not the state it works in (its leaders are)
    # One state is not its own counterpart ("Moscow" and "Russia", Putin and the Kremlin); two
    # named sectors of it may be (a government and its rebels, a president and the opposition),
    # even when the actors stage gives both only the country's code.
    if a.code == b.code and a.kind != "state":
        return True
    if not a.country or a.country != b.country:
        return a.code == b.code
    if a.sector != b.sector and (a.sector not in _STATE_SECTORS or b.sector not in _STATE_SECTORS):
        return False  # rebels, opposition, citizens or firms facing their own state
    return not (a.sector and b.sector and a.sector != b.sector)


# Sectors that speak for the state itself; a bare state mention has no sector.
_STATE_SECTORS = frozenset({"", "GOV", "MIL", "SPY", "COP", "JUD", "LEG", "ELI"})


def _negated(tokens: Iterable[Token]) -> bool:
    for token in tokens:
        for child in token.children:
            if child.dep_ == "neg" or child.lower_ == "never":
                return True
            if child.dep_ in ("nsubj", "nsubjpass") and any(
                    d.dep_ == "det" and d.lower_ == "no" for d in child.children):
                return True  # "no Kremlin leader had visited"
            if child.lower_ == "longer" and any(g.lower_ == "no" for g in child.children):
                return True
    return False


def _modality(reading: _Reading, chain: list[Token], sentence: Any) -> Modality:
    tokens = chain
    # A threat states its condition ("threatened to strike unless ..."); the threat itself is real.
    conditions_count = _lemma(reading.trigger) not in _THREAT_VERBS
    for token in tokens:
        for child in token.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in _HYPOTHETICAL_AUX:
                return "hypothetical"
            if child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS:
                return "hypothetical"
            if conditions_count and child.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in _CONDITIONAL_MARKS for m in child.children):
                return "hypothetical"
    if reading.modality:
        return reading.modality
    for token in tokens:
        if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in token.children):
            return "intended"
        if _lemma(token) in _INTENT_VERBS and token is not reading.trigger:
            return "intended"
    for token in tokens[1:]:
        if _lemma(token) in _SAY_VERBS:
            return "reported"
    if any(t.lower_ == "according" for t in sentence) or any(
            c.dep_ in ("parataxis",) and _lemma(c) in _SAY_VERBS for t in tokens for c in t.children):
        return "reported"
    return "asserted"


def _confidence(pattern: Pattern, direct_source: bool, direct_target: bool, has_target: bool,
                actors: Iterable[ActorMention], nominal: bool) -> float:
    """A transparent score: start at 0.6, reward direct arguments and specific patterns,
    penalise nominal readings and actors found by coreference."""
    score = 0.6
    score += 0.1 if direct_source else -0.1
    if has_target:
        score += 0.1 if direct_target else -0.05
    score += 0.05 * (pattern.specificity - 1)
    if nominal:
        score -= 0.15
    score -= 0.1 * sum(1 for a in actors if a.inferred)
    return max(0.05, min(0.95, score))


# One-actor events of acts that normally have a counterpart stay under this confidence.
UNTARGETED_CEILING = 0.45


def _held_below(score: float, untargeted: bool) -> float:
    return round(min(score * 0.6, UNTARGETED_CEILING) if untargeted else score, 3)


def _perfect(token: Token) -> bool:
    """'has supported', 'have met': done by the time of writing, not at the narrative's date."""
    return token.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve") for c in token.children)


def _heading(sentence: Span) -> bool:
    """A verbless line of its own ("The Russia-DPRK summit"): a section heading names a topic the
    text takes up later, so it is not a step of the narrative around it."""
    last = sentence[-1]  # (Doc.text would rebuild the whole text: ask the tokens instead)
    ends_line = "\n" in last.whitespace_ or last.is_space or sentence.end == len(sentence.doc)
    return ends_line and not any(token.pos_ in ("VERB", "AUX") for token in sentence)


def _present(token: Token) -> bool:
    if token.tag_ in ("VBP", "VBZ"):
        return True
    children = list(token.children)
    if token.tag_ in ("VBG", "VBN"):
        # Present progressive or passive: "Soviet negotiators are pressing Pyongyang", "aid is sent".
        return any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "be" and c.tag_ in ("VBP", "VBZ")
                   for c in children)
    if token.tag_ != "VB":
        return False
    # A headline's bare verb ("Medvedev and Kim Jong Il discuss gas pipeline") is tagged VB: it has a
    # subject and no auxiliary, and speaks of the day of the dispatch.
    headline = token.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in children) and not any(
        c.dep_ in ("aux", "auxpass") for c in children)
    return headline or any(c.lower_ in _FUTURE_AUX for c in children)


class _Builder:
    def __init__(self, lexicon: Lexicon, dater: Dater | None, doc_id: str, doc_name: str, doc_offset: int,
                 text: str):
        self.text = text  # Doc.text is rebuilt from the tokens on every access: read it once
        self.lexicon = lexicon
        self.dater = dater
        self.doc_id = doc_id
        self.doc_name = doc_name
        self.doc_offset = doc_offset

    def events(self, cameo: CameoCode, pattern: Pattern, sources: list[ActorMention], targets: list[ActorMention],
               sentence: Any, sentence_index: int, trigger: Token, span: tuple[int, int], negated: bool,
               modality: Modality, confidence_of: Any, trigger_text: str, domestic: bool = False) -> list[Event]:
        pairs: list[tuple[ActorMention, ActorMention | None, bool]] = []
        if targets:
            pairs = [(s, t, pattern.symmetric) for s, t in product(sources, targets) if not _same_actor(s, t)]
            if not pairs:
                # "Kostunica promised to democratize Serbia": a state acting on itself is coded
                # as a one-actor event, not dropped and not a self-dyad.
                targets, domestic = [], True
                pairs = [(s, None, False) for s in sources]
        elif pattern.symmetric and len(sources) > 1:
            pairs = [(a, b, True) for i, a in enumerate(sources) for b in sources[i + 1:] if not _same_actor(a, b)]
        else:
            # One actor and an act aimed at no one we can name ("Kim denounced the sanctions"):
            # one-actor events are warranted when the act needs no counterpart ("Russia
            # mobilised troops") or aims at the actor's own state ("Kostunica promised to
            # democratize Serbia"). Otherwise the event is kept for its source but held below
            # UNTARGETED_CEILING, so `--min-confidence 0.5` (the default of counts) leaves it out.
            pairs = [(s, None, False) for s in sources]
        if not pairs:
            return []
        # A thing as target ("condemned the attack") names no counterpart: held low like no target.
        untargeted = pattern.needs_target and all(t.kind == OBJECT_KIND for t in targets) and not domestic
        pairs = [(s, t, sym) for s, t, sym in pairs
                 if not _crosses_paragraph(self.text, trigger, s, t, self.doc_offset)]
        if not pairs:
            return []
        offset = self.doc_offset
        date = self.dater.date_for(sentence.start_char + offset, sentence.end_char + offset, trigger.idx + offset,
                                   present_tense=_present(trigger),
                                   continues_narrative=not _perfect(trigger) and not _heading(sentence),
                                   ) if self.dater is not None else TimeValue()
        mention = Mention(self.doc_id, self.doc_name, sentence_index, span[0] + offset, span[1] + offset,
                          sentence.text, trigger_text)
        out = []
        for source, target, symmetric in pairs:
            out.append(Event(
                type=cameo.plover_type, cameo=cameo.code, quad_class=cameo.quad_class, goldstein=cameo.goldstein,
                source=[source], target=[target] if target else [], date=date, mentions=[mention],
                negated=negated, modality=modality,
                confidence=_held_below(confidence_of([source] + ([target] if target else [])), untargeted),
                symmetric=symmetric, trigger=trigger_text,
            ))
        return out


def extract_events(doc: Any, actors: list[ActorMention], dater: Dater | None, doc_id: str, doc_name: str,
                   doc_offset: int = 0, lexicon: Lexicon | None = None,
                   typer: TypeModel | None | str = "default") -> list[Event]:
    """Events of one parsed document. Offsets in `actors`, in the returned mentions and given
    to `dater` are characters of the whole document (`doc_offset` = where this Doc starts).
    `typer` is the learned event typer ("default": the shipped one; None: the dictionary alone)."""
    lexicon = lexicon or default_lexicon()
    model = default_model() if typer == "default" else typer
    if not actors:
        return []
    index = _DocIndex(doc, actors, doc_offset)
    if not index.mention_at:
        return []
    coder = _SentenceCoder(index, lexicon)
    builder = _Builder(lexicon, dater, doc_id, doc_name, doc_offset, doc.text)
    events: list[Event] = []
    for sentence_index, sentence in enumerate(doc.sents):
        if not any(token.i in index.mention_at for token in sentence):
            continue
        found, triggers = _sentence_events(sentence, sentence_index, coder, builder)
        if model is not None:
            found = _revise_with_typer(model, sentence, sentence_index, found, triggers, coder, builder)
        events.extend(found)
    return events


# Events the typer adds are less certain than the dictionary's: at most this confident.
TYPER_CONFIDENCE = 0.6
# Types PLOVER codes without a counterpart (a protest, a mobilisation): no target needed.
_ONE_SIDED_TYPES = frozenset({"PROTEST", "MOBILIZE"})
_SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def _revise_with_typer(model: TypeModel, sentence: Any, sentence_index: int, events: list[Event],
                       triggers: dict[int, set[int]], coder: "_SentenceCoder", builder: "_Builder") -> list[Event]:
    """A main predicate the dictionary did not read gets the typer's event when its subject is an
    actor and the typer is confident. The dictionary's own readings stand: on the gold records it
    was built from, letting the typer re-type them cost more than it gained (see README).
    Its target may be a name the gazetteer does not know, kept by its words (`object_target`)."""
    predicate = main_predicate(sentence)
    # The cheap tests first: most sentences fail one of them and never reach the model.
    if predicate is None or not _is_verb(predicate) \
            or any(predicate.i in triggers.get(id(e), ()) for e in events):
        return events
    sources, direct_source = coder.subject_of(predicate)
    if not sources:
        return events
    probabilities = model.probabilities(sentence_features(sentence, [e.type for e in events],
                                                          [e.cameo for e in events]))
    kind, likelihood = max(probabilities.items(), key=lambda item: item[1])
    if likelihood < model.threshold or any(e.type == kind for e in events):
        return events
    cameo = coder.lexicon.type_code(kind)
    if cameo is None:
        return events
    targets, direct_target = coder.targets_of([predicate], sources)
    if not targets and not (kind in _SYMMETRIC_TYPES and len(sources) > 1):
        targets = coder.object_target([predicate], sources)
    pattern = Pattern(key=_lemma(predicate), code=cameo.code, symmetric=kind in _SYMMETRIC_TYPES,
                      needs_target=kind not in _ONE_SIDED_TYPES)
    reading = _Reading(trigger=predicate, head=predicate, pattern=pattern, code=cameo.code)
    chain = coder.governor_chain(predicate)
    ceiling = min(TYPER_CONFIDENCE, 0.3 + 0.5 * likelihood)
    added = builder.events(
        cameo, pattern, sources, targets, sentence, sentence_index, predicate,
        _clause_span(chain[-1], sentence), _negated(chain), _modality(reading, chain, sentence),
        lambda actors: min(ceiling, _confidence(pattern, direct_source, direct_target, bool(targets), actors,
                                                nominal=False)),
        predicate.text,
    )
    return events + added


def _sentence_events(sentence: Any, sentence_index: int, coder: _SentenceCoder, builder: _Builder,
                     ) -> tuple[list[Event], dict[int, set[int]]]:
    """The dictionary's events of a sentence, and for each (by id) the tokens of its trigger."""
    lexicon = coder.lexicon
    events: list[Event] = []
    triggers: dict[int, set[int]] = {}
    seen: set[tuple] = set()
    consumed: set[int] = set()  # tokens already read as part of a verbal event (objects, complements)

    def emit(new: list[Event], *trigger_tokens: Token) -> None:
        for event in new:
            key = (event.cameo, tuple(a.code for a in event.source), tuple(a.code for a in event.target))
            if key not in seen:
                seen.add(key)
                events.append(event)
                triggers[id(event)] = {t.i for t in trigger_tokens}

    for token in sentence:
        if not _is_verb(token) or token.i in consumed or _is_demanded(token):
            continue
        reading = coder.read_verb(token)
        if reading is None:
            continue
        cameo = lexicon.code(reading.code)
        if cameo is None or not cameo.plover_type:
            continue
        consumed.add(reading.head.i)
        if reading.complement is not None:
            consumed.add(reading.complement.i)
            consumed.update(c.i for c in _children(reading.complement, "dobj", "nsubjpass"))
        objects = _children(reading.head, "dobj", "nsubjpass") + _children(reading.trigger, "dobj", "nsubjpass")
        if reading.pattern.generated:
            # A generated reading leaves an object that is an event noun of ours to be read on its
            # own ("deployed to oversee a ceasefire between A and B" keeps the ceasefire).
            objects = [o for o in objects if _match_noun(o, lexicon) is None]
        consumed.update(o.i for o in objects)
        chain = coder.governor_chain(reading.trigger)
        sources, direct_source = coder.subject_of(reading.trigger)
        if not sources:
            continue
        heads = reading.target_from or [reading.head]
        targets, direct_target = coder.targets_of(heads, sources)
        if not targets and reading.head.dep_ == "advcl" and _is_verb(reading.head.head) and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in reading.head.children):
            # "sent 21 personnel to Bosnia to investigate": the purpose shares the trip's destination.
            targets, _ = coder.targets_of([reading.head.head], sources)
        if not targets and coder.aims_at_itself(heads, sources):
            continue
        negated = _negated([reading.head, *chain]) and not reading.cancels_negation
        modality = _modality(reading, chain if reading.head is reading.trigger else [reading.head, *chain],
                             sentence)
        governor = chain[-1]
        span = _clause_span(governor, sentence)
        trigger_text = " ".join(t.text for t in sorted({reading.trigger, reading.head}, key=lambda t: t.i))
        emit(builder.events(
            cameo, reading.pattern, sources, targets, sentence, sentence_index, reading.trigger, span, negated,
            modality,
            lambda actors, p=reading.pattern, ds=direct_source, dt=direct_target, ht=bool(targets):
                _confidence(p, ds, dt, ht, actors, nominal=False),
            trigger_text,
        ), reading.trigger, reading.head)

    for token in sentence:
        if token.pos_ not in ("NOUN", "PROPN") or token.i in consumed:
            continue
        pattern = _match_noun(token, lexicon)
        if pattern is None:
            continue
        cameo = lexicon.code(pattern.code)
        if cameo is None or not cameo.plover_type:
            continue
        sources, targets, symmetric_pair = _nominal_arguments(token, coder, cameo)
        if not sources:
            continue
        if symmetric_pair:
            pattern = Pattern(pattern.key, pattern.code, True, pattern.needs_target)
        emit(builder.events(
            cameo, pattern, sources, targets, sentence, sentence_index, token, _clause_span(token, sentence),
            _negated([token]), _nominal_modality(token),
            lambda actors, p=pattern, ht=bool(targets): _confidence(p, True, True, ht, actors, nominal=True),
            token.text,
        ), token)
    return events, triggers


_ACCUSING_VERBS = {"accuse", "charge", "blame", "condemn", "criticize", "criticise", "denounce", "fault",
                   "suspect", "indict", "convict", "arrest"}
# Nouns whose "to" clause states the holder's own intent ("its willingness to host a summit").
_READY_NOUNS = {"willingness", "readiness", "intention", "pledge", "promise", "offer", "plan", "commitment",
                "decision", "intent", "determination"}
_ORDERED_STOPS = {"suspend", "close", "stop", "halt", "cease", "shut", "leave", "vacate", "disband", "dissolve"}
_DEMANDING_VERBS = {"demand", "urge", "ask", "request", "insist", "propose", "suggest", "order", "call", "press",
                    "appeal", "recommend", "threaten", "warn"}
# Nouns whose clause states what someone wants done, not what was done.
_UNREALISED_NOUNS = {"demand", "call", "appeal", "request", "proposal", "plan", "offer", "invitation", "ultimatum",
                     "condition", "insistence", "plea", "bid", "effort", "attempt", "refusal", "threat", "promise",
                     "pledge", "willingness", "readiness", "intention", "decision", "order", "resolution"}


def _is_demanded(verb: Token) -> bool:
    """Whether a verb is the content of a demand, proposal or plan ("its demand that Israel ease
    restrictions", "demanded that Hamas renounce violence"): that act did not happen. The
    charge of an accusation ("accused Washington of violating ...") is no event of its own either."""
    if verb.dep_ == "pcomp" and verb.head.lower_ in ("of", "for") and _lemma(verb.head.head) in _ACCUSING_VERBS:
        return True
    for hop in range(4):
        head = verb.head
        if head is verb or verb.dep_ not in ("acl", "ccomp", "xcomp", "conj"):
            return False
        lemma = _lemma(head)
        if verb.dep_ in ("acl", "ccomp") and head.pos_ == "NOUN" and lemma in _UNREALISED_NOUNS:
            # "its willingness to provide aid" is read as an intent (see read_verb); a demand is not.
            return not (hop == 0 and lemma in _READY_NOUNS and verb.dep_ == "acl")
        if verb.dep_ == "ccomp" and _is_verb(head) and lemma in _DEMANDING_VERBS:
            return True
        if verb.dep_ == "ccomp" and _is_verb(head) and any(m.lower_ == "that" for m in _children(verb, "mark")) \
                and any(_lemma(o) in _UNREALISED_NOUNS - _READY_NOUNS for o in _children(head, "dobj")):
            return True  # "reiterated its demand today that Israel ease ...": the clause hangs off the verb
        verb = head  # "demanded that its partners refuse to recognize ...": up through the chain
    return False


def _nominal_arguments(noun: Token, coder: _SentenceCoder, cameo: CameoCode) -> tuple[list, list, bool]:
    """Source and target of an event noun: possessor or "by" for the source; "to", "with",
    "for", "on", "against", "between" (and "of" for acts done to someone) for the target;
    a dashed pair of actors before the noun ("the Russia–North Korea summit") for both."""
    index = coder.index
    sources: list[ActorMention] = []
    for child in _children(noun, "poss"):
        sources = index.actors_of(child)
    for prep in _children(noun, "prep", "agent"):
        if _lemma(prep) == "by" and not sources:
            for pobj in _children(prep, "pobj"):
                sources = index.actors_of(pobj)
    modifiers = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i]
    modifier_actors: list[ActorMention] = []
    for modifier in modifiers:
        # Every actor in the modifier chain, in text order: "Russia-DPRK" nests one inside the other.
        in_chain = sorted({id(m): m for group in index.region_groups(modifier) for m, _ in group}.values(),
                          key=lambda m: m.start)
        for actor in in_chain:
            if modifier.pos_ == "PROPN" and actor.kind == "state" and actor.sector == "GOV" and not _dashed(noun):
                continue  # "the Helsinki summit": a capital before an event noun is where, not who
            if all(not _same_actor(actor, other) for other in modifier_actors):
                modifier_actors.append(actor)
    targets: list[ActorMention] = []
    for prep in _children(noun, "prep"):
        lemma = _lemma(prep)
        hostile_of = lemma == "of" and cameo.quad_class >= 3
        if lemma == "between" or lemma == "among":
            pairs = [a for pobj in _children(prep, "pobj") for a in index.actors_of(pobj)]
            if len(pairs) >= 2 and not sources:
                return [pairs[0]], pairs[1:], True
            if pairs:
                targets = pairs
        elif (lemma in _TARGET_PREPS - _WEAK_PREPS or lemma == "for" or hostile_of) and not targets:
            for pobj in _children(prep, "pobj"):
                targets = [a for a in index.actors_of(pobj) if not any(_same_actor(a, s) for s in sources)]
        elif lemma == "of" and not targets:
            # "a suspension of air links with Serbia": the counterpart hangs off the object.
            for pobj in _children(prep, "pobj"):
                for inner in _children(pobj, "prep"):
                    if _lemma(inner) in _TARGET_PREPS - _WEAK_PREPS:
                        targets = [a for p in _children(inner, "pobj") for a in index.actors_of(p)]
    if not targets and _lemma(noun) in _UNREALISED_NOUNS:
        # "its demand that Israel ease restrictions": the one asked to act is the target.
        clauses = _children(noun, "acl", "ccomp", "appos")
        if noun.dep_ == "dobj" and _is_verb(noun.head):
            clauses += [c for c in _children(noun.head, "ccomp") if any(m.lower_ == "that" for m in _children(c, "mark"))]
        for clause in clauses:
            for subject in _children(clause, "nsubj"):
                targets = [a for a in index.actors_of(subject) if not any(_same_actor(a, s) for s in sources)]
    if not sources and len(modifier_actors) >= 2 and _dashed(noun):
        return [modifier_actors[0]], modifier_actors[1:2], True
    if not sources and modifier_actors:
        sources = modifier_actors[:1]
    pronoun_possessor = any(c.dep_ == "poss" and c.lower_ in _PRONOUNS for c in noun.children)
    if not sources and noun.dep_ in ("dobj", "attr") and _is_verb(noun.head) and (
            _lemma(noun.head) in _LIGHT_VERBS or (pronoun_possessor and _lemma(noun.head) in _RENEWING_VERBS)):
        # "held talks", and "reiterated its demand": "its" is the subject of the verb.
        sources = coder.subject_of(noun.head)[0]
    if not sources and noun.dep_ == "pobj" and noun.head.lower_ == "for" and _is_verb(noun.head.head) \
            and _lemma(noun.head.head) in _ARRIVAL_VERBS:
        # "negotiators return to Geneva for talks": who travels for the event takes part in it.
        sources = coder.subject_of(noun.head.head)[0]
    targets = [t for t in targets if not any(_same_actor(t, s) for s in sources)]
    return sources, targets, False


def _nominal_modality(noun: Token) -> Modality:
    """An event noun takes the mood of the clause it is the subject of: "a Kim-Putin summit would
    take place" is hypothetical, "the summit will open" intended."""
    if noun.dep_ not in ("nsubj", "nsubjpass") or not _is_verb(noun.head):
        return "asserted"
    auxiliaries = {c.lower_ for c in noun.head.children if c.dep_ in ("aux", "auxpass")}
    if auxiliaries & _HYPOTHETICAL_AUX:
        return "hypothetical"
    if auxiliaries & _FUTURE_AUX:
        return "intended"
    return "asserted"


def _crosses_paragraph(text: str, trigger: Token, source: ActorMention, target: ActorMention | None,
                       doc_offset: int) -> bool:
    """Whether the actors and the trigger sit in different paragraphs: a heading glued to the next
    sentence by the sentence splitter must not lend its actors to that sentence's verb."""
    points = [trigger.idx, source.start - doc_offset, source.end - doc_offset]
    if target is not None:
        points += [target.start - doc_offset, target.end - doc_offset]
    return "\n\n" in text[max(0, min(points)):max(points)]


def _dashed(noun: Token) -> bool:
    left = noun.left_edge
    doc = noun.doc
    return any(doc[i].text in _DASHES or any(d in doc[i].text for d in "–—") for i in range(left.i, noun.i))


def _clause_span(head: Token, sentence: Any) -> tuple[int, int]:
    start = max(head.left_edge.idx, sentence.start_char)
    right = head.right_edge
    end = min(right.idx + len(right.text), sentence.end_char)
    return start, end
