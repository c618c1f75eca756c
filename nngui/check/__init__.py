"""Checking a student's optimizer class: it is raced call by call against the engine's SGD from the same start, and the first number that differs is named with the lesson's line it likely breaks.

- ``settings``: the chapter's settings a class is checked in, chosen from its ``__init__``.
- ``loading``: the student's file read, compiled and run; the optimizer class found.
- ``duel``: the lesson's protocol called on two networks from one start, state compared after every call.
- ``mistakes`` and ``hints``: the known mistakes, each a one-line change of the lesson's SGD,
  replayed to name the one that explains a difference.
- ``checker``: one file checked in this process; ``isolated`` and ``worker``: the same in a
  process of its own, with a time and a memory limit; ``folder``: a class's folder of files.
- ``template``: the chapter's three classes as stubs to fill in.
- ``remote``: a student's class raced in the window, in a process of its own (over its stdin and
  stdout, on every platform), behind a stand-in with the lesson's protocol (a call that raises or
  stalls stops that run alone), whose state can be checkpointed, copied and given new settings.

Built on the engine only (numpy and the standard library): no Qt.
"""

from .checker import check_file, check_source
from .result import CheckResult, Difference, Verdict
from .settings import CHAPTER_SETTINGS, Setting

__all__ = ["CHAPTER_SETTINGS", "CheckResult", "Difference", "Setting", "Verdict", "check_file", "check_source"]
