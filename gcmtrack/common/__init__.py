"""What every stage shares: bundled files and the YAML loader, text folding, atomic writes,
the spreadsheet-safety rules and the language list."""
