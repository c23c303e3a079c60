"""Reading an input file safely: regular files only, never more than a size cap, and the
text's encoding found (with the line of a bad byte) before anything parses it.

A device (`/dev/zero`), a named pipe or a directory is refused before it is read, so
nothing hangs or fills the memory; a file larger than its cap is refused after reading at
most the cap and one byte more.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MB = 1_000_000
SCENARIO_CAP = 20 * MB  # a 160-person scenario is 16 kB; the value cap stops far earlier
POOL_CAP = 50 * MB  # candidates files (CSV or XLSX)

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputError(Exception):
    """An input file that cannot be read as one; `line` is 0 when no line applies."""

    def __init__(self, message: str, line: int = 0) -> None:
        self.message = message
        self.line = line
        super().__init__(message)


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _refuse_special(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = _kind(mode)
        if kind == "a directory":
            raise InputError("is a directory, expected a file")
        raise InputError(f"is {kind}, not a regular file")


def megabytes(size: int) -> str:
    """`52_400_000` -> `52.4 MB`, `20_000_000` -> `20 MB` (two decimals at most); under a
    megabyte, the bytes."""
    if size < MB:
        return f"{size:,} bytes"
    return f"{size / MB:,.2f}".rstrip("0").rstrip(".") + " MB"


def read_capped(path: Path, cap: int, what: str) -> bytes:
    """The bytes of the regular file `path`, at most `cap` of them; `what` names the file's
    purpose in the message of a file too large ("a scenario")."""
    try:
        _refuse_special(os.stat(path).st_mode)  # before opening: a FIFO would block in open
        # O_NONBLOCK: should the path be swapped for a FIFO meanwhile, open does not hang.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError("file not found") from None
    except NotADirectoryError:
        raise InputError("file not found (a folder of the path is a file)") from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    try:
        info = os.fstat(fd)
        _refuse_special(info.st_mode)
        limit = f"more than the {megabytes(cap)} {what} may have"
        if info.st_size > cap:
            raise InputError(f"is {megabytes(info.st_size)}, {limit}")
        chunks: list[bytes] = []
        left = cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:  # the file grew past the cap while it was read
            raise InputError(f"is {limit}")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    finally:
        os.close(fd)


def utf8_text(data: bytes) -> str:
    """`data` as UTF-8 text (a byte-order mark dropped); a bad byte is named by its line,
    column and value."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = body.count(b"\n", 0, start) + 1
        column = start - (body.rfind(b"\n", 0, start) + 1) + 1
        raise InputError(
            f"is not UTF-8 text: byte 0x{body[start]:02x} at column {column} "
            f"({exc.reason}); save the file as UTF-8",
            line,
        ) from None


# Candidates files: what spreadsheet programs write. UTF-16 is Excel's "Unicode text".
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8 with BOM"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def table_text(data: bytes) -> tuple[str, str]:
    """A CSV file's text and the encoding it was read in: UTF-8 (with or without a BOM),
    UTF-16 with a BOM, else Windows-1252, else Latin-1 (which reads any bytes)."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), label
            except UnicodeDecodeError:
                break  # a BOM and then something else: try the single-byte codes
    for codec, label in (("utf-8", "UTF-8"), ("cp1252", "cp1252")):
        try:
            return data.decode(codec), label
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"
