"""``nngui --self-test``: the real window trains the default setting and checks what a person would see.

It trains 300 epochs in the worker thread, then checks that the loss fell, that the
loss, accuracy and learning-rate plots hold one point per epoch, that the decision
boundary got its probability map and the network drawing its weights. One line says
what was checked; the exit status is 0, or 1 with the reason.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from nngui.model import StopReason

from . import interrupt
from nngui.gui.controls.panels import ACTIVATION_LABELS
from nngui.gui.qt import QtCore
from nngui.gui.files.settings_store import SettingsStore

EPOCHS = 300
#: Epochs of the chapter's race of three after the single run.
RACE_EPOCHS = 100
TIMEOUT_S = 120.0


class SelfTestFailed(Exception):
    """One check of the self-test did not hold; the message says which."""


def curve_points(curve) -> int:
    """How many points a plot curve holds (its data, not the downsampled drawing)."""
    _, y = curve.getOriginalDataset()
    return 0 if y is None else len(y)


def _wait_for_stop(window, timeout_s):
    """Run the event loop until the worker reports that training stopped; the Stop, or None on timeout."""
    stops = []
    loop = QtCore.QEventLoop()

    def on_stopped(stop):
        if stop.reason is not StopReason.PAUSE:
            stops.append(stop)
            loop.quit()

    window.controller.stopped.connect(on_stopped)
    QtCore.QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    window.controller.stopped.disconnect(on_stopped)
    return stops[-1] if stops else None


def _wait_for(window, predicate, timeout_s, failure):
    loop = QtCore.QEventLoop()
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: predicate() and loop.quit())
    timer.start(10)
    QtCore.QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    timer.stop()
    if not predicate():
        raise SelfTestFailed(failure)


def _wait_for_data(window, timeout_s):
    _wait_for(window, lambda: window.data is not None, timeout_s,
              f"the worker thread built no network within {timeout_s:g} s")


def check(window, epochs=EPOCHS, timeout_s=TIMEOUT_S) -> str:
    """Train ``epochs`` epochs in ``window`` and check the result; the summary line, or SelfTestFailed."""
    started = time.perf_counter()
    _wait_for_data(window, timeout_s)
    experiment = window.experiment()
    window.model.experiment.set_epochs(epochs)
    window.play_action.trigger()
    if not window.controller.playing or not window.controller.thread.isRunning():
        raise SelfTestFailed("pressing Play did not start the worker thread")
    stop = _wait_for_stop(window, timeout_s)
    if stop is None:
        raise SelfTestFailed(f"training did not reach {epochs} epochs within {timeout_s:g} s")
    if stop.reason is not StopReason.LIMIT:
        detail = window.message_banner.text() if stop.reason in (StopReason.DIVERGED, StopReason.ERROR) else ""
        raise SelfTestFailed(f"training stopped early ({stop.reason}) at epoch {stop.snapshot.epoch} {detail}")
    window.draw_now()
    snapshot = stop.snapshot.runs[0]
    history = snapshot.history
    if snapshot.epoch != epochs or len(history) != epochs:
        raise SelfTestFailed(f"expected {epochs} epochs, the worker reports {snapshot.epoch}")
    first, last = float(history.loss[0]), float(history.loss[-1])
    if not last < first:
        raise SelfTestFailed(f"the loss did not fall: {first:.4f} at the start, {last:.4f} after {epochs} epochs")
    for name, curve in (("loss", window.loss_plot.run_curve(0, "train")),
                        ("accuracy", window.accuracy_plot.run_curve(0, "train")),
                        ("learning-rate", window.learning_rate_plot.run_curve(0, "lr"))):
        count = curve_points(curve)
        if count != epochs:
            raise SelfTestFailed(f"the {name} plot holds {count} points, not one per epoch ({epochs})")
    boundary = window.boundary_grid.view(0)
    image = boundary.image.image
    if image is None or not boundary.image.isVisible():
        raise SelfTestFailed("the decision boundary got no probability map")
    if window.network_view.parameters is None:
        raise SelfTestFailed("the network drawing got no weights")
    network = window.network_view.parameters
    if len(network) != len(snapshot.parameters) or network[0][0].shape != snapshot.parameters[0][0].shape:
        raise SelfTestFailed("the network drawing shows other weights than the trained network's")
    race = check_race(window, RACE_EPOCHS, timeout_s)
    data, net, opt = experiment.dataset, experiment.network, experiment.optimizer
    sizes = " → ".join(map(str, snapshot.sizes))
    activation = ACTIVATION_LABELS.get(net.activation, net.activation)
    book = " (the course's numbers)" if experiment.book else ""
    return (f"nngui self-test passed: trained {epochs} epochs of {data.label} {data.samples}×{data.classes}{book} "
            f"with a {sizes} {activation} network and {opt.label} (learning rate {opt.learning_rate:g}, "
            f"decay {opt.decay:g}, momentum {opt.momentum:g}) in the worker thread; loss {first:.3f} → {last:.3f}, "
            f"accuracy {history.accuracy[-1]:.3f}; loss, accuracy and learning-rate plots hold {epochs} points each; "
            f"decision boundary {image.shape[1]}×{image.shape[0]} and network drawing updated; {race} "
            f"({time.perf_counter() - started:.1f} s)")


def check_race(window, epochs, timeout_s) -> str:
    """Compare the chapter's optimizers for ``epochs`` epochs: a curve and a decision boundary per run."""
    window.compare_action.trigger()
    _wait_for(window, lambda: window.data is not None and window.latest is not None
              and len(window.latest.runs) == 3 and window.latest.epoch == 0, timeout_s, "the race of three was not built")
    window.model.experiment.set_epochs(epochs)
    window.play_action.trigger()
    stop = _wait_for_stop(window, timeout_s)
    if stop is None or stop.reason is not StopReason.LIMIT:
        raise SelfTestFailed(f"the race of three did not reach {epochs} epochs")
    window.draw_now()
    for index, run in enumerate(stop.snapshot.runs):
        if len(run.history) != epochs:
            raise SelfTestFailed(f"run {index + 1} of the race trained {len(run.history)} epochs, not {epochs}")
        if curve_points(window.loss_plot.run_curve(index, "train")) != epochs:
            raise SelfTestFailed(f"the loss plot lacks run {index + 1}'s curve")
        if window.boundary_grid.view(index).image.image is None:
            raise SelfTestFailed(f"run {index + 1}'s decision boundary got no probability map")
    finals = ", ".join(f"{label} {run.record.accuracy:.3f}" for label, run in zip(stop.snapshot.labels,
                                                                                  stop.snapshot.runs))
    return f"raced the chapter's three optimizers {epochs} epochs from one start ({finals})"


def run(app, epochs=EPOCHS, timeout_s=TIMEOUT_S) -> tuple[bool, str]:
    """Open the real window (with throw-away settings), run ``check`` and close it; ``(passed, line)``."""
    from .main_window import MainWindow
    with tempfile.TemporaryDirectory(prefix="nngui-self-test-") as directory:
        # the user's own settings (window place, last session) are neither read nor written
        settings = SettingsStore(Path(directory) / "settings.ini")
        window = MainWindow(settings)
        window.show()
        try:
            line = check(window, epochs, timeout_s)
            passed = True
        except SelfTestFailed as failure:
            line, passed = f"nngui self-test FAILED: {failure}", False
        finally:
            window.close()
            window.deleteLater()
            del settings
    return passed, line


def main(app) -> int:
    """Run the self-test, print its line (stdout when it passed, stderr when not); the exit status."""
    passed, line = run(app)
    if interrupt.interrupted():
        return 1  # Ctrl-C cut the run short: nothing to report (the entry point says "interrupted")
    print(line, file=sys.stdout if passed else sys.stderr, flush=True)
    return 0 if passed else 1
