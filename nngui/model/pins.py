"""Pinned runs: a finished run kept on the plots for reference, and the name it is shown with.

No Qt here (part of the model layer): a pin is plain data, and its
name says every setting the run trained with, so a pinned curve can never be mistaken
for a run with other numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from nngui.engine import HistoryView, OptimizerConfig


@dataclass(frozen=True)
class PinnedRun:
    """A finished run drawn beneath the live ones until unpinned.

    ``label`` is the name shown (see ``pin_label``); ``history`` its read-only history,
    never changed again; ``style_index`` the run's place in its race, which gives the
    pinned curve its dash pattern.
    """

    label: str
    history: HistoryView
    style_index: int = 0


def pin_label(label: str, settings, epochs: int) -> str:
    """The name of a pinned run: its name, every setting it trained with and how long it trained.

    ``settings`` is the run's ``(epoch, OptimizerConfig)`` pairs in order — the setting it
    started with at epoch 0 and each change after; ``epochs`` the number of epochs it
    trained (a snapshot's ``epoch``, the history's length). Changes from an epoch it never
    reached are left out::

        SGD + momentum 0.9: lr 1, decay 0.001, momentum 0.9 · 10,001 epochs
        SGD: lr 1 (epochs 0–499), lr 0.5 (from 500) · 2,000 epochs
    """
    segments = _segments(settings, epochs)
    trained = f"{epochs:,} epoch{'' if epochs == 1 else 's'}"
    if not segments:
        return f"{label} · {trained}"
    if len(segments) == 1:
        return f"{label}: {_numbers(segments[0][2])} · {trained}"
    one_kind = len({config.kind for _, _, config in segments}) == 1
    parts = []
    for start, end, config in segments:
        span = f"from {start:,}" if end is None else (
            f"epoch {start:,}" if end == start else f"epochs {start:,}–{end:,}")
        what = _numbers(config) if one_kind else f"{config.name} with {_numbers(config)}"
        parts.append(f"{what} ({span})")
    # "lr 1 (…), lr 0.5 (…)" reads as a list; settings with several numbers need a stronger separator
    separator = ", " if one_kind and all("," not in _numbers(c) for _, _, c in segments) else "; "
    return f"{label}: {separator.join(parts)} · {trained}"


def _numbers(config: OptimizerConfig) -> str:
    """The numbers a setting applies: ``lr 1, decay 0.001, momentum 0.9``."""
    return config.describe().partition(": ")[2]


def _segments(settings, epochs: int):
    """``(first epoch, last epoch or None for the last, config)`` for each setting that trained."""
    by_epoch: dict[int, OptimizerConfig] = {}
    for epoch, config in settings:
        by_epoch[max(int(epoch), 0)] = config  # two changes before the same epoch: the later one counts
    kept: list[tuple[int, OptimizerConfig]] = []
    for epoch in sorted(by_epoch):
        config = by_epoch[epoch]
        if kept and epoch >= epochs:
            break  # set after the run stopped: it never trained with it
        if not kept or not _same(kept[-1][1], config):
            kept.append((epoch, config))
    return [(start, None if i == len(kept) - 1 else kept[i + 1][0] - 1, config)
            for i, (start, config) in enumerate(kept)]


def _same(a: OptimizerConfig, b: OptimizerConfig) -> bool:
    """Whether two settings train alike (the numbers a kind does not use don't count)."""
    return a.describe() == b.describe()
