"""Writing output files whole or not at all, and never over an existing file unless forced.

Every writer (plan JSON, Excel workbooks, `init`, `schema -o`) goes through `atomic_path`:
the content is written to a temporary file beside the target, then renamed onto it, so a
crash, a full disk or a SIGTERM never leaves a half-written plan where a good one was, nor
a temporary file behind. Jobs call `check_outputs` before any work, so that a path that
cannot be written (a missing or read-only folder, a device, the input scenario, the wrong
extension) is refused before a long solve, not after. `-` (`STDOUT`) names standard
output where a format allows it; `guard_closed_pipe` lets `orgplan ... | head` end quietly.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import stat
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from orgplan.errors import OutputExists, UsageError, WriteFailed

STDOUT = Path("-")
"""`-` as an output path: standard output (for the formats whose `Kind` allows it)."""

SYSTEM_FOLDERS = ("/proc", "/sys")
"""Folders of the kernel's own files: nothing orgplan writes belongs there."""

NAME_MAX = 255  # the usual limit of a file name, in bytes, when the filesystem won't say


@dataclass(frozen=True)
class Kind:
    """What an output holds: its description, the extensions it may have, whether `-`
    (standard output) is allowed."""

    what: str
    suffixes: tuple[str, ...]
    stdout: bool = False


WORKBOOK = Kind("an Excel workbook", (".xlsx",))
JSON = Kind("a JSON file", (".json",), stdout=True)
SCENARIO = Kind("a scenario", (".yaml", ".yml", ".json"))

Target = tuple[Path | None, Kind] | Path | None
"""An output a job may write (None: not asked for) with its kind, or a bare path (any
extension; standard output refused)."""


# ---- checking outputs before any work ---------------------------------------------------


def check_outputs(
    *targets: Target, force: bool = False, inputs: Iterable[tuple[Path, str]] = ()
) -> None:
    """Check every output a job will write before it does any work (`UsageError`, or
    `OutputExists` without `force`): none is one of `inputs` (path, what it is: "the
    input scenario"), each has its kind's extension and can be written (`check_writable`),
    and no two are the same file."""
    sources = list(inputs)
    pairs = [t if isinstance(t, tuple) else (t, None) for t in targets]
    asked = [(Path(path), kind) for path, kind in pairs if path is not None]
    # Whether every output can be written at all (an input, a device, the wrong extension)
    # before whether any already exists: a typo in the second output is worth more than
    # "the first already exists; pass --force".
    for path, kind in asked:
        for source, what in sources:
            if _same_file(path, source):
                raise UsageError(f"{path}: is {what}; choose another output file")
        if path == STDOUT and kind is not None:
            check_kind(path, kind)
        else:
            check_writable(path, force=True, kind=kind)
    for path, _kind in asked:
        if not force and path != STDOUT and os.path.lexists(path):
            raise OutputExists(path)
    seen: dict[Path, Path] = {}
    for path, _kind in asked:
        if path == STDOUT:
            continue
        first = seen.setdefault(_resolved(path), path)
        if first is not path:
            raise UsageError(f"two outputs name the same file: {first} and {path}")


def check_kind(path: Path, kind: Kind) -> None:
    """Refuse an output whose extension does not match what it holds (`UsageError`)."""
    *others, last = kind.suffixes
    expected = f"{', '.join(others)} or {last}" if others else last
    if path == STDOUT:
        if not kind.stdout:
            raise UsageError(
                f"-: {kind.what} cannot go to standard output; give a file name ending in "
                f"{expected}"
            )
        return
    if path.suffix.lower() not in kind.suffixes:
        got = f"'{path.suffix}'" if path.suffix else "no extension"
        stdout = ", or - for standard output" if kind.stdout else ""
        raise UsageError(f"{path}: {kind.what} must end in {expected}{stdout}; got {got}")


def check_writable(path: Path, *, force: bool = False, kind: Kind | None = None) -> None:
    """Refuse, before any work is done, an output that cannot be written: `-`, a path in
    a system folder, below a file or in a folder we may not write, a name too long for
    the filesystem, an existing directory or other non-regular file (even with `force`),
    an extension other than `kind`'s (`UsageError`); an existing file without `force`
    (`OutputExists`)."""
    path = Path(path)
    if path == STDOUT:
        raise UsageError("-: this output cannot go to standard output; give a file name")
    try:
        _check_path(path, force=force, kind=kind)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write there: {_reason(exc)}") from None


def _check_path(path: Path, *, force: bool, kind: Kind | None) -> None:
    resolved = _resolved(path)
    for system in SYSTEM_FOLDERS:
        if resolved.is_relative_to(system):
            raise UsageError(f"{path}: is in {system}, a system folder; write it elsewhere")
    folder = _existing_folder(path)
    name_max = _name_max(folder)
    if len(os.fsencode(path.name)) > name_max:
        raise UsageError(
            f"{path}: the file name is too long for its filesystem "
            f"({len(os.fsencode(path.name))} bytes, at most {name_max})"
        )
    exists = os.path.lexists(path)
    if exists:
        mode = os.stat(path).st_mode if os.path.exists(path) else stat.S_IFLNK
        if stat.S_ISDIR(mode):
            raise UsageError(f"{path}: is a directory; give a file name")
        if not stat.S_ISREG(mode) and not stat.S_ISLNK(mode):
            raise UsageError(
                f"{path}: is {_file_type(mode)}, not a regular file; give another file name"
            )
    if kind is not None:
        check_kind(path, kind)
    if exists and not force:
        raise OutputExists(path)


def _existing_folder(path: Path) -> Path:
    """The folder the output goes in, or the nearest one above it that exists (the rest is
    created): a folder we may write, or `UsageError`."""
    folder = path.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise UsageError(f"{path}: cannot write there: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{path}: cannot write there: the folder {folder} is not writable")
    return folder


def _file_type(mode: int) -> str:
    """`a named pipe (FIFO)`, `a character device`, ...: what a non-regular file is."""
    kinds = (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _name_max(folder: Path) -> int:
    """The longest file name, in bytes, that the filesystem of `folder` takes."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return NAME_MAX


def _resolved(path: Path) -> Path:
    """`path` made absolute with symbolic links followed, as far as they can be."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return path.absolute()


def _same_file(path: Path, other: Path) -> bool:
    """Whether `path` and `other` are the same existing file (links followed)."""
    try:
        return os.path.samefile(path, other)
    except (OSError, ValueError):
        return False


def _reason(exc: OSError) -> str:
    """`No space left on device`: the system's words for a failed file operation."""
    return exc.strerror or str(exc)


# ---- writing whole or not at all --------------------------------------------------------


@contextmanager
def atomic_path(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block succeeds it becomes `path`.

    The temporary name keeps the target's suffix because some writers pick their format
    from it, and is cut short to fit the filesystem's name limit. Parent folders are
    created as needed. A failure of the system while writing (a full disk, an I/O error)
    is `WriteFailed` naming `path`; whatever ends the block (an error, Ctrl-C, SIGTERM: see
    `_terminate_cleanly`), the temporary file is removed and `path` is left as it was.
    """
    target = Path(path)
    check_writable(target, force=force)
    tmp: Path | None = None
    with _terminate_cleanly():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(_temporary_name(target.name, _name_max(target.parent)))
            # touch (not mkstemp) so the file gets the usual umask permissions, not 0600.
            tmp.touch(exist_ok=False)
            yield tmp
            _publish(tmp, target, force=force)
        except OSError as exc:
            raise WriteFailed(f"{target}: cannot write: {_reason(exc)}", exc.errno) from None
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)


def _temporary_name(name: str, name_max: int) -> str:
    """`.plan.1a2b3c4d.tmp.xlsx` for `plan.xlsx`: hidden, unique, the suffix kept, and the
    stem cut so that the whole fits in `name_max` bytes."""
    stem, dot, suffix = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
    tail = f".{secrets.token_hex(4)}.tmp{dot}{suffix}"
    if len(os.fsencode(tail)) + 2 > name_max:  # a suffix longer than the name limit allows
        tail = f".{secrets.token_hex(4)}.tmp"
    room = name_max - 1 - len(os.fsencode(tail))
    short = os.fsencode(stem)[: max(room, 0)].decode("utf-8", errors="ignore")
    return f".{short}{tail}"


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Within the block, SIGTERM raises `SystemExit(143)` (the status a shell reports for
    it), so that the cleanup of `atomic_path` runs before the process ends. Only the main
    thread can take signals; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


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
    """Write UTF-8 text atomically (`-`: to standard output); returns the path written."""
    if Path(path) == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return STDOUT
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
    """Write `data` as JSON atomically (`-`: to standard output); returns the path written."""
    return write_text(path, json_text(data), force=force)


# ---- standard output whose reader may leave ---------------------------------------------


class _PipeGuard:
    """A text stream that, once its reader has gone (EPIPE), sends the rest to /dev/null,
    so that `orgplan fit x.yaml | head -1` finishes its work and its exit status."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._drop()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._drop()

    def _drop(self) -> None:
        # Point the descriptor at /dev/null: what is buffered, and the flush at exit, go
        # there instead of raising again (the recipe of Python's signal documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_closed_pipe() -> None:
    """Make stdout and stderr drop their output quietly when the reader closes the pipe."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, _PipeGuard):
            setattr(sys, name, _PipeGuard(stream))
