"""Word documents (.docx) written by hand for the narrative reader's tests and benchmark: the
parts Word writes (content types, relationships, styles with Word's built-in names and outline
levels, the document body), so that a test controls every byte and needs no other library."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"


def _styles_xml() -> str:
    styles = ['<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>',
              '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>']
    for level in range(1, 10):
        styles.append(f'<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/>'
                      f'<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="{level - 1}"/></w:pPr></w:style>')
    styles.append('<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/>'
                  '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>')
    styles.append('<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/>'
                  '<w:basedOn w:val="Normal"/></w:style>')
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">{"".join(styles)}</w:styles>'


class Docx:
    """A document built paragraph by paragraph: `heading`, `paragraph`, `table`, `page_break`,
    then `bytes()`."""

    def __init__(self):
        self.body: list[str] = []

    def paragraph(self, text: str = "", style: str | None = None, *, bold: bool = False, outline: int | None = None,
                  numbered: bool = False, page_break: bool = False) -> Docx:
        ppr = ""
        if style or outline is not None or numbered:
            ppr = "<w:pPr>" + (f"<w:pStyle w:val={quoteattr(style)}/>" if style else "") \
                + ('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if numbered else "") \
                + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "") + "</w:pPr>"
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        runs = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
        if page_break:
            runs += '<w:r><w:br w:type="page"/></w:r>'
        self.body.append(f"<w:p>{ppr}{runs}</w:p>")
        return self

    def heading(self, text: str, level: int = 1) -> Docx:
        return self.paragraph(text, "Title" if level == 0 else f"Heading{level}")

    def table(self, rows: list[list[str]]) -> Docx:
        cells = "".join("<w:tr>" + "".join(f'<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>' for c in row)
                        + "</w:tr>" for row in rows)
        self.body.append(f"<w:tbl>{cells}</w:tbl>")
        return self

    def document_xml(self) -> str:
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>'
                f'{"".join(self.body)}<w:sectPr/></w:body></w:document>')

    def bytes(self, *, document_xml: str | bytes | None = None, extra: dict[str, bytes | str] | None = None,
              main_type: str = MAIN) -> bytes:
        parts: dict[str, bytes | str] = {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>'
                f'<Override PartName="/word/styles.xml" ContentType="{STYLES}"/></Types>'),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'officeDocument" Target="word/document.xml"/></Relationships>'),
            "word/_rels/document.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'styles" Target="styles.xml"/></Relationships>'),
            "word/styles.xml": _styles_xml(),
            "word/document.xml": self.document_xml() if document_xml is None else document_xml,
        }
        parts.update(extra or {})
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
        return out.getvalue()
