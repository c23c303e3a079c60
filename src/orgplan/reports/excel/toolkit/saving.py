"""Saving a workbook: whole or not at all, and byte-identical for identical content.

Every workbook orgplan writes goes through `save_workbook`. The document properties carry
a fixed time (the caller's stamp, else `FIXED_TIMESTAMP`) and the zip entries are
rewritten with that date in a fixed order, with fixed compression and permissions. The
bytes are built in memory and written through `orgplan.files` (a temporary file beside
the target, then a rename); an existing file is kept unless `force`.
"""

from __future__ import annotations

import os
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from openpyxl.workbook.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

from orgplan import files

# The earliest time a zip entry can carry; used when the caller gives no time, so that
# the document properties and the zip entries agree.
FIXED_TIMESTAMP = datetime(1980, 1, 1, tzinfo=UTC)


def new_workbook() -> Workbook:
    """An empty workbook (no default sheet) for the sheet builders."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def resolve_generated_at(generated_at: datetime | None = None) -> datetime | None:
    """The time to stamp: `generated_at`, else `SOURCE_DATE_EPOCH`, else none (unstamped).

    A naive `generated_at` is taken as UTC. The result is UTC, to the second.
    """
    if generated_at is not None:
        stamp = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=UTC)
        return stamp.astimezone(UTC).replace(microsecond=0)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            return None  # a malformed value stamps nothing rather than failing the write
    return None


def workbook_bytes(wb: Workbook, *, timestamp: datetime | None = None) -> bytes:
    """The .xlsx bytes of `wb`, identical for identical content and `timestamp`.

    The document properties get `timestamp` (default `FIXED_TIMESTAMP`) as created and
    modified time and "orgplan" as creator; the zip is rewritten with that time on every
    entry (clamped to 1980-2107, what a zip can hold), `[Content_Types].xml` first and the
    rest sorted by name, with fixed compression and permissions.
    """
    stamp = (timestamp or FIXED_TIMESTAMP).astimezone(UTC)
    naive = stamp.replace(tzinfo=None)  # openpyxl writes these as UTC without an offset
    props = wb.properties
    props.creator = "orgplan"
    props.lastModifiedBy = "orgplan"
    props.created = naive
    props.modified = naive
    for ws in wb.worksheets:
        # openpyxl learns this while writing a sheet and would write it into the next
        # save of the same workbook; reset it so every save of `wb` is the same.
        ws.column_dimensions.max_outline = None
    raw = BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook stamps `modified` with the clock.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return _normalised_zip(raw.getvalue(), naive)


def _normalised_zip(data: bytes, stamp: datetime) -> bytes:
    """The zip `data` with fixed entry times, order, compression and permissions."""
    year = min(max(stamp.year, 1980), 2107)
    date_time = (year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    if year != stamp.year:
        date_time = (year, 1, 1, 0, 0, 0)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        # Content types first: some tools sniff the first entry to recognise OOXML.
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform that writes it
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def save_workbook(
    wb: Workbook, path: str | Path, *, force: bool = False, timestamp: datetime | None = None
) -> Path:
    """Write `wb` to `path` whole or not at all, byte-identical for identical content.

    Raises `OutputExists` when `path` exists and `force` is false (before any work), and
    `UsageError` when it is a directory. The bytes are built in memory, written to a
    temporary file beside `path` and renamed onto it, so a failure leaves `path` as it
    was and no temporary file behind. Returns `path`.
    """
    target = Path(path)
    files.check_writable(target, force=force)
    data = workbook_bytes(wb, timestamp=timestamp)
    files.write_bytes(target, data, force=force)
    return target
