"""The drawing budget: timers stretch while the main thread is over its share of a core, and only then."""

import pytest

from nngui.gui.training.draw_budget import MAX_FACTOR, WINDOW_S, DrawBudget


class Clocks:
    """A wall clock and the main thread's CPU clock, moved by hand."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def spend(self, seconds, share):
        """``seconds`` of wall time of which the main thread used ``share``."""
        self.wall += seconds
        self.cpu += seconds * share


def budget(clocks, share=0.08):
    return DrawBudget(share, cpu_clock=lambda: clocks.cpu, wall_clock=lambda: clocks.wall)


def test_paused_draws_at_the_nominal_rate_whatever_the_main_thread_does():
    clocks = Clocks()
    b = budget(clocks)
    clocks.spend(2 * WINDOW_S, 0.9)
    assert b.factor() == 1.0
    assert b.interval_ms(10) == 100


def test_a_busy_main_thread_stretches_the_intervals_until_it_is_near_its_share():
    clocks = Clocks()
    b = budget(clocks, share=0.08)
    b.set_active(True)
    cost_at_nominal = 0.32   # drawing at the nominal rates would take 32% of a core
    for _ in range(40):
        clocks.spend(WINDOW_S, cost_at_nominal / b.factor())
        b.factor()
    assert b.factor() == pytest.approx(4.0, rel=0.02)
    assert b.interval_ms(10) == pytest.approx(400, rel=0.02)


def test_the_stretch_is_bounded_and_never_below_nominal():
    clocks = Clocks()
    b = budget(clocks)
    b.set_active(True)
    for _ in range(20):
        clocks.spend(WINDOW_S, 1.0)
        b.factor()
    assert b.factor() == MAX_FACTOR
    for _ in range(20):
        clocks.spend(WINDOW_S, 0.0)
        b.factor()
    assert b.factor() == 1.0


def test_nothing_changes_within_a_measuring_window():
    clocks = Clocks()
    b = budget(clocks)
    b.set_active(True)
    clocks.spend(WINDOW_S / 2, 1.0)
    assert b.factor() == 1.0


def test_a_pause_keeps_the_learned_stretch_and_is_not_measured():
    clocks = Clocks()
    b = budget(clocks, share=0.1)
    b.set_active(True)
    clocks.spend(WINDOW_S, 0.2)
    learned = b.factor()
    assert learned > 1.5
    b.set_active(False)
    clocks.spend(10.0, 0.0)   # a long idle pause: must not count as a quiet main thread
    b.set_active(True)
    assert b.factor() == learned


def test_share_must_be_a_fraction():
    with pytest.raises(ValueError, match="share"):
        DrawBudget(1.5)


def test_the_app_gives_numpy_one_blas_thread():
    # a second BLAS thread spinning between the network's small products takes a core from
    # the window's drawing and training threads
    import threadpoolctl
    from nngui.threads import one_blas_thread
    before = threadpoolctl.threadpool_info()
    try:
        assert one_blas_thread()
        assert all(lib["num_threads"] == 1 for lib in threadpoolctl.threadpool_info()
                   if lib["user_api"] == "blas")
    finally:
        for lib in before:
            threadpoolctl.threadpool_limits(lib["num_threads"], user_api=lib["user_api"])
