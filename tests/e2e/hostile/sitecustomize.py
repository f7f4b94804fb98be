"""Fault injection for subprocess tests (this folder goes first on PYTHONPATH, so every process of a run, spawned
workers included, imports it at start-up):

- ``SV_NET_LOG=FILE``: every internet connection attempt (DNS lookup, TCP connect) is refused and recorded in FILE.
- ``SV_FAULT_ENOSPC=DIR``: every write to a file under DIR fails with ENOSPC (a full disk).
- ``SV_FAULT_EACCES=DIR``: creating anything under DIR fails with EACCES (a read-only folder, even for root).
"""

from __future__ import annotations

import builtins
import errno
import os
import socket

_NET_LOG = os.environ.get("SV_NET_LOG")
_ENOSPC = os.environ.get("SV_FAULT_ENOSPC")
_EACCES = os.environ.get("SV_FAULT_EACCES")

if _NET_LOG:
    _connect = socket.socket.connect

    def _record(what: str) -> None:
        with open(_NET_LOG, "a") as f:
            f.write(f"pid {os.getpid()}: {what}\n")

    def _getaddrinfo(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        _record(f"getaddrinfo {host!r} {port!r}")
        raise socket.gaierror(socket.EAI_NONAME, "network blocked by the test")

    def _guarded_connect(self, address):  # noqa: ANN001, ANN202
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _record(f"connect {address!r}")
            raise OSError(errno.ENETUNREACH, "network blocked by the test")
        return _connect(self, address)

    socket.getaddrinfo = _getaddrinfo
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect


def _under(path: object, root: str) -> bool:
    try:
        return os.path.abspath(os.fsdecode(path)).startswith(os.path.abspath(root) + os.sep)
    except TypeError:  # a file descriptor
        return False


if _ENOSPC or _EACCES:
    _open, _mkdir, _os_open = builtins.open, os.mkdir, os.open

    class _FullFile:
        """A file open for writing on a full disk: every write fails."""

        def __init__(self, f, name):  # noqa: ANN001
            self._f, self._name = f, name

        def write(self, data):  # noqa: ANN001, ANN202
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fsdecode(self._name))

        def __getattr__(self, k):  # noqa: ANN001, ANN204
            return getattr(self._f, k)

        def __enter__(self):  # noqa: ANN204
            return self

        def __exit__(self, *exc):  # noqa: ANN002, ANN204
            self._f.close()

    def _denied(path: object) -> OSError:
        return PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))

    def _guarded_open(file, mode="r", *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        writing = any(c in mode for c in "wax+")
        if writing and _EACCES and _under(file, _EACCES):
            raise _denied(file)
        f = _open(file, mode, *args, **kwargs)
        return _FullFile(f, file) if writing and _ENOSPC and _under(file, _ENOSPC) else f

    def _guarded_mkdir(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if _EACCES and _under(path, _EACCES):
            raise _denied(path)
        return _mkdir(path, *args, **kwargs)

    def _guarded_os_open(path, flags, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if _EACCES and flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR) and _under(path, _EACCES):
            raise _denied(path)
        return _os_open(path, flags, *args, **kwargs)

    builtins.open, os.mkdir, os.open = _guarded_open, _guarded_mkdir, _guarded_os_open
