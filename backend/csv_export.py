"""CSV files for download, safe to open in a spreadsheet (no formula injection).

Every CSV the backend writes goes through `to_csv`: a text cell that a spreadsheet would read as
a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, OWASP's list) gets a
leading apostrophe, so Excel and LibreOffice show it as text. Plain numbers ("-3", "12,5") are
left as they are: they cannot be formulas, and a results table must stay sortable.
"""

from __future__ import annotations

import csv
import io
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?")


def safe_cell(value):
    """The cell as written: formula-like text neutralised, numbers and other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(headers: list, rows: list[list]) -> str:
    """Semicolon-separated with a BOM, as Danish Excel opens it directly; every cell made safe."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([safe_cell(h) for h in headers])
    for r in rows:
        w.writerow([safe_cell(c) for c in r])
    return buf.getvalue()
