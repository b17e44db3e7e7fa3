"""How good and how fast the narrative reader is (issue 20, item 6).

    .venv/bin/python benchmarks/narrative.py [--devset FILE] [--pages 60] [--details]

1. Suggested objectives on the labelled development set (benchmarks/narrative-devset/):
   per language, the share of passages whose labelled objective is the first suggestion
   (top-1) and among the first three (top-3). A passage is read as a reading would read it
   under a heading that names no objective: only its words count (the source's heading was
   removed from the text when the set was made). A passage with several labels counts as
   found when any of them is.
2. The time to read a 60-page review, as a DOCX and as a PDF, generated here from text that
   is marked synthetic on every page (the DOCX by tests/docx_builder.py; WeasyPrint for the PDF): the first reading
   in a fresh process (libraries and the language model loaded) and a second one.
Goals (docs/narrative-method.md): top-3 >= 0.80 and top-1 >= 0.55 in each of en, es, fr;
60 pages in under 5 s.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from _common import ROOT

DEVSET = ROOT / "benchmarks" / "narrative-devset" / "devset.yaml"


def evaluate(path: Path, details: bool) -> dict[str, tuple[int, float, float]]:
    from gcmtrack.common.assets import load_yaml
    from gcmtrack.narrative.language import detect
    from gcmtrack.narrative.suggest import suggest

    entries = load_yaml(path)["passages"]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for entry in entries:
        labels = {int(n) for n in (entry["objectives"] if isinstance(entry["objectives"], list) else [entry["objectives"]])}
        text = str(entry["text"])
        lang = detect(text) or entry["lang"]
        got = [s.objective for s in suggest(text, (), lang)]
        row = counts[entry["lang"]]
        row[0] += 1
        row[1] += bool(got[:1] and got[0] in labels)
        row[2] += bool(labels & set(got[:3]))
        if details and not (got[:1] and got[0] in labels):
            print(f"  miss {entry['id']:<10} {entry['lang']} labels {sorted(labels)} got {got} (read as {lang})")
    return {lang: (n, top1 / n, top3 / n) for lang, (n, top1, top3) in sorted(counts.items())}


SYNTHETIC = "SYNTHETIC TEXT FOR BENCHMARKING - not a real review"
_SENTENCES = [
    "The ministry of labour reviewed {n} recruitment agencies and published the fees they may charge.",
    "A survey of {n} households measured how migrants take part in the labour market.",
    "Border posts at {n} crossings share advance passenger information with the immigration service.",
    "The consular network assisted {n} nationals abroad through mobile consulates.",
    "Schools enrolled {n} migrant children whatever the status of their parents.",
    "The central bank compared the cost of remittances in {n} corridors.",
    "A reintegration programme supported {n} returnees with small business grants.",
    "Training on the identification of victims of trafficking reached {n} officials.",
]


def _vocabulary() -> list[str]:
    """Some 2,000 distinct English words (the objectives' titles and action labels, and common
    words), so that the synthetic text does not repeat a handful of sentences."""
    import random
    import re

    from gcmtrack.reference.framework import framework

    words: set[str] = set()
    for objective in framework().objectives.values():
        words.update(re.findall(r"[a-z]{3,}", objective.title.en.lower()))
        for action in objective.actions:
            words.update(re.findall(r"[a-z]{3,}", action.label.lower()))
    rng = random.Random(20)
    letters = "etaoinshrdlucmfwypvbgk"
    while len(words) < 2000:  # invented words stand for the names and rarer terms of a real text
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(4, 11))))
    return sorted(words)


def synthetic_paragraphs(pages: int, per_page: int = 7):
    import random

    rng = random.Random(60)
    vocabulary = _vocabulary()
    for page in range(1, pages + 1):
        yield page, None, f"{SYNTHETIC} - page {page}"
        if page % 3 == 1:
            yield page, "heading", f"Objective {(page // 3) % 23 + 1}"
        for k in range(per_page):
            n = page * 100 + k
            sentences = [_SENTENCES[(page + k + j) % len(_SENTENCES)].format(n=n + j) for j in range(2)]
            sentences.append(" ".join(rng.choice(vocabulary) for _ in range(30)).capitalize() + ".")
            yield page, "p", " ".join(sentences)


def synthetic_docx(pages: int) -> bytes:
    from tests.docx_builder import Docx

    document = Docx().heading(SYNTHETIC, 0)
    last = 1
    for page, kind, text in synthetic_paragraphs(pages):
        if page != last:
            document.paragraph(page_break=True)
            last = page
        if kind == "heading":
            document.heading(text, 1)
        else:
            document.paragraph(text)
    return document.bytes()


def synthetic_pdf(pages: int) -> bytes:
    from html import escape

    from weasyprint import HTML

    body, last = [], 1
    for page, kind, text in synthetic_paragraphs(pages):
        style = ' style="page-break-before: always"' if page != last else ""
        last = page
        tag = "h2" if kind == "heading" else "p"
        body.append(f"<{tag}{style}>{escape(text)}</{tag}>")
    html = ("<html><head><style>@page { size: A4; margin: 2cm } body { font: 10.5pt sans-serif }"
            " h2 { font-size: 15pt }</style></head><body>" + "".join(body) + "</body></html>")
    return HTML(string=html).write_pdf()


def time_reading(path: Path) -> tuple[float, float, int, int]:
    """(first reading in a fresh process, second reading, passages, pages) of a file."""
    code = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "start = time.perf_counter()\n"
        "from gcmtrack.narrative import read_document\n"
        f"data = open({str(path)!r}, 'rb').read()\n"
        f"r = read_document(data, {path.name!r})\n"
        "first = time.perf_counter() - start\n"
        "start = time.perf_counter()\n"
        f"r = read_document(data, {path.name!r})\n"
        "second = time.perf_counter() - start\n"
        "assert r.ok, [p.code for p in r.problems]\n"
        "print(first, second, len(r.passages), r.pages or 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), int(out[3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--details", action="store_true", help="list the passages whose first suggestion is wrong")
    args = parser.parse_args()

    print(f"Suggested objectives on {args.devset.relative_to(ROOT) if args.devset.is_relative_to(ROOT) else args.devset}")
    print(f"  {'lang':<6}{'passages':>9}{'top-1':>8}{'top-3':>8}   goal: top-1 >= 0.55, top-3 >= 0.80")
    for lang, (n, top1, top3) in evaluate(args.devset, args.details).items():
        ok = "ok" if top1 >= 0.55 and top3 >= 0.80 else "below goal"
        print(f"  {lang:<6}{n:>9}{top1:>8.2f}{top3:>8.2f}   {ok}")

    print(f"\nReading a {args.pages}-page review (synthetic text), goal < 5 s")
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for name, make in (("review.docx", synthetic_docx), ("review.pdf", synthetic_pdf)):
            path = Path(folder) / name
            started = time.perf_counter()
            path.write_bytes(make(args.pages))
            made = time.perf_counter() - started
            first, second, passages, pages = time_reading(path)
            size = path.stat().st_size / 1024
            print(f"  {name:<12} {size:>7.0f} KB, {passages} passages{f', {pages} pages' if pages else ''}:"
                  f" first reading {first:.2f} s (fresh process, models loaded), again {second:.2f} s"
                  f"  [generated in {made:.1f} s]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
