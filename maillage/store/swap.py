"""The store swap without a moment without a graph (issue 14): the store's path is a symbolic
link to a generation folder (``store.gen-N``). A build writes ``store.new-PID``, renames it to
the next generation, and flips the link with one rename(2) — readers (the server's workers, the
CLI) open the path and so follow it; a reader opened on the previous generation keeps it until the
next swap, when generations other than the new one and the one it replaced are removed.

A store written before this layout (a plain folder) is moved to a generation on its first swap:
that one move is the only moment the path is absent."""

from __future__ import annotations

import errno
import os
import shutil
import time
from pathlib import Path


def live_path(path: Path) -> Path:
    """The store's path made absolute, without resolving its link (the link is what swaps)."""
    return Path(os.path.abspath(path))


def check_target(path: Path) -> None:
    """Refuse to write a store where something else is: a file, or a folder that holds no store
    (a swap moves a plain folder aside as a generation, and a later swap deletes it: ``--store
    README.md`` replaced the file by a store, ``--store ~/notes`` would have lost the folder).
    Raises FileExistsError with the reason; the path is left as it was."""
    from maillage.store.base import META_FILE

    path = live_path(path)
    if path.is_symlink() or not path.exists():
        return
    if path.is_dir():
        if (path / META_FILE).exists() or not any(path.iterdir()):
            return
        raise FileExistsError(errno.EEXIST, f"{path} is a folder that holds no maillage store (no {META_FILE}): "
                                            "nothing written there; give --store a new or empty folder")
    raise FileExistsError(errno.EEXIST, f"{path} is a file, not a store folder: nothing written, the file is kept; "
                                        "give --store a folder")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(path: Path, ready: Path) -> None:
    """Make the complete store folder ``ready`` the one at ``path``, atomically."""
    from maillage.faults import fault

    path = live_path(path)
    check_target(path)
    gen = path.with_name(f"{path.name}.gen-{time.time_ns()}")
    ready.rename(gen)
    fault("swap:renamed")
    previous = os.readlink(path) if path.is_symlink() else None
    if path.exists() and not path.is_symlink():  # the old layout: a plain folder, moved once
        legacy = path.with_name(f"{path.name}.gen-{time.time_ns()}")
        path.rename(legacy)
        previous = legacy.name
    link = path.with_name(f"{path.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(gen.name)
    fault("swap:linked")
    os.replace(link, path)  # the flip: rename(2) of a link over a link is atomic
    fault("swap:flipped")
    _fsync_dir(path.parent)
    keep = {gen.name, os.path.basename(previous) if previous else None}
    for other in path.parent.glob(f"{path.name}.gen-*"):
        if other.name not in keep:
            shutil.rmtree(other, ignore_errors=True)
