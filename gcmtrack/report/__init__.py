"""The regional review report: a process's scores and submissions as one PDF per language.

`context` turns the data into the one object the templates read (`model` defines it, `sections`
builds each of its sections), `i18n` holds the languages (gettext catalogues, number and date
formats), `render` writes HTML and the tagged PDF, with WeasyPrint tuned in `weasy`.
"""

from gcmtrack.report.context import ReportContext, ReportData, build_context
from gcmtrack.report.render import render_html, render_pdf, report_filename

__all__ = ["ReportContext", "ReportData", "build_context", "render_html", "render_pdf", "report_filename"]
