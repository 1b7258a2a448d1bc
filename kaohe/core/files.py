"""Writing files safely: whole or not at all, never over an input, one run per output folder.

- :func:`atomic_path` / :func:`atomic_write` / :func:`write_bytes_atomic`: a file is written
  under a temporary name in its own folder (``.~kaohe-XXXX.name``), flushed to disk and
  renamed over the final name; on any error (or a kill before the rename) no file of the final
  name is half-written. A kill leaves at most a hidden temporary file, which the next run into
  the folder removes (:func:`remove_temporaries`).
- :func:`check_output` / :func:`check_output_folder`: an output that cannot be written (a
  folder, a read-only folder, a file where a folder is needed) or that is one of the inputs is
  refused before any work, with a clear message; writing into a data set's folder is warned.
- :func:`made_folders`: folders created for an output are removed again when the run fails.
- :func:`folder_lock`: one run at a time writes into an output folder; a second run is told
  which run (pid, host, start time) holds it.
"""

from __future__ import annotations

import errno
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kaohe.core.errors import KaoheError, os_reason
from kaohe.core.i18n import _

TEMP_PREFIX = ".~kaohe-"
_TEMP = re.compile(r"^\.~kaohe-[a-z0-9_]+\..+$")
LOCK_NAME = ".kaohe-report.lock"


class OutputError(KaoheError):
    """An output file or folder cannot be written (or must not be: it is an input)."""


def cannot_write(path, e: OSError) -> OutputError:
    """The error a user reads when ``path`` cannot be written."""
    hint = {
        errno.EISDIR: _("it is a folder: give a file name"),
        errno.ENOENT: _("the folder does not exist (or the name is not allowed there)"),
        errno.ENOTDIR: _("a part of the path is a file, not a folder"),
        errno.EACCES: _("no permission to write there"),
        errno.EPERM: _("no permission to write there"),
        errno.EROFS: _("the disk is read-only"),
        errno.ENOSPC: _("the disk is full"),
    }.get(e.errno, os_reason(e))
    return OutputError(_("cannot write {path}: {reason}").format(path=path, reason=hint))


# ------------------------------------------------------------------ atomic writes
def is_temporary(name: str) -> bool:
    """Whether a file name is one of :func:`atomic_path`'s temporary names."""
    return bool(_TEMP.match(name))


def _umask() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def temporary_for(path) -> Path:
    """A new temporary file next to ``path`` (for a writer that must be given a name, see
    :func:`atomic_path`); the caller renames it with :func:`finish` or removes it."""
    path = Path(path)
    tail = path.name
    while len(tail.encode("utf-8", "surrogateescape")) > 200:  # room for the prefix: NAME_MAX 255
        tail = tail[1:]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix="." + tail, dir=path.parent)
        os.close(fd)
    except OSError as e:
        raise cannot_write(path, e) from None
    return Path(tmp_name)


def finish(tmp, path) -> Path:
    """Flush ``tmp`` to disk and rename it to ``path``."""
    try:
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise cannot_write(path, e) from None
    return Path(path)


@contextmanager
def atomic_path(path) -> Iterator[Path]:
    """A temporary path in ``path``'s folder to write to; renamed to ``path`` when the block
    ends without an error (after an fsync), removed otherwise. The folder is created if
    needed. OSErrors become an :class:`OutputError` naming ``path``."""
    path = Path(path)
    if path.is_dir():
        raise cannot_write(path, IsADirectoryError(errno.EISDIR, "", str(path)))
    if path.exists() and not path.is_file():  # /dev/stdout, a pipe: written in place
        try:
            yield path
        except OSError as e:
            raise cannot_write(path, e) from None
        return
    if path.is_symlink():  # the file it points to is replaced, not the link
        path = Path(os.path.realpath(path))
    tmp = temporary_for(path)
    try:
        yield tmp
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise cannot_write(path, e) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finish(tmp, path)


@contextmanager
def atomic_write(path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None):
    """``open(path, mode)`` for writing, atomically (see :func:`atomic_path`)."""
    if "b" in mode:
        encoding = None
    with atomic_path(path) as tmp, open(tmp, mode, encoding=encoding, newline=newline) as f:
        yield f


def write_bytes_atomic(path, data: bytes) -> Path:
    with atomic_write(path, "wb") as f:
        f.write(data)
    return Path(path)


def write_text_atomic(path, text: str, encoding: str = "utf-8") -> Path:
    with atomic_write(path, "w", encoding=encoding, newline="") as f:
        f.write(text)
    return Path(path)


def remove_temporaries(folder) -> int:
    """Remove temporary files a killed run left in ``folder`` (not its sub-folders)."""
    n = 0
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    for p in folder.glob(TEMP_PREFIX + "*"):
        if p.is_file() and is_temporary(p.name):
            p.unlink(missing_ok=True)
            n += 1
    return n


# ------------------------------------------------------------------ checks before any work
def _resolved(p) -> Path:
    """The absolute path with links followed (OSError for a loop of links)."""
    with suppress(FileNotFoundError, NotADirectoryError):
        os.stat(p)
    return Path(os.path.realpath(Path(p).expanduser()))


def _inside(p: Path, folder: Path) -> bool:
    return p == folder or folder in p.parents


def _same(a: Path, b: Path) -> bool:
    try:
        return a == b or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _writable_folder(folder: Path, out) -> None:
    """``folder`` exists (or can be created) and can be written to."""
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise cannot_write(out, NotADirectoryError(errno.ENOTDIR, "", str(probe)))
    if not os.access(probe, os.W_OK | os.X_OK):
        raise cannot_write(out, PermissionError(errno.EACCES, "", str(probe)))


def _input_relation(out: Path, inputs: Iterable, what: str, given, folder: bool = False) -> list[str]:
    """Refuse an output that is an input (or a file of an input folder); warn about a new
    file in a data set's folder (the next read of the folder finds it)."""
    warnings = []
    for raw in inputs:
        inp = _resolved(raw)
        if _same(out, inp):
            raise OutputError(_("{what} {path} is one of the inputs: it would be overwritten; "
                                "write the result elsewhere").format(what=what, path=raw))
        if folder or not inp.is_dir() or out.parent != inp:
            continue
        if out.exists():
            raise OutputError(_("{what} {path}: a file of the data set folder {folder} would be "
                                "overwritten; write the result elsewhere").format(
                what=what, path=given, folder=raw))
        warnings.append(_("{path} is written into the data set folder {folder}: the next read of "
                          "that folder will find it too").format(path=given, folder=raw))
    return warnings


def check_output(path, inputs: Iterable = (), what: str = "--out") -> list[str]:
    """Check before any work that the file ``path`` can be written and is not an input;
    return warnings (an output inside a data set folder)."""
    try:
        return _check_output(path, inputs, what)
    except OSError as e:  # a name too long, a loop of links, …
        raise cannot_write(path, e) from None


def _check_output(path, inputs: Iterable, what: str) -> list[str]:
    out = _resolved(path)
    if out.is_dir():
        raise cannot_write(path, IsADirectoryError(errno.EISDIR, "", str(path)))
    _writable_folder(out.parent, path)  # the file is replaced by a rename in its folder
    return _input_relation(out, inputs, what, path)


def check_output_folder(path, inputs: Iterable = ()) -> list[str]:
    """Check before any work that the folder ``path`` can be created/written and holds no
    input; return warnings."""
    try:
        return _check_output_folder(path, inputs)
    except OSError as e:
        raise cannot_write(path, e) from None


def _check_output_folder(path, inputs: Iterable) -> list[str]:
    out = _resolved(path)
    if out.exists() and not out.is_dir():
        raise cannot_write(path, NotADirectoryError(errno.ENOTDIR, "", str(path)))
    _writable_folder(out, path)
    return _input_relation(out, inputs, "--out", path, folder=True)


@contextmanager
def made_folders(folder) -> Iterator[Path]:
    """Create ``folder`` (and missing parents); if the block fails, remove those that this
    call created and that are still empty."""
    folder = Path(folder)
    missing = []
    p = folder
    while not p.exists() and p.parent != p:
        missing.append(p)
        p = p.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise cannot_write(folder, e) from None
    try:
        yield folder
    except BaseException:
        for d in missing:  # deepest first
            try:
                d.rmdir()
            except OSError:
                break
        raise


# ------------------------------------------------------------------ one run per output folder
class FolderBusy(KaoheError):
    """Another run holds the output folder."""


def _holder(text: str) -> str:
    try:
        info = json.loads(text)
        return _("pid {pid} on {host}, started {start}").format(
            pid=int(info["pid"]), host=str(info["host"])[:100], start=str(info["start"])[:40])
    except (ValueError, KeyError, TypeError):
        return _("a run whose lock file cannot be read")


@contextmanager
def folder_lock(folder, what: str = "kaohe report") -> Iterator[Path]:
    """Hold an exclusive lock on ``folder`` (a lock file in it with the holder's pid, host and
    start time) for the block; raise :class:`FolderBusy` naming the holder if another
    process holds it. The lock file is removed when the block ends."""
    import fcntl

    folder = Path(folder)
    lock = folder / LOCK_NAME
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise cannot_write(lock, e) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                break  # a file system without locks (ENOLCK): run unlocked rather than not at all
            try:
                text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
            finally:
                os.close(fd)
            raise FolderBusy(_("{folder} is being written by another {what} ({holder}): wait for "
                               "it to finish or choose another --out").format(
                folder=folder, what=what, holder=_holder(text))) from None
        try:  # the file may have been removed by the holder that just finished: lock it anew
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        import socket

        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "start": time.strftime("%Y-%m-%d %H:%M:%S %z")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield lock
    finally:
        lock.unlink(missing_ok=True)
        os.close(fd)
