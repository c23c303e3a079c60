"""Text from the input as a terminal or a message may show it: literal and short.

Names, ids, currencies and paths come from files anyone may write. Shown on a terminal,
their control characters (ESC starts the sequences that recolour, move the cursor, set the
window title or make a link; a newline would forge a new message line) are escaped as
Python writes them (`\\x1b`, `\\n`, `\\u202e`), and a value echoed in a message is cut to
a short excerpt. Markup (`[bold]`, `:smile:`) is rich's business: the terminal reports
print input text as `rich.text.Text`, never as markup (`orgplan.reports.console.literal`).
"""

from __future__ import annotations

import re

EXCERPT = 60
"""The most characters of an input value a message echoes (`excerpt`)."""

# Escaped: C0, DEL and C1 controls; surrogates (they cannot even be written as UTF-8);
# bidirectional embeddings, overrides and isolates (they reorder what follows, so a message
# could read differently from what it says); line and paragraph separators (line breaks to
# editors). Marks (LRM, RLM), joiners (ZWJ, ZWNJ) and other format characters stay: names
# in many scripts need them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# A quoted value: opened by a quote no letter precedes (not the apostrophe of "role's"),
# closed by one no letter follows.
# What JSON text (`ensure_ascii=False`) may still hold raw: JSON escapes C0 itself.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_QUOTED = re.compile(r"(?<!\w)'(.*?)'(?!\w)", re.DOTALL)


def _escaped(char: str) -> str:
    """`\\x1b`, `\\n`, `\\t`, `\\u202e`: the character as a Python literal writes it."""
    return repr(char)[1:-1]


def printable(text: object, *, newlines: bool = False) -> str:
    """`text` with every control character escaped (ESC -> the four characters `\\x1b`).

    `newlines`: keep line breaks, for text of several lines made by the program; a single
    value or a message line keeps none (a newline in a name would forge a second line).
    A printable text is returned as it is, so escaping twice changes nothing.
    """
    value = str(text)
    if newlines:
        return _UNSAFE.sub(lambda m: m[0] if m[0] == "\n" else _escaped(m[0]), value)
    return _UNSAFE.sub(lambda m: _escaped(m[0]), value)


def excerpt(text: object, limit: int = EXCERPT) -> str:
    """`printable(text)` cut to at most `limit` characters, the last one an ellipsis (`…`).

    An escape is never cut in two, and an excerpt is its own excerpt.
    """
    value = str(text)
    shown = printable(value)
    if len(shown) <= limit:
        return shown
    kept: list[str] = []
    size = 0
    for char in value:
        piece = _escaped(char) if _UNSAFE.match(char) else char
        if size + len(piece) > limit - 1:
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept) + "…"


def clipped(message: str, limit: int = EXCERPT, *, whole: int = 8 * EXCERPT) -> str:
    """A message line as it may be printed: escaped, every quoted value (`'...'`) cut to
    an excerpt of `limit` characters, and the line itself cut to `whole` characters.

    Messages quote the input they echo (`got 'lots' (text)`, `unknown column 'x'`), so
    this keeps the echo short wherever the message was made.
    """
    parts = _QUOTED.split(message)  # text, quoted, text, quoted, ..., text
    line = "".join(
        f"'{excerpt(part, limit)}'" if i % 2 else printable(part) for i, part in enumerate(parts)
    )
    return excerpt(line, whole)


def json_printable(text: str) -> str:
    """JSON text with the characters `printable` escapes written as `\\uXXXX` escapes:
    the same JSON value, safe on a terminal (they can only stand inside JSON strings)."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
