"""A class's folder of submissions: every ``.py`` file checked in its own worker, N at a time, one report row each.

One file's loop, crash or exit ends its own worker only: the others are checked all the same.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .isolated import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIME_LIMIT, check_isolated
from .result import CheckResult, Verdict

REPORT_HEADER = ("file", "class", "verdict", "first_difference", "hint", "seconds", "error")


def submissions(folder) -> list[Path]:
    """The folder's ``.py`` files (not its subfolders'), by name."""
    return sorted((p for p in Path(folder).iterdir() if p.suffix == ".py" and p.is_file()), key=lambda p: p.name)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def check_folder(folder, jobs: int | None = None, class_name: str | None = None,
                 time_limit: float = DEFAULT_TIME_LIMIT, memory_limit: int = DEFAULT_MEMORY_LIMIT_MB,
                 each=None) -> list[CheckResult]:
    """Check every submission, ``jobs`` at once; ``each(result)`` is called as each is done (in the calling thread).

    The results come back in the files' order. An interrupt (Ctrl-C) stops every worker before it is raised.
    """
    files = submissions(folder)
    cancel = threading.Event()
    results: dict[int, CheckResult] = {}

    def one(index_path):
        index, path = index_path
        return index, check_isolated(path, class_name, time_limit, memory_limit, shown_name=path.name, cancel=cancel)

    executor = ThreadPoolExecutor(max_workers=jobs or default_jobs())
    try:
        futures = [executor.submit(one, item) for item in enumerate(files)]
        from concurrent.futures import as_completed
        for future in as_completed(futures):
            index, result = future.result()
            results[index] = result
            if each is not None:
                each(result)
    except BaseException:
        cancel.set()  # every worker is stopped; the threads end at their next look at the flag
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return [results[i] for i in range(len(files))]


def report_rows(results) -> list[tuple]:
    """One row a file: ``REPORT_HEADER``'s columns, every cell safe to open in a spreadsheet."""
    rows = []
    for result in results:
        difference = result.first_difference
        rows.append(tuple(_cell(value) for value in (
            result.file, result.class_name or "", result.verdict.value,
            difference.describe() if difference else "", result.hint or "", f"{result.seconds:.2f}",
            result.error or "")))
    return rows


def report_csv(results) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_HEADER)
    writer.writerows(report_rows(results))
    return out.getvalue()


def _cell(text: str) -> str:
    # a cell that begins with = + - @ is a formula to a spreadsheet: a student's file name must stay text
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def summary(results) -> str:
    """``40 files: 31 match, 6 differ, 3 errors``."""
    counts = {verdict: sum(r.verdict is verdict for r in results) for verdict in Verdict}
    files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
    return (f"{files}: {counts[Verdict.MATCHES]} match, {counts[Verdict.DIFFERS]} differ, "
            f"{counts[Verdict.ERROR]} error{'s' if counts[Verdict.ERROR] != 1 else ''}")
