"""Write run reports: JSON (for scripts) and a readable HTML page (for people)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any


def write_json(path: str, data: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")


def html_table(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> str:
    """An HTML table; floats are shown with 3 decimals."""

    def cell(v: Any, tag: str) -> str:
        text = f"{v:.3f}" if isinstance(v, float) else str(v)
        return f"<{tag}>{html.escape(text)}</{tag}>"

    lines = ["<table>", "<tr>" + "".join(cell(h, "th") for h in header) + "</tr>"]
    lines += ["<tr>" + "".join(cell(v, "td") for v in row) + "</tr>" for row in rows]
    return "\n".join(lines + ["</table>"])


def write_html(path: str, title: str, sections: list[str]) -> None:
    """A standalone HTML page: ``sections`` are HTML fragments (use ``html_table`` and escaped text)."""
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #999;padding:2px 8px;text-align:right}th{background:#eee}"
    )
    page = (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"  # no-i18n: HTML markup
        f"<title>{html.escape(title)}</title><style>{style}</style></head><body>\n<h1>{html.escape(title)}</h1>\n"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
