"""Reading narrative reviews (gcmtrack.narrative): DOCX files written part by part inside the
tests (tests/docx_builder.py: the parts and styles Word writes) and PDFs by WeasyPrint, their passages, places, heading paths, languages and
suggested objectives; hostile and wrong files answered with a located, coded problem, quickly
and without a traceback."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from gcmtrack.narrative import Reading, read_document
from tests.docx_builder import W, Docx
from tests.hostile import raw_zip, zip_bytes


# ------------------------------------------------------------------------------ builders

def build_docx(build) -> bytes:
    document = Docx()
    build(document)
    return document.bytes()


def review_docx() -> bytes:
    def build(d):
        d.heading("Voluntary GCM review", 0)                                       # 1
        d.heading("Objective 1: Data", 1)                                          # 2
        d.paragraph("The statistics office added questions on country of birth to the census.")  # 3
        d.paragraph("The following measures were taken:")                          # 4
        d.paragraph("a labour force survey module", "ListBullet")                 # 5
        d.paragraph("a migration observatory", "ListBullet")                      # 6
        d.heading("Objetivo 10: Trata de personas", 1)                             # 7
        d.paragraph("Se aprobó un protocolo para la identificación de víctimas de trata de personas.")  # 8
        d.heading("Objectif 20", 1)                                                # 9
        d.heading("Coûts", 2)                                                      # 10
        d.paragraph("La banque centrale publie chaque trimestre le coût des envois de fonds.")  # 11
        d.heading("Other measures", 1)                                             # 12
        d.table([["Measure", "Status"],                                            # 13
                 ["Mobile consulates visit nationals abroad for consular protection", "Implemented"]])  # 14
        d.paragraph("The social security agreements keep the pension rights of workers who move.")  # 15

    return build_docx(build)


def places(reading: Reading) -> list[tuple]:
    return [(p.page, p.paragraph, p.kind, p.headings[-1] if p.headings else None) for p in reading.passages]


def codes(reading: Reading) -> list[tuple]:
    return [(p.code, getattr(p, "page", None)) for p in reading.problems]


# ------------------------------------------------------------------------------ DOCX

def test_a_docx_review_is_cut_into_passages_with_their_places_and_headings():
    reading = read_document(review_docx(), "review.docx")
    assert reading.ok and reading.kind == "docx" and reading.pages is None and not reading.problems
    assert places(reading) == [
        (None, 3, "paragraph", "Objective 1: Data"),
        (None, 4, "list", "Objective 1: Data"),
        (None, 8, "paragraph", "Objetivo 10: Trata de personas"),
        (None, 11, "paragraph", "Coûts"),
        (None, 13, "table-row", "Other measures"),
        (None, 14, "table-row", "Other measures"),
        (None, 15, "paragraph", "Other measures"),
    ]
    lead_in = reading.passages[1]
    assert lead_in.text == "The following measures were taken:\n• a labour force survey module\n• a migration observatory"
    assert reading.passages[3].headings == ("Voluntary GCM review", "Objectif 20", "Coûts")
    assert reading.passages[5].text == "Mobile consulates visit nationals abroad for consular protection | Implemented"
    assert [p.number for p in reading.passages] == list(range(1, 8))


def test_headings_naming_an_objective_assign_the_passages_under_them_in_three_languages():
    reading = read_document(review_docx(), "review.docx")
    first = [p.suggestions[0] for p in reading.passages[:4]]
    assert [(s.objective, s.by_heading) for s in first] == [(1, True), (1, True), (10, True), (20, True)]
    assert first[0].reasons == ("heading: Objective 1: Data",) and first[0].confidence >= 0.9
    assert first[3].reasons == ("heading: Objectif 20",)  # the nearest heading naming one, above "Coûts"
    # under a heading that names none, the words decide, and say which
    header, consular, pensions = reading.passages[4], reading.passages[5], reading.passages[6]
    assert header.suggestions == ()  # "Measure | Status": too few words to say anything
    assert consular.suggestions[0].objective == 14 and not consular.suggestions[0].by_heading
    assert "consular protection" in consular.suggestions[0].reasons
    assert pensions.suggestions[0].objective == 22
    assert all(len(p.suggestions) <= 3 for p in reading.passages)
    assert all(0 <= s.confidence <= 1 for p in reading.passages for s in p.suggestions)


def test_each_passage_has_its_language_and_the_reading_counts_them():
    reading = read_document(review_docx(), "review.docx")
    assert [p.lang for p in reading.passages][:4] == ["en", "en", "es", "fr"]
    assert reading.languages()["en"] >= 4 and reading.languages()["es"] == 1


def test_the_reading_is_deterministic_and_survives_json():
    data = review_docx()
    first, second = read_document(data, "review.docx"), read_document(data, "review.docx")
    assert first == second
    assert Reading.from_json(first.to_json()) == first
    assert len(first.sha256) == 64


@pytest.mark.parametrize("title, expected", [
    ("OBJ 5", [5]), ("Obj. 5 – Regular pathways", [5]), ("Objetivo 5", [5]), ("Objectif 5 :", [5]),
    ("GCM Objectives 5 and 6", [5, 6]), ("Objectives 5-7", [5, 6, 7]),
    ("Provide access to basic services for migrants", [15]), ("Remesas", [20]),
    ("Gérer les frontières", [11]), ("Introduction", []), ("Annex 5", []),
])
def test_which_headings_name_an_objective(title, expected):
    from gcmtrack.narrative.structure import objectives_named

    assert objectives_named(title) == expected


def test_a_heading_by_outline_level_only_and_a_list_without_lead_in():
    def build(d):
        d.paragraph("Objectif 16 : Intégration", outline=0)
        d.paragraph("des cours de langue gratuits", "ListNumber")
        d.paragraph("des centres communautaires", numbered=True)

    reading = read_document(build_docx(build), "r.docx")
    [passage] = reading.passages
    assert passage.kind == "list" and passage.headings == ("Objectif 16 : Intégration",)
    assert passage.suggestions[0].objective == 16 and passage.suggestions[0].by_heading


# ------------------------------------------------------------------------------ hostile DOCX

def _word_parts(document_xml: str) -> dict[str, str]:
    return {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": document_xml,
    }


def _body(text: str) -> str:
    return f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'


def _docx_bomb() -> bytes:
    """document.xml inflates 8 MiB of zeros from about 8 KB (1000:1), declared truthfully."""
    import zlib

    data = bytes(8 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = compressor.compress(data) + compressor.flush()
    members = []
    for name, text in _word_parts(_body("x")).items():
        if name != "word/document.xml":
            raw = text.encode()
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append((name, c.compress(raw) + c.flush(), zipfile.ZIP_DEFLATED, zlib.crc32(raw), len(raw)))
    members.append(("word/document.xml", payload, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)))
    return raw_zip(members)


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + f']><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
XXE = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')


def _understated_bomb() -> bytes:
    """document.xml declares 1 KiB but holds 64 MiB."""
    import zlib

    data = _body("x").encode() + b" " * (64 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = compressor.compress(data) + compressor.flush()
    members = []
    for name, text in _word_parts(_body("x")).items():
        if name != "word/document.xml":
            raw = text.encode()
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append((name, c.compress(raw) + c.flush(), zipfile.ZIP_DEFLATED, zlib.crc32(raw), len(raw)))
    members.append(("word/document.xml", payload, zipfile.ZIP_DEFLATED, zlib.crc32(data), 1024))
    return raw_zip(members)


def _many_paragraphs() -> bytes:
    from gcmtrack.narrative import limits

    document = Docx()
    import random

    rng = random.Random(1)  # varied text: identical paragraphs would compress like a zip bomb
    document.body = [f"<w:p><w:r><w:t>{rng.getrandbits(64):x}</w:t></w:r></w:p>" for _ in range(limits.MAX_BLOCKS + 1)]
    return document.bytes()


def _many_parts() -> bytes:
    parts = _word_parts(_body("many"))
    parts.update({f"word/media/image{i}.png": b"x" for i in range(1200)})
    return zip_bytes(parts)


def _pdf_bytes() -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _macro_docx() -> bytes:
    parts = _word_parts(_body("macro"))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml")
    parts["word/vbaProject.bin"] = b"\x00" * 64
    return zip_bytes(parts)


HOSTILE = {
    "zip bomb": (_docx_bomb, "review.docx", ("doc-zip-bomb", None)),
    "billion laughs": (lambda: zip_bytes(_word_parts(LAUGHS)), "review.docx", ("doc-xml-forbidden", None)),
    "external entity": (lambda: zip_bytes(_word_parts(XXE)), "review.docx", ("doc-xml-forbidden", None)),
    "utf-16 entity": (lambda: zip_bytes({**_word_parts(""), "word/document.xml": XXE.encode("utf-16")}),
                      "review.docx", ("doc-xml-forbidden", None)),
    "too many parts": (_many_parts, "review.docx", ("doc-too-many-parts", None)),
    "understated zip bomb": (_understated_bomb, "review.docx", ("doc-corrupt", None)),
    "too many paragraphs": (_many_paragraphs, "review.docx", ("doc-too-many-paragraphs", None)),
    "garbage": (lambda: bytes(range(256)) * 64, "review.docx", ("doc-wrong-format", None)),
    "empty": (lambda: b"", "review.docx", ("doc-empty", None)),
    "a pdf named docx": (_pdf_bytes, "review.docx", ("doc-extension-mismatch", None)),
    "a docx named pdf": (review_docx, "review.pdf", ("doc-extension-mismatch", None)),
    "a workbook": (lambda: zip_bytes({"[Content_Types].xml": "<Types>spreadsheetml</Types>"}), "x.docx",
                   ("doc-not-a-document", None)),
    "macros": (_macro_docx, "review.docm", ("doc-extension-mismatch", None)),
    "macros named docx": (_macro_docx, "review.docx", ("doc-macros", None)),
    "truncated": (lambda: review_docx()[: len(review_docx()) * 2 // 3], "review.docx", ("doc-corrupt", None)),
    "html": (lambda: b"<!DOCTYPE html><html><body>review</body></html>", "review.docx", ("doc-wrong-format", None)),
    "word 97": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "review.doc", ("doc-wrong-format", None)),
    "no text": (lambda: build_docx(lambda d: d.paragraph("   ")), "review.docx", ("doc-no-text", None)),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_and_wrong_files_get_a_located_coded_problem_quickly(name):
    make, filename, expected = HOSTILE[name]
    data = make()
    started = time.monotonic()
    reading = read_document(data, filename)
    assert time.monotonic() - started < 5
    assert not reading.ok and reading.passages == ()
    assert codes(reading) == [expected]
    shown = reading.problems[0].to_dict("es")
    assert shown["message"] and shown["hint"] and shown["code"] == expected[0]
    assert Reading.from_json(reading.to_json()) == reading


def test_a_problem_reads_in_the_readers_language():
    reading = read_document(b"", "x.docx")
    assert reading.problems[0].message("fr").startswith("Le document est vide")
    assert reading.problems[0].message("en") == "The document is empty (0 bytes)."


# ------------------------------------------------------------------------------ PDF

def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_image_only_pdf_has_no_text_layer_located_on_its_first_page():
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(3):
        page = document.new_page(595, 842)
        image = pdfium.PdfImage.new(document)
        bitmap = pdfium.PdfBitmap.new_native(40, 40, pdfium.raw.FPDFBitmap_BGR)
        bitmap.fill_rect((90, 90, 90, 255), 0, 0, 40, 40)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(400, 400).translate(50, 300))
        page.insert_obj(image)
        page.gen_content()
    out = io.BytesIO()
    document.save(out)
    reading = read_document(out.getvalue(), "scan.pdf")
    assert codes(reading) == [("no-text-layer", 1)]
    assert "3" in reading.problems[0].message("en")


def test_an_encrypted_pdf_and_a_broken_one_get_coded_problems():
    assert codes(read_document(_encrypted_pdf(), "locked.pdf")) == [("doc-encrypted", None)]
    assert codes(read_document(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "broken.pdf")) == [("doc-corrupt", None)]


REVIEW_HTML = """<html><head><style>body {{ font: 11pt sans-serif }} h1 {{ font-size: 20pt }} h2 {{ font-size: 15pt }}
.next {{ page-break-before: always }}</style></head><body>
<h1>{title}</h1>
<h2>{o5}</h2>
<p>{p1}</p>
<p>{lead}</p>
<ul><li>{i1}</li><li>{i2}</li></ul>
<h2 class="next">{o20}</h2>
<p>{p2}</p>
<p>{p3}</p>
</body></html>"""

TEXTS = {
    "en": dict(title="Voluntary GCM review", o5="Objective 5: Regular pathways",
               p1="A new seasonal workers programme issued work permits to agricultural workers for up to nine months.",
               lead="The visa system was simplified:", i1="online applications for residence permits",
               i2="family reunification within three months", o20="Objective 20",
               p2="The central bank publishes the cost of sending remittances in each corridor every quarter.",
               p3="Migrants can open bank accounts with a consular identity card."),
    "es": dict(title="Examen voluntario del Pacto Mundial", o5="Objetivo 5: Vías de migración regular",
               p1="Un nuevo programa de trabajadores de temporada otorgó permisos de trabajo por hasta nueve meses.",
               lead="Se simplificó el sistema de visados:", i1="solicitudes en línea de permisos de residencia",
               i2="reunificación familiar en tres meses", o20="Objetivo 20",
               p2="El banco central publica cada trimestre el costo del envío de remesas en cada corredor.",
               p3="Las personas migrantes pueden abrir cuentas bancarias con una cédula consular."),
    "fr": dict(title="Examen volontaire du Pacte mondial", o5="Objectif 5 : Filières de migration régulière",
               p1="Un nouveau programme de travailleurs saisonniers a délivré des permis de travail pour neuf mois au plus.",
               lead="Le régime des visas a été simplifié :", i1="demandes de titres de séjour en ligne",
               i2="regroupement familial en trois mois", o20="Objectif 20",
               p2="La banque centrale publie chaque trimestre le coût des envois de fonds dans chaque couloir.",
               p3="Les migrants peuvent ouvrir un compte bancaire avec une carte d'identité consulaire."),
}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_a_pdf_review_gives_pages_paragraphs_headings_lists_and_suggestions(lang):
    from weasyprint import HTML

    pdf = HTML(string=REVIEW_HTML.format(**TEXTS[lang])).write_pdf()
    reading = read_document(pdf, f"review-{lang}.pdf")
    assert reading.ok and reading.kind == "pdf" and reading.pages == 2
    t = TEXTS[lang]
    assert places(reading) == [(1, 3, "paragraph", t["o5"]), (1, 4, "list", t["o5"]),
                               (2, 2, "paragraph", t["o20"]), (2, 3, "paragraph", t["o20"])]
    assert reading.passages[0].headings == (t["title"], t["o5"])
    assert reading.passages[1].text == f"{t['lead']}\n• {t['i1']}\n• {t['i2']}"
    assert [p.suggestions[0].objective for p in reading.passages] == [5, 5, 20, 20]
    assert all(p.suggestions[0].by_heading for p in reading.passages)
    assert {p.lang for p in reading.passages} == {lang}


@pytest.mark.slow
def test_a_pdf_with_some_pages_scanned_warns_with_the_pages():
    from weasyprint import HTML
    import pypdfium2 as pdfium

    text = HTML(string="<p>The consular network opened mobile consulates for nationals abroad.</p>").write_pdf()
    document = pdfium.PdfDocument(text)
    document.new_page(595, 842)
    document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    reading = read_document(out.getvalue(), "mixed.pdf")
    assert reading.ok and codes(reading) == [("doc-page-no-text", 2)]
    assert "2-3" in reading.problems[0].message("en")
    assert reading.passages[0].suggestions[0].objective == 14


# ------------------------------------------------------------------------------ the command

def test_the_narrative_read_command(tmp_path):
    import json

    from click.testing import CliRunner

    from gcmtrack.cli import main

    review = tmp_path / "review.docx"
    review.write_bytes(review_docx())
    runner = CliRunner()
    shown = runner.invoke(main, ["narrative", "read", str(review), "--lang", "es"])
    assert shown.exit_code == 0, shown.output
    assert "review.docx: docx, 7 pasajes" in shown.output
    assert "→  1  0.95  bajo el encabezado «Objective 1: Data»" in shown.output
    data = json.loads(runner.invoke(main, ["narrative", "read", str(review), "--json"]).output)
    assert data["ok"] and len(data["passages"]) == 7 and data["languages"]["es"] == 1
    themed = tmp_path / "themes.docx"

    def by_theme(d):
        d.heading("Retour et réintégration", 1)
        d.paragraph("Les personnes rentrées au pays reçoivent un accompagnement pour leur réintégration : formation "
                    "professionnelle, aide au logement et suivi psychosocial pendant douze mois.")
        d.paragraph("Nos consulats rendent compte chaque année au titre de l'objectif 14 de l'assistance fournie.")

    themed.write_bytes(build_docx(by_theme))
    shown = runner.invoke(main, ["narrative", "read", str(themed), "--lang", "fr"])
    assert "  réintégration, aide, le titre « Retour et réintégration »" in shown.output
    assert shown.output.index("→ 21  ") < shown.output.index("→ 18  ")  # the theme heading decides
    assert "→ 14  " in shown.output and "cite l’objectif 14, " in shown.output
    assert "under:" not in shown.output and "mentions objective" not in shown.output
    assert "[fr] paragraphe  Retour et réintégration" in shown.output  # the passage's kind in French too
    from tests.narrative_documents import review_pdf

    pdf = tmp_path / "examen.pdf"
    pdf.write_bytes(review_pdf("JAM", "es"))
    chinese = runner.invoke(main, ["narrative", "read", str(pdf), "--lang", "zh"]).output
    assert re.search(r"\n#3  第2页 ¶ \d+  \[es\] 段落", chinese), chinese[:600]  # page and paragraph, in Chinese
    assert "p. " not in chinese and "paragraph" not in chinese
    bad = tmp_path / "scan.docx"
    bad.write_bytes(b"%PDF-1.4 not really")
    refused = runner.invoke(main, ["narrative", "read", str(bad), "--lang", "fr"])
    assert refused.exit_code == 1 and "doc-extension-mismatch" in refused.output
    assert "son contenu est au format PDF" in refused.output
    assert "Traceback" not in refused.output


def test_headings_typed_as_plain_paragraphs_still_assign():
    def build(d):
        d.heading("Part II: implementation", 1)
        d.paragraph("Objective 7")                                      # a plain line naming an objective
        d.paragraph("Shelters for unaccompanied children opened in three border towns.")
        d.paragraph("Good practice", bold=True)                         # a short line wholly in bold
        d.paragraph("A case management team follows each child until a durable solution is found.")
        d.paragraph("Objetivo 12: procedimientos")
        d.paragraph("Measure | Status")

    reading = read_document(build_docx(build), "r.docx")
    assert [p.headings for p in reading.passages] == [
        ("Part II: implementation", "Objective 7"),
        ("Part II: implementation", "Objective 7", "Good practice"),
        ("Part II: implementation", "Objetivo 12: procedimientos"),
    ]
    assert [p.suggestions[0].objective for p in reading.passages] == [7, 7, 12]
    assert all(p.suggestions[0].by_heading for p in reading.passages)


def test_too_few_words_get_no_suggestion_by_words():
    from gcmtrack.narrative.suggest import suggest

    assert suggest("Measure | Status", (), "en") == ()
    assert suggest("Consular protection", (), "en") == ()
    [first, *_] = suggest("Consular protection | Done", (), "en")
    assert first.objective == 14 and first.reasons == ("consular protection",)  # a topic, not a mention
    [first, *_] = suggest("Our consulates report under objective 14 every year", (), "en")
    assert first.objective == 14 and first.reasons[0] == "mentions objective 14"


def test_a_theme_heading_above_a_passage_counts_at_half_weight_and_says_so():
    """A review organised by theme: the heading names no objective, its words still count beside
    the passage's, and a heading without the objectives' words changes nothing."""
    from gcmtrack.narrative.suggest import suggest

    text = ("Les personnes rentrées au pays reçoivent un accompagnement pour leur réintégration : formation "
            "professionnelle, aide au logement et suivi psychosocial pendant douze mois.")
    alone = suggest(text, (), "fr")
    assert [s.objective for s in alone[:2]] == [18, 21]  # read alone, vocational training comes first
    themed = suggest(text, ("Examen national", "Retour et réintégration"), "fr")
    assert themed[0].objective == 21 and not themed[0].by_heading
    assert themed[0].reasons[-1] == "under: Retour et réintégration"
    assert all(not r.startswith("under:") for r in alone[0].reasons)
    assert suggest(text, ("Introduction",), "fr") == alone
    # the nearer heading weighs more than the one above it
    near = suggest(text, ("Retour et réintégration", "Formation professionnelle"), "fr")
    assert near[0].objective == 18 and near[0].reasons[-1] == "under: Formation professionnelle"


def test_reasons_are_sorted_for_the_reader():
    from gcmtrack.narrative.model import reasons_of

    why = reasons_of(["mentions objective 14", "consular", "consular protection", "under: Consular work"])
    assert (why.heading, why.mentions, why.words, why.under) == (None, 14, ("consular", "consular protection"),
                                                                 "Consular work")
    assert reasons_of(["heading: Objetivo 5: vías"]).heading == "Objetivo 5: vías"


def test_a_pdf_over_the_page_limit_is_refused_before_reading_it():
    import pypdfium2 as pdfium

    from gcmtrack.narrative import limits

    document = pdfium.PdfDocument.new()
    for _ in range(limits.MAX_PAGES + 1):
        document.new_page(100, 100)
    out = io.BytesIO()
    document.save(out)
    started = time.monotonic()
    reading = read_document(out.getvalue(), "long.pdf")
    assert codes(reading) == [("doc-too-many-pages", None)] and time.monotonic() - started < 5
    assert str(limits.MAX_PAGES + 1) in reading.problems[0].message("en")


def test_what_word_writes_around_the_text_is_read_as_word_shows_it():
    body = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Objective 20</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">The central bank </w:t></w:r><w:hyperlink><w:r><w:t>publishes</w:t></w:r></w:hyperlink>
 <w:ins><w:r><w:t xml:space="preserve"> every quarter</w:t></w:r></w:ins><w:del><w:r><w:delText> every year</w:delText></w:r></w:del>
 <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>
 <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> the cost of remittances</w:t></w:r>
 <w:r><w:fldChar w:fldCharType="end"/></w:r>
 <w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>TEXT BOX</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>
 <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>TEXT BOX</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>
 <w:r><w:t>.</w:t></w:r></w:p>
<w:sdt><w:sdtContent><w:p><w:r><w:t>Migrants can open bank accounts to receive money from abroad.</w:t></w:r></w:p></w:sdtContent></w:sdt>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Corridor</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Cost</w:t></w:r></w:p>
 <w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr>
 <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>4.5 %</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"""
    reading = read_document(Docx().bytes(document_xml=body), "word.docx")
    assert reading.ok, reading.problems
    assert [(p.paragraph, p.kind, p.text) for p in reading.passages] == [
        (2, "paragraph", "The central bank publishes every quarter the cost of remittances."),
        (3, "paragraph", "Migrants can open bank accounts to receive money from abroad."),
        (4, "table-row", "Corridor | Cost inner"),
        (5, "table-row", "4.5 %"),
    ]
    assert all(p.headings == ("Objective 20",) for p in reading.passages)


def test_strict_ooxml_and_a_document_part_elsewhere_are_read():
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    body = (f'<?xml version="1.0"?><w:document xmlns:w="{strict}"><w:body><w:p><w:r><w:t>'
            'Consular protection for nationals abroad through mobile consulates.</w:t></w:r></w:p></w:body></w:document>')
    built = zipfile.ZipFile(io.BytesIO(Docx().bytes()))
    types = built.read("[Content_Types].xml").replace(b"/word/document.xml", b"/word/main.xml")
    data = zip_bytes({"[Content_Types].xml": types, "word/styles.xml": built.read("word/styles.xml"),
                      "word/main.xml": body})
    reading = read_document(data, "strict.docx")
    assert reading.ok and reading.passages[0].suggestions[0].objective == 14


@pytest.mark.slow
def test_a_pdf_table_is_read_row_by_row():
    from weasyprint import HTML

    html = ("<h2>Objetivo 8: Salvar vidas</h2><p>La guardia costera coordinó operaciones de búsqueda y rescate.</p>"
            "<table><tr><td>Medida</td><td>Estado</td></tr>"
            "<tr><td>Registro de migrantes desaparecidos con la fiscalía</td><td>En curso</td></tr></table>"
            "<p><b>Nota</b> Las cifras son <i>provisionales</i> y se publicarán cada año.</p>")
    reading = read_document(HTML(string=html).write_pdf(), "examen.pdf")
    assert [(p.kind, p.text) for p in reading.passages] == [
        ("paragraph", "La guardia costera coordinó operaciones de búsqueda y rescate."),
        ("table-row", "Medida | Estado"),
        ("table-row", "Registro de migrantes desaparecidos con la fiscalía | En curso"),
        ("paragraph", "Nota Las cifras son provisionales y se publicarán cada año."),
    ]
