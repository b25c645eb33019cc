"""Hand-built extracted documents shared by the store and export tests."""

from __future__ import annotations

from detente.model import (
    ActorMention,
    Claim,
    Conflict,
    Document,
    Event,
    ExtractedDocument,
    Mention,
    Sentence,
    TimeValue,
    content_id,
)

YEAR_1961 = TimeValue("1961", "1961-01-01", "1961-12-31", "year", None, "explicit", "1961")
JUNE_1950 = TimeValue("1950-06", "1950-06-01", "1950-06-30", "month", None, "explicit", "1950-06")
KOREAN_WAR = TimeValue("1950/1953", "1950-01-01", "1953-12-31", "year", None, "explicit", "")
JULY_19_2000 = TimeValue("2000-07-19", "2000-07-19", "2000-07-19", "day", None, "explicit", "2000-07-19")
APRIL_25_2019 = TimeValue("2019-04-25", "2019-04-25", "2019-04-25", "day", None, "narrative", "2019-04-25")
YEAR_2017 = TimeValue("2017", "2017-01-01", "2017-12-31", "year", "late", "explicit", "2017")


def actor(code: str, country: str = "", name: str = "", sector: str = "GOV", text: str = "",
          kind: str = "state", start: int = 0) -> ActorMention:
    return ActorMention(code=code, name=name or code, country=country or code, sector=sector,
                        text=text or name or code, start=start, end=start + len(text or name or code), kind=kind)


def build_document(name: str, sentence_texts: list[str], event_specs: list[dict], url: str = "",
                   title: str = "", published: TimeValue | None = None,
                   claim_specs: list[dict] | None = None) -> ExtractedDocument:
    """Sentences joined by one space; each event spec names its sentence index."""
    text = " ".join(sentence_texts)
    doc_id = content_id(text)
    sentences, offset = [], 0
    for index, sentence_text in enumerate(sentence_texts):
        sentences.append(Sentence(doc_id, index, offset, offset + len(sentence_text), sentence_text))
        offset += len(sentence_text) + 1
    events = []
    for spec in event_specs:
        sentence = sentences[spec["sentence"]]
        mention = Mention(doc_id, name, sentence.index, sentence.start, sentence.end, sentence.text,
                          spec.get("trigger", ""))
        events.append(Event(
            type=spec["type"], cameo=spec.get("cameo", "040"), quad_class=spec.get("quad_class", 1),
            goldstein=spec.get("goldstein", 1.0), source=spec["source"], target=spec.get("target", []),
            date=spec.get("date", TimeValue()), mentions=[mention], negated=spec.get("negated", False),
            modality=spec.get("modality", "asserted"), confidence=spec.get("confidence", 0.5),
            symmetric=spec.get("symmetric", False), trigger=spec.get("trigger", ""),
        ))
    claims = []
    for spec in claim_specs or []:
        sentence = sentences[spec["sentence"]]
        claims.append(Claim(spec["subject"], spec["attribute"], spec["value"], spec.get("time", TimeValue()), True,
                            Mention(doc_id, name, sentence.index, sentence.start, sentence.end, sentence.text)))
    document = Document(doc_id, name, title or name, url, text, published or TimeValue(), sha256="ab" * 32,
                        warnings=["test warning"])
    return ExtractedDocument(document, sentences, events, claims)


def soviet_document() -> ExtractedDocument:
    return build_document(
        "soviet.txt",
        [
            "In June 1950 Stalin consulted Kim Il Sung in Moscow.",
            "Kim Il Sung had served as a captain in the Soviet army.",
            "Putin visited Pyongyang on 19 July 2000.",
            "Moscow accused Washington of meddling.",
            "Russia did not sanction North Korea in late 2017.",
        ],
        [
            {"sentence": 0, "type": "CONSULT", "source": [actor("SUN", name="Soviet Union", text="Stalin")],
             "target": [actor("PRK", name="North Korea", text="Kim Il Sung")], "date": JUNE_1950},
            {"sentence": 2, "type": "CONSULT", "cameo": "042",
             "source": [actor("putin", "RUS", "Vladimir Putin", kind="person", text="Putin")],
             "target": [actor("PRK", name="North Korea", text="Pyongyang")], "date": JULY_19_2000,
             "confidence": 0.8},
            {"sentence": 3, "type": "ACCUSE", "cameo": "112", "quad_class": 3, "goldstein": -2.0,
             "source": [actor("RUS", name="Russia", text="Moscow")],
             "target": [actor("USA", name="United States", text="Washington")]},
            {"sentence": 4, "type": "SANCTION", "cameo": "163", "quad_class": 4, "goldstein": -8.0,
             "source": [actor("RUS", name="Russia")], "target": [actor("PRK", name="North Korea")],
             "date": YEAR_2017, "negated": True},
        ],
        url="https://example.org/soviet", title="The Soviet years",
        published=TimeValue("2019-05-01", "2019-05-01", "2019-05-01", "day", None, "metadata", "2019-05-01"),
        claim_specs=[{"sentence": 1, "subject": "kim-il-sung", "attribute": "military rank", "value": "captain"}],
    )


def summit_document() -> ExtractedDocument:
    return build_document(
        "summit.html",
        [
            "Kim Jong Un agreed with Russia on 25 April 2019 in Vladivostok.",
            "In 1961 the two countries signed a treaty of friendship.",
            "China accused America throughout the Korean War.",
            "Kim Il Sung was a major in the Red Army.",
        ],
        [
            {"sentence": 0, "type": "AGREE", "cameo": "057", "source": [actor("PRK", name="North Korea",
                                                                              text="Kim Jong Un")],
             "target": [actor("RUS", name="Russia")], "date": APRIL_25_2019, "modality": "reported",
             "confidence": 0.9},
            {"sentence": 1, "type": "COOPERATE", "cameo": "057", "quad_class": 2,
             "source": [actor("SUN", name="Soviet Union"), actor("PRK", name="North Korea")], "target": [],
             "date": YEAR_1961, "symmetric": True},
            {"sentence": 2, "type": "ACCUSE", "cameo": "112", "quad_class": 3,
             "source": [actor("CHN", name="China")], "target": [actor("USA", name="United States",
                                                                      text="America")],
             "date": KOREAN_WAR},
        ],
        title="Summit in Vladivostok",
        published=TimeValue("2019-04", "2019-04-01", "2019-04-30", "month", None, "content", "2019-04"),
        claim_specs=[{"sentence": 3, "subject": "kim-il-sung", "attribute": "military rank", "value": "major"}],
    )


def numbered_document(number: int, sentence_count: int = 20, event_count: int = 6) -> ExtractedDocument:
    """A document whose sentences all contain the word doc<number>, for counting FTS hits."""
    texts = [f"Sentence {i} of doc{number} says Russia met North Korea again." for i in range(sentence_count)]
    specs = [{"sentence": i % sentence_count, "type": "CONSULT", "cameo": f"04{i % 10}",
              "source": [actor("RUS", name="Russia")], "target": [actor("PRK", name="North Korea")],
              "date": TimeValue(f"{1950 + i}", f"{1950 + i}-01-01", f"{1950 + i}-12-31", "year", None,
                                "explicit", f"{1950 + i}")}
             for i in range(event_count)]
    return build_document(f"doc{number}.txt", texts, specs)


def rank_conflict(soviet: ExtractedDocument, summit: ExtractedDocument) -> Conflict:
    return Conflict("cf_rank", "value", "kim-il-sung", "military rank",
                    "captain in one source, major in another", [soviet.claims[0], summit.claims[0]])
