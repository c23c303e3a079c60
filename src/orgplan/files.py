"""Writing output files whole or not at all, and never over an existing file unless forced.

Every writer (plan JSON, Excel workbooks, `init`, `schema -o`) goes through `atomic_path`:
the content is written to a temporary file beside the target, then renamed onto it, so a
crash or a full disk never leaves a half-written plan where a good one was.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from orgplan.errors import OutputExists, UsageError


def check_writable(path: Path, *, force: bool = False) -> None:
    """Raise `OutputExists` (or `UsageError` for a directory) before any work is done."""
    if path.is_dir():
        raise UsageError(f"{path}: is a directory; give a file name")
    if path.exists() and not force:
        raise OutputExists(path)


def check_outputs(*targets: Path | None, force: bool = False) -> None:
    """Check every output a job will write before it does any work: each writable, no two
    the same file (`None` means not asked for)."""
    asked = [t for t in targets if t is not None]
    for target in asked:
        check_writable(target, force=force)
    seen: dict[Path, Path] = {}
    for target in asked:
        first = seen.setdefault(target.resolve(), target)
        if first is not target:
            raise UsageError(f"two outputs name the same file: {first} and {target}")


@contextmanager
def atomic_path(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block succeeds it becomes `path`.

    The temporary name keeps the target's suffix because some writers (pandas'
    ExcelWriter) pick their engine from it. Parent folders are created as needed.
    """
    target = Path(path)
    check_writable(target, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")
    # touch (not mkstemp) so the file gets the usual umask permissions, not 0600.
    tmp.touch(exist_ok=False)
    try:
        yield tmp
        _publish(tmp, target, force=force)
    finally:
        tmp.unlink(missing_ok=True)


def _publish(tmp: Path, target: Path, *, force: bool) -> None:
    """Rename `tmp` onto `target`; without `force`, never replace a file that appeared."""
    if force:
        os.replace(tmp, target)
        return
    try:
        # A hard link fails if the target exists, closing the race of check-then-rename.
        os.link(tmp, target)
    except FileExistsError:
        raise OutputExists(target) from None
    except OSError:
        # Some filesystems have no hard links: fall back to check-then-rename.
        if target.exists():
            raise OutputExists(target) from None
        os.replace(tmp, target)


def write_text(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write UTF-8 text atomically; returns the path written."""
    with atomic_path(path, force=force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write bytes atomically; returns the path written."""
    with atomic_path(path, force=force) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def json_text(data: Any) -> str:
    """The project's JSON style: indented, UTF-8 kept readable, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_json(path: str | Path, data: Any, *, force: bool = False) -> Path:
    """Write `data` as JSON atomically; returns the path written."""
    return write_text(path, json_text(data), force=force)
