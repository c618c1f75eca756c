"""Every run's training history as CSV: one row per run and epoch, for a spreadsheet or a homework sheet.

Columns: ``run, epoch, loss, accuracy, learning_rate, test_loss, test_accuracy``. The
learning rate is the rate the epoch's update used; test columns are empty without a test
split, and a number that is not finite (a diverging run) is written as Python spells it
(``nan``, ``inf``). Numbers are written exactly, so they read back to the same floats.
"""

from __future__ import annotations

import csv
import io
import math

from nngui.engine.history import COLUMNS

HEADER = ("run", *COLUMNS)


def _cell(value, empty_if_nan=False) -> str:
    value = float(value)
    if empty_if_nan and math.isnan(value):
        return ""
    return repr(value)


def history_rows(labels, histories):
    """The rows (header first) of each run's ``HistoryView`` under its label."""
    yield HEADER
    for label, history in zip(labels, histories):
        columns = [getattr(history, name) for name in COLUMNS]
        for i in range(len(history)):
            epoch, loss, accuracy, rate, test_loss, test_accuracy = (column[i] for column in columns)
            yield (label, str(int(epoch)), _cell(loss), _cell(accuracy), _cell(rate),
                   _cell(test_loss, True), _cell(test_accuracy, True))


def history_csv(labels, histories) -> str:
    """The CSV text of each run's history (see the module's note for the columns)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(history_rows(labels, histories))
    return out.getvalue()
