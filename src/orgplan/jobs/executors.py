"""Where a job's solves run: worker processes on this machine, or a Dask cluster.

`compare`, `sweep` (and the library's `compare_scenarios`, `sweep_scenario`) hand their
solves to `jobs.compare.run_tasks`, which takes any `concurrent.futures.Executor`. This
module makes the two the command line offers: `--jobs N` local processes (the default,
at most `MAX_WORKERS`) and `--scheduler ADDRESS`, the executor of a Dask distributed
client (`pip install 'orgplan[dask]'`). Dask reschedules the solves of a worker that dies
(the scheduler's `allowed-failures`, 3 by default), and a solve that raises is retried
`RETRIES` times, so one lost machine does not lose a long sweep.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

from orgplan.errors import UsageError
from orgplan.text import excerpt

# Retries of a solve that raised on a worker (a worker that dies is handled by Dask).
RETRIES = 2
# How long to wait for the scheduler to answer before the job is refused.
CONNECT_SECONDS = 10
MAX_JOBS = 256  # far more processes than a machine has cores


def check_parallel(jobs: int | None, scheduler: str | None) -> None:
    """Refuse, before any work, a number of local processes that cannot be, `--jobs` with
    `--scheduler`, or `--scheduler` without Dask installed (`UsageError`)."""
    if jobs is not None and not 1 <= jobs <= MAX_JOBS:
        raise UsageError(f"--jobs: must be a whole number from 1 to {MAX_JOBS}, got {jobs}")
    if scheduler is None:
        return
    if jobs is not None:
        raise UsageError("--jobs and --scheduler: give one (the cluster has its own workers)")
    if not scheduler.strip():
        raise UsageError("--scheduler: give the scheduler's address, e.g. tcp://10.0.0.5:8786")
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(
            "--scheduler: needs Dask distributed, which is not installed: "
            "pip install 'orgplan[dask]'"
        ) from None


@contextmanager
def cluster(scheduler: str | None) -> Iterator[Executor | None]:
    """The executor of a Dask client connected to `scheduler` (closed on leaving), or None
    to run on local processes. Raises `UsageError` when Dask is not installed or the
    scheduler does not answer within CONNECT_SECONDS."""
    if scheduler is None:
        yield None
        return
    check_parallel(None, scheduler)
    from distributed import Client

    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(
            f"--scheduler: cannot reach a Dask scheduler at '{excerpt(scheduler)}': {excerpt(text)}"
        ) from None
    try:
        yield client.get_executor(pure=False, retries=RETRIES)
    finally:
        client.close()
