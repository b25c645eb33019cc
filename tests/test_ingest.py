"""Reading files, directories and stdin: good sources come through, bad ones fail with a reason."""

from __future__ import annotations

import builtins
import hashlib
import io
import os
from pathlib import Path

import pytest

from detente.ingest import SUPPORTED_SUFFIXES, IngestLimits, document_from_bytes, iter_sources, sniff_kind
from detente.ingest.text import normalise_text
from detente.model import SourceDocument, SourceFailure

GOOD_TEXT = "Russia and North Korea signed a border treaty.\n\nBoth sides praised the talks.\n"
GOOD_HTML = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Kim meets Putin in Vladivostok</title>
<meta property="article:published_time" content="2019-04-25">
<script>document.write("never run")</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article>
<h1>Kim meets Putin in Vladivostok</h1>
<p>North Korean leader Kim Jong Un met Russian President Vladimir Putin on Russky Island for
their first summit, discussing the nuclear standoff and the sanctions imposed on Pyongyang.</p>
<p>The two leaders spoke for several hours and agreed to keep talking about economic ties,
although no agreement on new aid was announced after the meeting ended.</p>
</article>
<footer>Copyright 2019</footer>
</body></html>
"""


def make_pdf(page_texts: list[str], title: str = "", creation_date: str = "") -> bytes:
    """A minimal valid PDF, one text line per page, built by hand so tests need no PDF library."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(page_texts))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_texts)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for page_id, text in zip(page_ids, page_texts):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1") if text else b""
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_id + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info_parts = []
    if title:
        info_parts.append(f"/Title ({title})")
    if creation_date:
        info_parts.append(f"/CreationDate ({creation_date})")
    info_id = None
    if info_parts:
        objects.append(("<< " + " ".join(info_parts) + " >>").encode())
        info_id = len(objects)

    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R" + (f" /Info {info_id} 0 R" if info_id else "") + " >>"
    out += b"trailer\n" + trailer.encode() + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "b_good.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "c_good.pdf").write_bytes(
        make_pdf(["Moscow and Pyongyang restored rail links.", "Trade grew slowly."],
                 title="Rail links", creation_date="D:20190425103000Z")
    )
    (folder / "d_empty.txt").write_bytes(b"")
    (folder / "e_binary.txt").write_bytes(bytes(range(256)) * 8)  # over the limit, yet called binary
    (folder / "f_invalid_utf8.txt").write_bytes(
        "Kim Il Sung’s résumé: a Soviet captain. ".encode() + b"\xff\xfe" + " The rest is fine.".encode()
    )
    (folder / "g_zero.pdf").write_bytes(b"")
    (folder / "h_corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\ngarbage garbage\n")
    (folder / "i_large.txt").write_text("word " * 400, encoding="utf-8")  # 2000 bytes
    (folder / "j_unreadable.txt").write_text("secret", encoding="utf-8")
    (folder / "k_scanned.pdf").write_bytes(make_pdf([""]))
    (folder / "ignored.docx").write_bytes(b"PK\x03\x04 not read in a walk")
    (folder / ".hidden.txt").write_text("hidden files are not read", encoding="utf-8")
    sub = folder / "sub"
    sub.mkdir()
    (sub / "nested.md").write_text("# Nested title\n\nText in a subfolder.\n", encoding="utf-8")
    (sub / "loop").symlink_to(folder, target_is_directory=True)  # points back at an ancestor
    (folder / "z_broken.txt").symlink_to(folder / "does-not-exist.txt")
    return folder


@pytest.fixture()
def unreadable(monkeypatch: pytest.MonkeyPatch, corpus: Path) -> Path:
    """Make j_unreadable.txt unreadable: chmod 000, and since root ignores file modes, also make
    opening exactly that path fail as the kernel would for another user."""
    target = corpus / "j_unreadable.txt"
    target.chmod(0)
    if os.geteuid() == 0:
        real_open = builtins.open

        def refusing_open(file, *args, **kwargs):
            if os.fspath(file) == os.fspath(target):
                raise PermissionError(13, "Permission denied", os.fspath(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", refusing_open)
    return target


def by_name(items, root: Path) -> dict[str, SourceDocument | SourceFailure]:
    return {os.path.relpath(item.name, root): item for item in items}


def test_directory_walk_reads_good_files_and_reports_each_failure(corpus: Path, unreadable: Path):
    items = list(iter_sources([str(corpus)], IngestLimits(max_bytes=1024)))
    found = by_name(items, corpus)

    documents = {name for name, item in found.items() if isinstance(item, SourceDocument)}
    assert documents == {"a_good.txt", "b_good.html", "c_good.pdf", "f_invalid_utf8.txt", "sub/nested.md"}

    reasons = {name: (item.reason, item.status) for name, item in found.items() if isinstance(item, SourceFailure)}
    assert reasons == {
        "d_empty.txt": ("empty file", "skipped"),
        "e_binary.txt": ("binary file", "failed"),
        "g_zero.pdf": ("empty file", "skipped"),
        "h_corrupt.pdf": (reasons["h_corrupt.pdf"][0], "failed"),
        "i_large.txt": ("too large: 2.0 KB > limit 1.0 KB", "failed"),
        "j_unreadable.txt": ("permission denied", "failed"),
        "k_scanned.pdf": ("no text (scanned PDF?)", "skipped"),
        "sub/loop": ("symlink loop", "failed"),
        "z_broken.txt": ("broken symlink", "failed"),
    }
    assert reasons["h_corrupt.pdf"][0].startswith("corrupt PDF: ")
    # sorted, depth-first order: deterministic across runs and machines
    assert [os.path.relpath(item.name, corpus) for item in items] == sorted(found, key=lambda n: n.split("/"))


def test_good_files_carry_text_title_date_and_hash(corpus: Path):
    found = by_name(iter_sources([str(corpus)]), corpus)
    text = found["a_good.txt"]
    assert text.text == GOOD_TEXT.rstrip("\n")
    assert text.sha256 == hashlib.sha256(GOOD_TEXT.encode()).hexdigest()
    assert text.name == os.path.join(str(corpus), "a_good.txt")
    assert text.warnings == [] and text.url == ""

    html = found["b_good.html"]
    assert html.title == "Kim meets Putin in Vladivostok"
    assert html.metadata_date == "2019-04-25"
    assert "first summit" in html.text and "no agreement on new aid" in html.text
    assert "never run" not in html.text and "About" not in html.text

    pdf = found["c_good.pdf"]
    assert pdf.text == "Moscow and Pyongyang restored rail links.\n\nTrade grew slowly."
    assert pdf.title == "Rail links" and pdf.metadata_date == "2019-04-25"

    assert found["sub/nested.md"].title == "Nested title"


def test_invalid_utf8_is_replaced_and_counted(corpus: Path):
    item = document_from_bytes("x.txt", (corpus / "f_invalid_utf8.txt").read_bytes(), "text")
    assert isinstance(item, SourceDocument)
    assert item.warnings == ["invalid UTF-8: 2 bytes replaced"]
    assert "résumé" in item.text and "\ufffd" in item.text


def test_legacy_encoding_is_detected_and_reported():
    raw = "The Kremlin’s “strategic convenience” – a café in Pyongyang.".encode("cp1252")
    item = document_from_bytes("legacy.txt", raw, "text")
    assert item.text == "The Kremlin’s “strategic convenience” – a café in Pyongyang."
    assert item.warnings == ["decoded as cp1252"]


def test_iteration_is_lazy(corpus: Path, monkeypatch: pytest.MonkeyPatch):
    stream = iter_sources([str(corpus)])
    first = next(stream)
    assert isinstance(first, SourceDocument) and first.name.endswith("a_good.txt")
    # The rest of the folder has not been read: deleting a later file now is seen later.
    (corpus / "sub" / "nested.md").unlink()
    assert not any(item.name.endswith("nested.md") for item in stream)


def test_glob_selects_files_of_a_walk(corpus: Path):
    names = [os.path.relpath(i.name, corpus) for i in iter_sources([str(corpus)], glob="*.md")]
    assert names == ["sub/loop", "sub/nested.md"]  # the loop is still reported, files filtered


def test_explicit_paths_are_sniffed_and_missing_ones_fail(tmp_path: Path):
    (tmp_path / "page.data").write_text(GOOD_HTML, encoding="utf-8")
    (tmp_path / "paper.bin").write_bytes(make_pdf(["Sniffed PDF text."]))
    (tmp_path / "notes.log").write_text("Plain notes.", encoding="utf-8")
    (tmp_path / "blob.dat").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    inputs = [str(tmp_path / n) for n in ("page.data", "paper.bin", "notes.log", "blob.dat", "self.txt", "nope.txt")]
    items = list(iter_sources(inputs))
    assert [type(i).__name__ for i in items[:3]] == ["SourceDocument"] * 3
    assert items[0].title == "Kim meets Putin in Vladivostok"
    assert items[1].text == "Sniffed PDF text."
    assert items[2].text == "Plain notes."
    assert [(i.reason, i.status) for i in items[3:]] == [
        ("binary file", "failed"), ("symlink loop", "failed"), ("not found", "failed")]


def test_follow_symlinks_off_skips_linked_entries(corpus: Path):
    names = {os.path.relpath(i.name, corpus) for i in iter_sources([str(corpus)], IngestLimits(follow_symlinks=False))}
    assert "sub/loop" not in names and "z_broken.txt" not in names and "a_good.txt" in names


def test_stdin_is_read_and_sniffed():
    items = list(iter_sources(["-"], stdin=io.BytesIO(GOOD_HTML.encode())))
    assert len(items) == 1 and items[0].name == "<stdin>"
    assert items[0].metadata_date == "2019-04-25"
    empty = list(iter_sources(["-"], stdin=io.BytesIO(b"")))
    assert empty == [SourceFailure("<stdin>", "empty file", "skipped")]
    big = list(iter_sources(["-"], IngestLimits(max_bytes=10), stdin=io.BytesIO(b"x" * 50)))
    assert big == [SourceFailure("<stdin>", "too large: over limit 10 bytes")]


def test_normalisation_keeps_text_but_fixes_layout():
    assert normalise_text("Cafe\u0301  \r\nline two\t\r\n\r\n\r\n\r\nend\n\n") == "Café\nline two\n\nend"


def test_sniffing():
    assert sniff_kind(b"%PDF-1.7 ...") == "pdf"
    assert sniff_kind(b"\n  <!doctype html><p>x") == "html"
    assert sniff_kind(b"Plain words about <html> tags.") == "text"
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".html", ".htm", ".pdf")


def test_html_without_main_text_falls_back_to_visible_text():
    item = document_from_bytes("tiny.html", b"<html><body><div>Only a line.</div></body></html>", "html")
    assert isinstance(item, SourceDocument) and item.text == "Only a line."


def test_unreadable_seeds_are_read_when_present():
    seeds = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds not present (third-party corpus is not part of the repo)")
    items = list(iter_sources([str(seeds)]))
    assert len(items) == 5 and all(isinstance(i, SourceDocument) and not i.warnings for i in items)


def test_an_unexpected_error_in_one_source_does_not_stop_the_stream(tmp_path: Path, monkeypatch):
    import detente.ingest.sources as sources

    (tmp_path / "a.txt").write_text("first", encoding="utf-8")
    (tmp_path / "b.txt").write_text("second", encoding="utf-8")
    real = sources.document_from_bytes

    def exploding(name, raw, *args, **kwargs):
        if name.endswith("a.txt"):
            raise RuntimeError("parser bug")
        return real(name, raw, *args, **kwargs)

    monkeypatch.setattr(sources, "document_from_bytes", exploding)
    items = list(iter_sources([str(tmp_path)]))
    assert items[0].reason == "unexpected error: RuntimeError: parser bug"
    assert items[1].text == "second"


def test_html_charset_labels_are_honoured(tmp_path: Path):
    page = '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><p>Caf\x93e\x94 talks.</p></body></html>'
    item = document_from_bytes("legacy.html", page.encode("latin-1"), "html")  # 0x93/0x94: cp1252 quotes
    assert item.title == "Café" and "Caf“e” talks." in item.text and item.warnings == []


def test_glob_may_be_given_where_the_architecture_put_it(corpus: Path):
    names = [os.path.relpath(i.name, corpus) for i in iter_sources([str(corpus)], "*.md")]
    assert names == ["sub/loop", "sub/nested.md"]
