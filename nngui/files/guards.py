"""Reading and writing the app's files: only regular files, never blocking, never half written.

``read_regular_file`` is how every file the app reads is read (experiment files, lessons,
the settings): a FIFO, a device or a directory is refused before it is opened, so nothing
waits for a writer that never comes, and no more than the size cap is ever read.
``read_checked`` reads a file that way and parses it, naming the file in any error.

``write_file_atomically`` is how every file is saved, the way editors save: through a
symbolic link to the file it names; into a short temporary file beside it, then renamed
over it, so a reader sees the old file or the new one and never half of one; keeping the
file's mode; refusing to replace anything that is not a regular file. A save that fails
removes its temporary file; one killed outright cannot, so each save also removes the
app's temporary files in that folder that no save holds (each save keeps an advisory lock
on its temporary file, and a lock ends with its process, even one killed outright) or that
nobody has touched for ``STALE_AFTER_S`` where there are no such locks.

Both raise ``ExperimentError`` with the path as its source and one line saying what is wrong.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time

try:
    import fcntl
except ImportError:  # no advisory locks here (Windows): stale temporaries go by age alone
    fcntl = None

from nngui.engine.checks import ExperimentError

#: Temporary files of a save: ``.nngui-<8 hex digits>.tmp``, short so that any legal file name can be saved.
TEMPORARY = re.compile(r"\.nngui-[0-9a-f]{8}\.tmp")
#: A temporary file untouched this long belongs to a save that was killed: a save takes milliseconds.
STALE_AFTER_S = 600
#: A temporary file no save holds locked is a killed save's once it is this old (a save locks its
#: file the moment it makes it; the grace covers that moment).
ABANDONED_AFTER_S = 5

_NONBLOCKING_READ = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_NEW_FILE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_BINARY", 0))


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, in words: "a directory", "a named pipe (FIFO)", …"""
    for test, words in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a directory"),
                        (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                        (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                        (stat.S_ISLNK, "a symbolic link that leads back to itself")):
        if test(mode):
            return words
    return "not a regular file"


def size_in_words(size: int) -> str:
    """``1 MB`` for 1,000,000 bytes, ``64 kB``, ``100 bytes``."""
    for unit, name in ((1_000_000, "MB"), (1000, "kB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


def _name(path, doing) -> str:
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if not name:
        raise ExperimentError("", f"cannot {doing} the file: no file name was given", None)
    return name


def read_regular_file(path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them.

    Anything else (a FIFO, a device, a directory, a socket) is refused without being read; it
    is looked at before it is opened (opening a device can do something) and again after
    (the path could have changed in between), and opened non-blocking all the same.
    """
    name = _name(path, "read")

    def refuse(problem):
        return ExperimentError("", problem, name)

    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            raise refuse(f"cannot read the file: it is {kind_of(info.st_mode)}, not a regular file")
        descriptor = os.open(name, _NONBLOCKING_READ)
    except OSError as error:
        raise refuse(f"cannot read the file: {error.strerror or error}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise refuse(f"cannot read the file: it is {kind_of(info.st_mode)}, not a regular file")
        if info.st_size > max_bytes:
            raise refuse(f"the file is larger than {size_in_words(max_bytes)}")
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(descriptor, max_bytes + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:  # it grew while being read
            raise refuse(f"the file is larger than {size_in_words(max_bytes)}")
        return b"".join(chunks)
    except OSError as error:
        raise refuse(f"cannot read the file: {error.strerror or error}") from None
    finally:
        os.close(descriptor)


def read_checked(path, parse, max_bytes: int):
    """``parse(content)`` of the regular file at ``path`` (see ``read_regular_file``).

    An ``ExperimentError`` of the parser names the file first, then the field or line:
    ``lesson.json: steps[2].text: must be text``.
    """
    content = read_regular_file(path, max_bytes)
    try:
        return parse(content)
    except ExperimentError as error:
        raise error.with_source(os.fspath(path)) from None


def read_each(directory, read, resources: str = "") -> list:
    """``[(path, read(path) or the ExperimentError it raised), ...]`` for each ``*.json`` in ``directory``.

    In file-name order (the shipped lessons start with their place, ``01-…``): one bad file
    is reported beside the good ones, never in their way. ``directory`` None means the app's
    ``resources`` folder of that name (an empty list where there is none).
    """
    from pathlib import Path
    if directory is None:
        try:
            directory = _resource_folder(resources)
        except (ImportError, FileNotFoundError):
            return []
    found = []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            found.append((path, read(path)))
        except ExperimentError as error:
            found.append((path, error))
    return found


def read_all(directory, read, resources: str = "") -> dict:
    """``{file stem: read(path)}`` for each ``*.json`` in ``directory`` (None: the app's ``resources``
    folder of that name, which must exist); the first file that cannot be read raises."""
    found = {}
    for path, value in read_each(_resource_folder(resources) if directory is None else directory, read):
        if isinstance(value, ExperimentError):
            raise value
        found[path.stem] = value
    return found


def _resource_folder(name):
    from nngui.resources import resource_path
    return resource_path(name)


def write_file_atomically(path, data: bytes, follow_links: bool = True) -> None:
    """Replace the file at ``path`` (or the file its symbolic links lead to) with ``data``, all or nothing.

    ``follow_links=False`` for a name the app chose itself in a folder (a slide pack's
    ``loss.png``): a symbolic link of that name, which anyone who can write to the folder could
    have put there, is replaced by the file rather than written through.
    """
    name = _name(path, "write")

    def refuse(problem):
        return ExperimentError("", f"cannot write the file: {problem}", name)

    if name.endswith(("/", os.sep)) or os.path.basename(name) in (".", ".."):
        raise refuse("the name is a folder's, not a file's")
    # like an editor, write to the file a link names: the link stays a link
    target = os.path.realpath(name) if follow_links else os.path.abspath(name)
    try:
        old = os.lstat(target)
    except FileNotFoundError:
        old = None
    except OSError as error:
        raise refuse(error.strerror or str(error)) from None
    if old is not None and stat.S_ISLNK(old.st_mode) and not follow_links:
        old = None  # the link itself is replaced: a new file, made as any new file is
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise refuse(f"it is {kind_of(old.st_mode)}; only a regular file is ever replaced")
    folder = os.path.dirname(target)
    remove_stale_temporaries(folder, os.path.basename(target))
    temporary = os.path.join(folder, f".nngui-{secrets.token_hex(4)}.tmp")
    descriptor = None
    try:
        # O_EXCL | O_NOFOLLOW: never write through a file or link someone else put there; a new
        # file gets the usual mode (0666 less the umask), a replaced one keeps its own
        descriptor = os.open(temporary, _NEW_FILE, 0o666 if old is None else 0o600)
        _hold(descriptor)  # until it is renamed: a later save knows this one is alive
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        if old is not None:
            _keep_owner_and_mode(descriptor, old)
        os.fsync(descriptor)
        if fcntl is not None:
            os.replace(temporary, target)  # still held: renamed before it is let go
            temporary = None
        closing, descriptor = descriptor, None
        os.close(closing)
        if temporary is not None:
            os.replace(temporary, target)  # where an open file cannot be renamed
    except BaseException as error:  # an interrupt too: the temporary goes either way
        for cleanup, argument in ((os.close, descriptor), (os.unlink, temporary)):
            if argument is not None:
                try:
                    cleanup(argument)
                except OSError:
                    pass
        if isinstance(error, OSError):
            raise refuse(error.strerror or str(error)) from None
        raise
    _sync_folder(folder)


def _hold(descriptor):
    """Lock the new temporary file for as long as it is open (nothing is lost where that fails)."""
    if fcntl is not None:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass


def _abandoned(path, info) -> bool:
    """Whether no save holds the temporary file at ``path`` (the file ``info`` describes) any more."""
    if fcntl is None:
        return False
    try:
        descriptor = os.open(path, _NONBLOCKING_READ | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        now = os.fstat(descriptor)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
            return False  # not the file looked at
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True  # nobody holds it: its save was killed (a lock ends with its process)
    except OSError:
        return False
    finally:
        os.close(descriptor)


def _keep_owner_and_mode(descriptor, old):
    new = os.fstat(descriptor)
    if hasattr(os, "fchown") and (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
        try:
            os.fchown(descriptor, old.st_uid, old.st_gid)  # root saving a user's file leaves it theirs
        except OSError:
            pass  # not permitted: the file becomes the saver's, as with any editor
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, stat.S_IMODE(old.st_mode))


def _sync_folder(folder):
    """Make the rename itself durable (where the platform can open a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove_stale_temporaries(folder, saved_name=None, now=None) -> list[str]:
    """Remove the app's own temporary files in ``folder`` that a killed save left; their names.

    Only regular files named like ours (``.nngui-<8 hex>.tmp``, or ``.<saved_name>.<12 hex>.tmp``
    as earlier versions named them), owned by this user, and either locked by no save (a save
    locks its file while it writes, and the lock ends with its process, however it ended) and
    older than ``ABANDONED_AFTER_S``, or not modified for ``STALE_AFTER_S`` (where there are no
    locks, or a file of an earlier version). The lock is used rather than the saver's process
    id, which cannot be checked on a shared folder and is reused. Nothing that cannot be
    removed is an error.
    """
    now = time.time() if now is None else now
    earlier = re.compile(re.escape(f".{saved_name}.") + r"[0-9a-f]{12}\.tmp") if saved_name else None
    removed = []
    try:
        entries = list(os.scandir(folder or "."))
    except OSError:
        return removed
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    for entry in entries:
        if not (TEMPORARY.fullmatch(entry.name) or (earlier and earlier.fullmatch(entry.name))):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or (uid is not None and info.st_uid != uid):
                continue
            age = now - info.st_mtime
            if age > STALE_AFTER_S or (age > ABANDONED_AFTER_S and _abandoned(entry.path, info)):
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            pass
    return removed
