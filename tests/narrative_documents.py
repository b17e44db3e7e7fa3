"""Real-looking narrative reviews built in the tests: a 30-page DOCX (python-docx) and a 30-page
PDF (WeasyPrint from HTML) in English, Spanish or French, organised by objective as many
voluntary GCM reviews are. Their content is test content and says so; nothing is downloaded."""

from __future__ import annotations

import io
from functools import cache
from html import escape

# The objectives each document reports on, and what it says about them (test content).
OBJECTIVES = (1, 5, 7, 14, 20, 23)
MARK = {"en": "test content", "es": "contenido de prueba", "fr": "contenu de test"}
TITLE = {"en": "Voluntary GCM review of {state} (test document)",
         "es": "Examen voluntario del Pacto Mundial para la Migración: {state} (documento de prueba)",
         "fr": "Examen volontaire du Pacte mondial sur les migrations : {state} (document de test)"}
HEADING = {"en": "Objective {n}: {title}", "es": "Objetivo {n}: {title}", "fr": "Objectif {n} : {title}"}
INTRO = {"en": "This review was prepared by the national coordination mechanism for the regional review. "
               "It describes the measures taken since the last cycle, objective by objective ({mark}).",
         "es": "Este examen fue preparado por el mecanismo nacional de coordinación para el examen regional. "
               "Describe las medidas adoptadas desde el último ciclo, objetivo por objetivo ({mark}).",
         "fr": "Cet examen a été préparé par le mécanisme national de coordination pour l’examen régional. "
               "Il décrit les mesures prises depuis le dernier cycle, objectif par objectif ({mark})."}
BODY = {
    "en": ["The ministry reports that the measure under objective {n} is in place in {k} regions and that a "
           "review of its results is planned for next year; partners include local authorities and civil "
           "society organisations ({mark}, passage {k}).",
           "A working group met {k} times to follow up on objective {n}; its minutes are published and its "
           "budget was renewed for two years ({mark})."],
    "es": ["El ministerio informa que la medida del objetivo {n} está vigente en {k} regiones y que se prevé "
           "una evaluación de sus resultados el próximo año; participan autoridades locales y organizaciones de "
           "la sociedad civil ({mark}, pasaje {k}).",
           "Un grupo de trabajo se reunió {k} veces para dar seguimiento al objetivo {n}; sus actas se publican "
           "y su presupuesto se renovó por dos años ({mark})."],
    "fr": ["Le ministère indique que la mesure de l’objectif {n} est en place dans {k} régions et qu’une "
           "évaluation de ses résultats est prévue l’an prochain ; les autorités locales et des organisations "
           "de la société civile y participent ({mark}, passage {k}).",
           "Un groupe de travail s’est réuni {k} fois pour suivre l’objectif {n} ; ses comptes rendus sont "
           "publiés et son budget a été reconduit pour deux ans ({mark})."],
}
PAGES = 30
PER_OBJECTIVE = PAGES // len(OBJECTIVES)  # pages per objective after the title page
PARAGRAPHS_PER_PAGE = 5


def _title(n: int, lang: str) -> str:
    from gcmtrack.reference.framework import framework

    return framework().objectives[n].title(lang)


def sections(state: str, lang: str):
    """(heading, [[paragraphs of a page], …]) per objective, the same for the DOCX and the PDF."""
    out = []
    for n in OBJECTIVES:
        pages = []
        for page in range(PER_OBJECTIVE):
            pages.append([BODY[lang][k % 2].format(n=n, k=page * PARAGRAPHS_PER_PAGE + k + 1, mark=MARK[lang])
                          for k in range(PARAGRAPHS_PER_PAGE)])
        out.append((HEADING[lang].format(n=n, title=_title(n, lang)), pages))
    return out


@cache
def review_docx(state: str, lang: str) -> bytes:
    """A Word document as Word writes one (tests/docx_builder.py: gcmtrack reads DOCX with its own
    reader and does not depend on python-docx)."""
    from tests.docx_builder import Docx

    document = Docx().heading(TITLE[lang].format(state=state), 0).paragraph(INTRO[lang].format(mark=MARK[lang]))
    for heading, pages in sections(state, lang):
        document.paragraph(page_break=True).heading(heading, 1)
        for number, paragraphs in enumerate(pages):
            if number:
                document.paragraph(page_break=True)
            for text in paragraphs:
                document.paragraph(text)
    return document.bytes()


@cache
def review_pdf(state: str, lang: str) -> bytes:
    from weasyprint import HTML

    parts = [f"<h1>{escape(TITLE[lang].format(state=state))}</h1><p>{escape(INTRO[lang].format(mark=MARK[lang]))}</p>"]
    for heading, pages in sections(state, lang):
        for number, paragraphs in enumerate(pages):
            head = f"<h2>{escape(heading)}</h2>" if number == 0 else ""
            parts.append('<section class="page">' + head + "".join(f"<p>{escape(t)}</p>" for t in paragraphs)
                         + "</section>")
    html = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>'
            "@page { size: A4; margin: 2cm } body { font-family: 'DejaVu Sans', sans-serif; font-size: 11pt } "
            "h1 { font-size: 20pt } h2 { font-size: 15pt } .page { break-before: page }"
            f"</style></head><body>{''.join(parts)}</body></html>")
    return HTML(string=html).write_pdf()
