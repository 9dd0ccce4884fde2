"""The sections of ``docs/performance.md`` that each benchmark writes between its own markers."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"


def replace_section(block: str, start: str, end: str, doc: Path = DOC) -> None:
    """Put ``block`` (which begins with ``start`` and ends with ``end``) in place of the section between
    those markers, or at the end of the report when it has none yet."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")
