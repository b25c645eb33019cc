"""The PETRARCH2 conversion (detente.events.build_petrarch) and the lexicon layers it feeds.

The reproduction check needs ../shared (skipped with a message when absent); the others build
small dictionaries of their own in a temporary folder."""

from __future__ import annotations

import shutil

import pytest

from conftest import shared_path
from detente.events import build_petrarch
from detente.events.build_petrarch import DictionaryError, read_agents, read_verb_dictionary
from detente.events.lexicon import LEXICON_DIR, default_lexicon, load_lexicon

VERBS_HEADER = "####### VERB PATTERNS #######\n"


def test_build_is_deterministic_and_reproduces_the_committed_files():
    shared = shared_path("data", "petrarch2").parent.parent
    first = build_petrarch.build(shared)
    second = build_petrarch.build(shared)
    assert (first.verbs, first.agents) == (second.verbs, second.agents)
    assert first.verbs == (LEXICON_DIR / "petrarch_verbs.tsv").read_text(encoding="utf-8"), \
        "petrarch_verbs.tsv is stale: run python -m detente.events.build_petrarch ../shared"
    assert first.agents == (LEXICON_DIR / "agents.tsv").read_text(encoding="utf-8"), \
        "agents.tsv is stale: run python -m detente.events.build_petrarch ../shared"
    assert "MIT" in first.verbs.splitlines()[1] and "Open Event Data Alliance" in first.agents.splitlines()[1]
    assert first.skipped and first.converted["keys written"] == first.entry_count


@pytest.mark.parametrize("body, line, reason", [
    ("---  FOO   [010]  ---\nFOO\n- * BAR\n", 4, "pattern without a [code]"),
    ("---  FOO   [010]  ---\nFOO\n- * (BAR [020]\n", 4, "unclosed '('"),
    ("---  FOO   [01x]  ---\n", 2, "malformed code [01x]"),
    ("- * BAR [020]\n", 2, "before the first"),
    ("---  FOO   [010]  ---\nfoo bar baz!\n", 3, "expected a verb"),
])
def test_a_verb_row_that_does_not_parse_stops_with_file_line_and_reason(tmp_path, body, line, reason):
    path = tmp_path / "CAMEO.2.0.txt"
    path.write_text(VERBS_HEADER + body, encoding="utf-8")
    with pytest.raises(DictionaryError) as caught:
        read_verb_dictionary(path)
    assert caught.value.path == str(path) and caught.value.line_number == line
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_an_agent_row_that_does_not_parse_stops_the_build(tmp_path, capsys):
    folder = tmp_path / "data" / "petrarch2"
    folder.mkdir(parents=True)
    (folder / "CAMEO.2.0.txt").write_text(VERBS_HEADER + "---  FOO   [010]  ---\nFOO\n", encoding="utf-8")
    (folder / "Phoenix.agents.txt").write_text("# agents\nPOLICE [~COP]\nSOLDIER [~MILI]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"Phoenix.agents.txt:3: sector code ~MILI"):
        read_agents(folder / "Phoenix.agents.txt")
    # The command reports it and writes nothing.
    assert build_petrarch.main(["build_petrarch", str(tmp_path)]) == 1
    assert "Phoenix.agents.txt:3:" in capsys.readouterr().err


def test_patterns_convert_to_our_keys(tmp_path):
    path = tmp_path / "CAMEO.2.0.txt"
    path.write_text(
        "####### SYNONYM SETS #######\n&ARMS\n+MISSILE\n+ARMORED_VEHICLE\n\n" + VERBS_HEADER
        + "---  HALT   [---]  ---\nHALT\n+CALL_OFF [160]\n"
          "- * &ARMS [087]\n- * (WITH) [046:046]\n- * {MASS RALLIES} [082]\n- POLICE * [170]\n- * [:173]\n",
        encoding="utf-8")
    converter = build_petrarch.VerbConverter(read_verb_dictionary(path), build_petrarch.read_cameo_codes(),
                                             build_petrarch.HandLexicon(frozenset(), frozenset()))
    keys = {e.key: (e.code, e.flags) for e in converter.entries()}
    assert keys["call off"] == ("160", "")  # a synonym's own code; HALT has none
    assert "halt" not in keys
    assert keys["halt missile"] == ("087", "") and keys["halt vehicle"] == ("087", "")  # set members, by head
    assert keys["halt with"] == ("046", "sym")  # the same code both ways: reciprocal
    assert keys["halt rally"] == ("082", "")  # a phrase by its head noun, as its lemma
    assert keys["call off missile"] == ("087", "")  # verb + particle + object noun
    assert converter.skipped["pattern row: words before the verb (a condition on the subject)"] == 1
    assert converter.skipped["pattern row: only a code for the reverse direction ([:code])"] == 1


def _lexicon_folder(tmp_path, generated: str, yaml_verbs: str):
    shutil.copy(LEXICON_DIR / "cameo.tsv", tmp_path / "cameo.tsv")
    (tmp_path / "verbs.yaml").write_text(f"verbs:\n{yaml_verbs}nouns:\n  visit: \"042\"\n", encoding="utf-8")
    (tmp_path / "petrarch_verbs.tsv").write_text("# generated\nkey\tcode\tflags\n" + generated, encoding="utf-8")
    (tmp_path / "agents.tsv").write_text("# generated\nnoun\tsector\tsecond_sector\tline\n"
                                         "police\tCOP\t\t1\nforeign ministry\tGOV\tMED\t2\n", encoding="utf-8")
    return tmp_path


def test_verbs_yaml_wins_over_a_generated_entry(tmp_path):
    folder = _lexicon_folder(tmp_path, "meet\t111\t\nstage protest\t141\tsolo\n", '  meet: "040 sym"\n')
    lexicon = load_lexicon(folder)
    assert lexicon.verbs["meet"].code == "040" and lexicon.verbs["meet"].symmetric
    assert not lexicon.verbs["meet"].generated
    generated = lexicon.verbs.get("stage protest")
    assert generated.code == "141" and not generated.needs_target and generated.generated
    assert lexicon.hand_verb("stage protest") is None
    assert len(lexicon.verbs) == 2 and set(lexicon.verbs) == {"meet", "stage protest"}
    assert lexicon.agents == {"police": ("COP",), "foreign ministry": ("GOV", "MED")}


def test_a_generated_entry_with_an_unknown_code_fails_on_load(tmp_path):
    folder = _lexicon_folder(tmp_path, "meet\t040\t\nfrobnicate\t999\t\n", "")
    with pytest.raises(ValueError, match=r"petrarch_verbs.tsv: entry 'frobnicate' names unknown CAMEO code 999"):
        load_lexicon(folder)
    (folder / "petrarch_verbs.tsv").write_text("key\tcode\tflags\nmeet\t040\tloud\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"petrarch_verbs.tsv: entry 'meet' has unknown flags"):
        load_lexicon(folder)


def test_agents_load_with_their_sectors():
    agents = default_lexicon().agents
    assert agents["police"] == ("COP",)
    assert agents["rebel"] == ("REB",)
    assert agents["parliament"] == ("LEG",)
    assert agents["court"] == ("JUD",)
    assert agents["foreign minister"] == ("GOV",)
    assert agents["agriculture minister"] == ("GOV", "AGR")  # [~GOVAGR]: the first, then the second
    assert len(agents) > 2000


def test_the_default_lexicon_layers_generated_verbs_under_ours():
    lexicon = default_lexicon()
    assert lexicon.verbs["outlaw"].generated and lexicon.verbs["outlaw"].code == "172"
    assert lexicon.verbs["meet"].code == "040" and not lexicon.verbs["meet"].generated


@pytest.fixture(scope="module")
def nlp():
    from detente.nlp import load_pipeline

    return load_pipeline()


def test_generated_verbs_in_the_coder(nlp):
    from test_events import code, triples

    # A verb only the generated layer knows.
    assert triples(code(nlp, "Russia battled Ukraine near the border.")) == {("ASSAULT", "RUS", "UKR")}
    # Our "force out" (201) beats the generated "force refugee" although that key is more specific.
    assert {e.cameo for e in code(nlp, "Russia forced the refugees out of Ukraine.")} == {"201"}
    # A generated reading leaves an event noun of ours to be read on its own: the ceasefire stays.
    events = code(nlp, "Russia sent troops to oversee a ceasefire between China and Japan.")
    assert ("RETREAT", "CHN", "JPN") in triples(events) and ("AID", "RUS", "CHN") in triples(events)
    # Generated keys name the object's head: "missile" in "missile tests" is no "halt missile" (087).
    assert "087" not in {e.cameo for e in code(nlp, "Pyongyang halted its missile tests.")}
