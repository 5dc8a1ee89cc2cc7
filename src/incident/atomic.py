"""Atomic writes: a reader sees the old file or folder or the new one, never half of one.

Every file and folder the package publishes is written through here. Temporary names start
with ``.`` and carry :data:`PARTIAL_MARK`, so no published glob (``*.ipynb``, ``*.csv``) ever
matches a leftover of an interrupted run, and :func:`clean_partials` can find and remove
them on the next run. Permission and disk errors become :class:`~incident.errors.OutputError`
naming the path, never a raw traceback.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from incident.errors import OutputError

#: Part of every temporary name (``.<name>.partial-<random>``).
PARTIAL_MARK = ".partial-"


def _fail(path: Path, exc: OSError) -> OutputError:
    why = {
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.ENOSPC: "disk full",
        errno.EROFS: "read-only file system",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(f"cannot write {path}: {why}")


def partial_name(path: Path) -> Path:
    """A hidden temporary sibling of ``path`` that no published glob matches."""
    return path.with_name(f".{path.name}{PARTIAL_MARK}{os.getpid()}-{os.urandom(3).hex()}")


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary sibling, fsync, rename).

    Raises:
        OutputError: When the folder cannot be written (permissions, disk full).
    """
    path = Path(path)
    tmp = partial_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _fail(path, exc) from None
    return path


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text with LF line ends atomically (see :func:`write_bytes`)."""
    return write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing) while the block runs."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115  closed by the `with` below, after the error handling
    except OSError as exc:
        raise _fail(path, exc) from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """Build a folder beside ``target`` and swap it in only when the block succeeds.

    The new folder replaces ``target`` under a lock (old folder renamed away, new renamed
    in, old removed). On any exception the staged folder is removed and ``target`` is
    left as it was.

    Yields:
        The staging folder to fill.

    Raises:
        OutputError: When the parent folder cannot be written.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{PARTIAL_MARK}", dir=target.parent))
    except OSError as exc:
        raise _fail(target.parent, exc) from None
    try:
        yield tmp
        # mkdtemp makes the folder private (0700); give it what the user's umask gives any new
        # folder. Files inside were created through open() and already follow the umask.
        os.chmod(tmp, 0o777 & ~current_umask())
        old = target.with_name(f".{target.name}{PARTIAL_MARK}old-{os.getpid()}")
        with locked(target.with_name(f".{target.name}.lock")):
            if target.exists():
                os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _fail(target, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def current_umask() -> int:
    """The process's file mode creation mask (read without changing it where Linux allows)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove(path: Path) -> None:
    """Remove a file, a link (as a link, never what it points to) or a folder."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def clean_partials(folder: Path, *, siblings_of: str | None = None) -> list[Path]:
    """Remove the leftovers of interrupted runs (hidden ``*.partial-*`` entries) under ``folder``.

    Args:
        folder: The folder searched (recursively; links are not followed).
        siblings_of: Also remove the staged siblings of this folder name in ``folder``'s parent
            (``.<name>.partial-*``, left by :func:`staged_dir`), and no other entry there.

    Returns:
        The removed paths (for the caller to say so).
    """
    folder = Path(folder)
    found = sorted(folder.rglob(f".*{PARTIAL_MARK}*")) if folder.is_dir() and not folder.is_symlink() else []
    if siblings_of and folder.parent.is_dir():
        found += sorted(folder.parent.glob(f".{siblings_of}{PARTIAL_MARK}*"))
    removed = []
    for path in found:
        if not (path.exists() or path.is_symlink()):
            continue  # inside a folder removed just before
        _remove(path)
        removed.append(path)
    return removed
