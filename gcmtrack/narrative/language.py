"""The language of a passage, by py3langid (a maintained fork of langid.py: a naive Bayes model
of byte n-grams that ships inside the package, deterministic, about 20 µs a passage), restricted
to the languages reviews are written in here: the six UN languages and Portuguese. Restricting
it keeps short passages from being taken for a language no review uses."""

from __future__ import annotations

import re
from functools import cache

DETECTED = ("en", "es", "fr", "ar", "zh", "ru", "pt")
MIN_LETTERS = 25
"""A passage with fewer letters than this takes the document's main language: a name, a
number or a heading says too little."""

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(DETECTED))
    return identifier


def detect(text: str) -> str | None:
    """The language of `text` (ISO 639-1), or None when it is too short to tell."""
    if len(_LETTERS.findall(text[:2000])) < MIN_LETTERS:
        return None
    lang, _confidence = _identifier().classify(text[:2000])
    return lang
