"""Suggested objectives for a passage: deterministic, offline, explained. See
docs/narrative-method.md for the method, its data and how it was tuned.

1. Structure first: the innermost heading above the passage that names objectives (see
   structure.objectives_named) assigns them, with confidence 0.95 (0.9 for the second and
   third it names), `by_heading` and the heading as the reason.
2. Otherwise, and to fill the remaining places: lexical similarity in the passage's language
   (English, Spanish or French; another language is compared in all three and the best kept)
   between the passage and each objective's words: its title and short label (weight 3), the
   curated terms of words.yaml (weight 2), the English action labels (weight 1). Words are
   lower-cased, stop words dropped, stemmed by the Snowball stemmer of the language, accents
   folded; single stems and pairs of neighbouring stems both count, so "trata de personas" is
   not "tráfico de migrantes". Each objective is a TF-IDF vector over the 23; the passage's is
   (1 + log tf) x idf; the score is their cosine, plus 0.3 for an objective the passage names
   itself ("objective 7"). Confidence: a softmax of the scores (temperature 0.04), damped
   when the best score is weak (x min(1, best / 0.12)). Reasons: the passage's words that
   contributed most to that objective.
   The headings above the passage that name no objective ("Return and reintegration" in a review
   organised by theme) count as context: their words join the passage's at half weight for the
   nearest heading, a quarter for the one above it, and so on; the heading that contributed most
   to an objective is among its reasons ("under: …").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

from gcmtrack.narrative.model import HEADING_REASON, UNDER_REASON, Suggestion, mention_reason
from gcmtrack.narrative.structure import objectives_named

MODEL_LANGS = ("en", "es", "fr")
_STEMMER_NAMES = {"en": "english", "es": "spanish", "fr": "french"}
HEADING_CONFIDENCE = 0.95
TEMPERATURE = 0.04
WEAK_SCORE = 0.12
MENTION_BONUS = 0.3
MAX_SUGGESTIONS = 3
MIN_CONTENT_WORDS = 3
"""A passage with fewer distinct content words gets no suggestion by its words (a table's header
row, a name): a cosine over one or two words says little."""
CONTEXT_WEIGHT = 0.5
"""Weight of the nearest heading's words beside the passage's own (1); it halves at each level up."""

_STOP = {
    "en": """a an the and or of to in on for with by from at as is are was were be been being this that these those it its
    which who whom whose their there they them we our us i you he she his her has have had do does did not no nor but if
    than then so such also into over under between through during about after before more most other some any all each
    both can could may might must shall should will would very per including include includes well within without
    government national country countries ministry programme program project state migrants migrant migration""",
    "es": """el la los las un una unos unas y e o u de del al a en con por para sin sobre entre desde hasta que quien
    cuyo su sus se lo le les es son fue fueron ser sido este esta estos estas ese esa esos esas como más menos también
    ya no ni pero si cada todo todos toda todas otro otra otros otras mediante así dicho dicha gobierno nacional país
    países ministerio programa proyecto estado migrantes migrante migración migratoria migratorio personas""",
    "fr": """le la les l un une des du de d et ou à au aux en dans par pour sur avec sans sous entre que qui dont
    où ce cet cette ces son sa ses leur leurs se est sont été être a ont il elle ils elles on nous vous ne pas plus moins
    aussi ainsi comme tout tous toute toutes autre autres chaque afin lors gouvernement national pays ministère
    programme projet état migrants migrant migration migratoire migratoires personnes""",
}

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def _strip(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@cache
def _stemmer(lang: str):
    import snowballstemmer

    return snowballstemmer.stemmer(_STEMMER_NAMES[lang])


@cache
def _stopwords(lang: str) -> frozenset[str]:
    words = _STOP[lang].split()
    return frozenset(words) | frozenset(_strip(w) for w in words)


@lru_cache(maxsize=200_000)
def _stem(lang: str, word: str) -> str:
    """A word's stem with its accents folded (cached: stemming is most of the method's time)."""
    return _strip(_stemmer(lang).stemWord(word))


def tokens(text: str, lang: str) -> list[tuple[str, str]]:
    """(stem, word as written) of each content word of `text`."""
    stop = _stopwords(lang)
    out = []
    for match in _WORD.finditer(text.lower().replace("’", "'")):
        word = match.group(0)
        for part in re.split(r"['-]", word):
            if len(part) < 3 or part in stop:
                continue
            out.append((_stem(lang, part), part))
    return out


def features(text: str, lang: str, words: list[tuple[str, str]] | None = None) -> Counter:
    """Counts of the stems and of the pairs of neighbouring stems of `text` (or of its `words`,
    when the caller has them already)."""
    stems = [stem for stem, _ in (tokens(text, lang) if words is None else words)]
    counts = Counter(stems)
    counts.update(f"{a} {b}" for a, b in zip(stems, stems[1:]))
    return counts


@dataclass(frozen=True)
class _Model:
    vectors: dict[int, dict[str, float]]
    norms: dict[int, float]
    idf: dict[str, float]


@cache
def _model(lang: str) -> _Model:
    from gcmtrack.common.assets import load_yaml, package_file
    from gcmtrack.reference.framework import framework

    words = load_yaml(package_file("gcmtrack.narrative", "words.yaml"))["objectives"]
    raw: dict[int, Counter] = {}
    for number, objective in framework().objectives.items():
        counts: Counter = Counter()
        for text in (getattr(objective.title, lang, None), getattr(objective.label, lang, None)):
            if text:
                for feature, n in features(text, lang).items():
                    counts[feature] += 3 * n
        for term in words.get(number, {}).get(lang, []):
            for feature in features(str(term), lang):
                counts[feature] += 2
        if lang == "en":
            for action in objective.actions:
                for feature in features(action.label, lang):
                    counts[feature] += 1
        raw[number] = counts
    df: Counter = Counter()
    for counts in raw.values():
        df.update(counts.keys())
    total = len(raw)
    idf = {feature: math.log((total + 1) / (n + 0.5)) for feature, n in df.items()}
    vectors, norms = {}, {}
    for number, counts in raw.items():
        vector = {f: (1 + math.log(n)) * idf[f] for f, n in counts.items() if idf[f] > 0}
        vectors[number] = vector
        norms[number] = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return _Model(vectors, norms, idf)


def _weighted(counts: Counter, idf: dict[str, float], weight: float = 1.0) -> dict[str, float]:
    return {f: weight * (1 + math.log(n)) * idf[f] for f, n in counts.items() if idf.get(f, 0) > 0}


def lexical_scores(text: str, lang: str, context: tuple[str, ...] = ()) -> tuple[dict[int, float], dict[int, list[str]]]:
    """(objective -> cosine score, objective -> the words that matched, strongest first, and
    "under: <heading>" when one of the `context` headings, outermost first, added to it)."""
    model = _model(lang)
    words = tokens(text, lang)
    counts = features(text, lang, words)
    surface: dict[str, str] = {}
    for stem, word in words:
        surface.setdefault(stem, word)
    own = _weighted(counts, model.idf)
    query = dict(own)
    by_heading: list[tuple[str, dict[str, float]]] = []
    for depth, heading in enumerate(reversed(context)):
        weighted = _weighted(features(heading, lang), model.idf, CONTEXT_WEIGHT / 2 ** depth)
        by_heading.append((heading, weighted))
        for feature, value in weighted.items():
            query[feature] = query.get(feature, 0.0) + value
    qnorm = math.sqrt(sum(v * v for v in query.values())) or 1.0
    scores: dict[int, float] = {}
    reasons: dict[int, list[str]] = {}
    for number, vector in model.vectors.items():
        contributions = {f: q * vector[f] for f, q in query.items() if f in vector}
        if not contributions:
            continue
        scores[number] = sum(contributions.values()) / (qnorm * model.norms[number])
        words = []
        mine = [(f, own[f] * vector[f]) for f in contributions if f in own]
        for feature, _value in sorted(mine, key=lambda item: (-item[1], item[0])):
            shown = " ".join(surface.get(stem, stem) for stem in feature.split(" "))
            if shown not in words and not any(shown in w for w in words):
                words.append(shown)
            if len(words) == 4:
                break
        added = [(sum(v * vector[f] for f, v in weighted.items() if f in vector), -depth, heading)
                 for depth, (heading, weighted) in enumerate(by_heading)]
        best = max(added, default=(0.0, 0, ""))
        if best[0] > 0:
            words.append(f"{UNDER_REASON}{best[2][:200]}")
        reasons[number] = words
    return scores, reasons


def suggest(text: str, headings: tuple[str, ...], lang: str | None) -> tuple[Suggestion, ...]:
    """Up to three suggestions for a passage, best first."""
    out: list[Suggestion] = []
    named_by = [(heading, objectives_named(heading)) for heading in headings]
    for heading, named in reversed(named_by):
        if named:
            for index, number in enumerate(named[:MAX_SUGGESTIONS]):
                out.append(Suggestion(number, HEADING_CONFIDENCE if index == 0 else 0.9,
                                      (f"{HEADING_REASON}{heading[:200]}",), True))
            break
    context = tuple(heading for heading, named in named_by if not named)
    if len(out) >= MAX_SUGGESTIONS:
        return tuple(out)
    if len({stem for model_lang in ((lang,) if lang in MODEL_LANGS else MODEL_LANGS)
            for stem, _ in tokens(text, model_lang)}) < MIN_CONTENT_WORDS:
        return tuple(out)  # "Measure | Status": too few words to suggest anything by them
    langs = (lang,) if lang in MODEL_LANGS else MODEL_LANGS
    best_scores: dict[int, float] = defaultdict(float)
    best_reasons: dict[int, list[str]] = {}
    for model_lang in langs:
        scores, reasons = lexical_scores(text, model_lang, context)
        for number, score in scores.items():
            if score > best_scores[number]:
                best_scores[number] = score
                best_reasons[number] = reasons[number]
    for number in objectives_named(text, numbered_only=True):
        best_scores[number] += MENTION_BONUS
        best_reasons[number] = [mention_reason(number)] + best_reasons.get(number, [])[:3]
    ranked = sorted(((s, n) for n, s in best_scores.items() if s > 0), key=lambda item: (-item[0], item[1]))
    if not ranked:
        return tuple(out)
    top = ranked[0][0]
    exps = [math.exp((s - top) / TEMPERATURE) for s, _ in ranked]
    total = sum(exps)
    damp = min(1.0, top / WEAK_SCORE)
    taken = {s.objective for s in out}
    scale = 0.5 if out else 1.0  # below a heading's assignment
    for (score, number), weight in zip(ranked, exps):
        if len(out) >= MAX_SUGGESTIONS:
            break
        if number in taken:
            continue
        confidence = round(weight / total * damp * scale, 3)
        if confidence < 0.01 and len(out) >= 1:
            break
        out.append(Suggestion(number, confidence, tuple(best_reasons.get(number, ())), False))
    return tuple(out)
