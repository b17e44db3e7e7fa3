"""The text of a PDF as a reader's PDF viewer extracts it (PDFium, Chromium's engine, through
pypdfium2): what a person copying from the report gets. pypdf stays for the PDF's structure
(outline, metadata, tags); its text extraction misreads WeasyPrint's custom-encoded font subsets
(two-byte codes read as one, every other character a NUL)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium


def page_texts(path: str | Path) -> list[str]:
    """The text of each page, lines ending in "\\n"."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\r\n", "\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def pdf_text(path: str | Path) -> str:
    return "\n".join(page_texts(path))
