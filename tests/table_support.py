"""Reading the app's static tables (``ui.tables.static_table``) back from AppTest: one frame per table.

Each row's cells, and the long texts under it (a "header：value" line each), become the frame's columns,
named by their headers; "—" (nothing there) is read as None.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[dict[str, str | None]]]] = []
        self.wrap = ""
        self.headers: list[str] = []
        self.row: dict[str, str | None] | None = None
        self.cell: list[str] | None = None
        self.where = ""  # th, td, label or item
        self.label: list[str] = []
        self.column = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if tag == "div" and "ccl-table-wrap" in cls:
            self.wrap = cls
        elif tag == "table":
            self.tables.append((self.wrap, []))
            self.headers = []
        elif tag == "tr" and "ccl-row" in cls:
            self.row, self.column = {}, 0
            self.tables[-1][1].append(self.row)
        elif tag in ("th", "td") and "ccl-detail" not in cls:
            self.cell, self.where = [], tag
        elif tag == "span" and "ccl-item" in cls:
            self.cell, self.label, self.where = [], [], "item"
        elif tag == "span" and "ccl-label" in cls:
            self.where = "label"
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self.where == "th" and self.cell is not None:
            self.headers.append("".join(self.cell))
            self.cell = None
        elif tag == "td" and self.where == "td" and self.cell is not None and self.row is not None:
            if self.column < len(self.headers):
                self.row[self.headers[self.column]] = _value(self.cell)
            self.column += 1
            self.cell = None
        elif tag == "span" and self.where == "label":
            self.where = "item"
        elif tag == "span" and self.where == "item" and self.cell is not None and self.row is not None:
            self.row["".join(self.label).rstrip("：: ")] = _value(self.cell)
            self.cell, self.where = None, ""

    def handle_data(self, data: str) -> None:
        if self.where == "label":
            self.label.append(data)
        elif self.cell is not None:
            self.cell.append(data)


def _value(parts: list[str]) -> str | None:
    text = "".join(parts).strip()
    return None if text == "—" else text


def static_tables(at, css_class: str = "") -> list[pd.DataFrame]:
    """Every static table on the page (those whose wrapper has ``css_class``), in page order."""
    out = []
    for el in at.get("html"):
        parser = _Tables()
        parser.feed(el.proto.body)
        out += [pd.DataFrame(rows) for wrap, rows in parser.tables if css_class in wrap]
    return out
