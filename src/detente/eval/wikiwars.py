"""Score the temporal tagger on WikiWars (TimeML, TIMEX3 gold inline).

    python -m detente.eval.wikiwars [DIR] [--errors FILE]

Loose match: a prediction and a gold expression match when their character spans overlap.
Value recall: the share of gold expressions overlapped by a prediction whose TIMEX3 value
equals the gold value. Ranges are tagged split ('1915-17' as two expressions) and named
periods are off, because TimeML marks range ends separately and treats war names as events.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from detente.eval import shared_dir
from detente.time import tag

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>.*?value=\"([^\"]+)\".*?</DCT>", re.S)
_TAG = re.compile(r"<TIMEX3\b([^>]*)>|</TIMEX3>")
_VALUE = re.compile(r"\bvalue=\"([^\"]*)\"")


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    value: str


def default_directory() -> Path:
    return shared_dir() / "data" / "wikiwars" / "train"


def read_tml(path: Path) -> tuple[str, str, list[GoldTimex]]:
    """(plain text, DCT, gold expressions with offsets into the plain text)."""
    raw = path.read_text(encoding="utf-8")
    dct_match = _DCT.search(raw)
    text_match = _TEXT.search(raw)
    if text_match is None:
        raise ValueError(f"{path}: no <TEXT> element")
    body = text_match.group(1)
    pieces: list[str] = []
    gold: list[GoldTimex] = []
    length = 0
    position = 0
    open_at: tuple[int, str] | None = None
    for match in _TAG.finditer(body):
        chunk = html.unescape(body[position:match.start()])
        pieces.append(chunk)
        length += len(chunk)
        position = match.end()
        if match.group(1) is not None:
            value = _VALUE.search(match.group(1))
            open_at = (length, value.group(1) if value else "")
        elif open_at is not None:
            start, value = open_at
            gold.append(GoldTimex(start, length, "", value))
            open_at = None
    pieces.append(html.unescape(body[position:]))
    text = "".join(pieces)
    gold = [GoldTimex(g.start, g.end, text[g.start:g.end], g.value) for g in gold]
    return text, dct_match.group(1) if dct_match else "", gold


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_file(path: Path) -> dict:
    text, dct, gold = read_tml(path)
    predicted = tag(text, dct or None, mode="narrative", ranges="split", named_periods=False)
    matched_predictions = 0
    false_positives = []
    for p in predicted:
        if any(_overlaps(p.start, p.end, g.start, g.end) for g in gold):
            matched_predictions += 1
        else:
            false_positives.append(p)
    found = 0
    correct = 0
    misses = []
    wrong = []
    for g in gold:
        overlapping = [p for p in predicted if _overlaps(p.start, p.end, g.start, g.end)]
        if overlapping:
            found += 1
            if any(p.time.timex3 == g.value for p in overlapping):
                correct += 1
            else:
                wrong.append((g, overlapping))
        else:
            misses.append(g)
    return {
        "file": path.name, "gold": len(gold), "predicted": len(predicted), "matched_predictions": matched_predictions,
        "found": found, "correct_value": correct, "tokens": len(text.split()),
        "misses": misses, "false_positives": false_positives, "wrong_values": wrong, "text": text,
    }


def _ratios(gold: int, predicted: int, matched: int, found: int, correct: int) -> dict:
    precision = matched / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "value_recall": correct / gold if gold else 0.0}


def score(directory: str | Path | None = None) -> dict:
    """Per-file and overall loose-match P/R/F1 and correct-value recall over the *.tml files."""
    directory = Path(directory) if directory else default_directory()
    files = sorted(directory.glob("*.tml"))
    if not files:
        raise FileNotFoundError(f"no *.tml files in {directory}")
    per_file = [score_file(path) for path in files]
    totals = {key: sum(item[key] for item in per_file)
              for key in ("gold", "predicted", "matched_predictions", "found", "correct_value")}
    overall = totals | _ratios(totals["gold"], totals["predicted"], totals["matched_predictions"], totals["found"],
                               totals["correct_value"])
    files_out = []
    for item in per_file:
        files_out.append({k: v for k, v in item.items() if k not in ("text",)} | _ratios(
            item["gold"], item["predicted"], item["matched_predictions"], item["found"], item["correct_value"]))
    return {"overall": overall, "files": files_out}


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    return (text[max(0, start - width):start] + "[" + text[start:end] + "]" + text[end:end + width]).replace("\n", " ")


def write_errors(directory: Path, stream) -> None:
    for path in sorted(directory.glob("*.tml")):
        item = score_file(path)
        text = item["text"]
        for g in item["misses"]:
            stream.write(f"MISS\t{path.stem}\t{g.value}\t{_context(text, g.start, g.end)}\n")
        for p in item["false_positives"]:
            stream.write(f"FP\t{path.stem}\t{p.time.timex3}\t{_context(text, p.start, p.end)}\n")
        for g, predictions in item["wrong_values"]:
            got = ",".join(p.time.timex3 or "-" for p in predictions)
            stream.write(f"VALUE\t{path.stem}\tgold={g.value}\tgot={got}\t{_context(text, g.start, g.end)}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", help="folder of WikiWars .tml files")
    parser.add_argument("--errors", help="write misses, false positives and wrong values to this file")
    args = parser.parse_args(argv)
    directory = Path(args.directory) if args.directory else default_directory()
    if not directory.is_dir():
        print(f"WikiWars not found at {directory} (set DETENTE_SHARED or pass DIR)", file=sys.stderr)
        return 2
    result = score(directory)
    print(f"{'file':28} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'value_R':>8}")
    for item in result["files"]:
        print(f"{item['file']:28} {item['gold']:5d} {item['predicted']:5d} {item['precision']:6.3f} "
              f"{item['recall']:6.3f} {item['f1']:6.3f} {item['value_recall']:8.3f}")
    o = result["overall"]
    print(f"{'OVERALL':28} {o['gold']:5d} {o['predicted']:5d} {o['precision']:6.3f} {o['recall']:6.3f} "
          f"{o['f1']:6.3f} {o['value_recall']:8.3f}")
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as stream:
            write_errors(directory, stream)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
