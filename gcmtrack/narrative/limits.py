"""The limits of reading a narrative review, in one place. A real voluntary GCM review is a
10-80 page DOCX of 0.1-10 MB (mostly images) or a PDF of 0.5-15 MB with a few thousand
paragraphs; the limits leave room for several times that while keeping the time and memory a
hostile file can cost small."""

_MiB = 1024 * 1024

MAX_DOCUMENT_BYTES = 40 * _MiB
"""Largest accepted document, as sent. Larger than a workbook's limit: reviews carry photos."""

MAX_PARTS = 1000
"""Most entries in a DOCX's zip package (Word writes 10-30, a document with many images a few
hundred)."""

MAX_CENTRAL_DIRECTORY_BYTES = 1 * _MiB
"""Largest zip table of contents, checked before Python's zipfile reads it."""

MAX_TOTAL_BYTES = 128 * _MiB
"""Largest uncompressed size of the whole DOCX package, as declared."""

MAX_XML_PART_BYTES = 24 * _MiB
"""Largest uncompressed XML part (document.xml of an 80-page review is 1-3 MB): bounds the
memory of the XML tree python-docx builds."""

MAX_RATIO = 100
"""Highest compression ratio of a part larger than RATIO_CHECK_BYTES (XML compresses 5-40:1,
zip bombs about 1000:1)."""

RATIO_CHECK_BYTES = 1 * _MiB
"""Parts smaller than this, uncompressed, are not ratio-checked."""

MAX_PAGES = 600
"""Most pages of a PDF read (`doc-too-many-pages` beyond)."""

MAX_SECONDS = 30.0
"""Most seconds spent extracting a PDF's text (`doc-too-slow` beyond): a 60-page review takes
well under one."""

MAX_BLOCKS = 50_000
"""Most paragraphs, headings, list items and table rows read from one document
(`doc-too-many-paragraphs` beyond)."""

MAX_PASSAGE_CHARS = 20_000
"""A passage longer than this is cut (a whole report pasted into one table cell)."""

CHUNK_BYTES = 64 * 1024
"""XML parts are decompressed and scanned in chunks of this size."""
