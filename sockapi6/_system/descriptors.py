"""A socket's descriptor, checked before libc sees it (design rule 4; the bad-input table of
:mod:`sockapi6.errors`): ``TypeError`` for what is no socket, ``OSError(EBADF)`` once closed,
``ValueError`` beyond this OS's ``SOCKET`` type.
"""

from __future__ import annotations

import errno
import os

from .binding import ffi

__all__ = ["check_socket", "fileno"]

_socket_max = 0


def _largest_socket() -> int:
    """The largest value of this OS's ``SOCKET`` type (``int`` on Unix, 64-bit unsigned on Windows)."""
    global _socket_max
    if not _socket_max:
        bits = 8 * ffi.sizeof("SOCKET")
        signed = int(ffi.cast("SOCKET", -1)) < 0
        _socket_max = 2 ** (bits - 1 if signed else bits) - 1
    return _socket_max


def fileno(sock: object) -> int:
    """Return ``sock.fileno()``, checked to fit the ``SOCKET`` libc's socket calls take.

    ``TypeError`` unless ``sock`` has a ``fileno()`` that returns an int;
    ``OSError(EBADF)`` for a negative one (a closed socket); ``ValueError``
    above the type's range.  On Windows the value is the ``SOCKET`` handle.
    """
    method = getattr(sock, "fileno", None)
    if not callable(method):
        raise TypeError(f"need a socket (an object with fileno()), not {type(sock).__name__}")
    fd = method()
    if isinstance(fd, bool) or not isinstance(fd, int):
        raise TypeError(f"fileno() returned {type(fd).__name__}, not an int")
    if fd < 0:
        raise OSError(errno.EBADF, f"{os.strerror(errno.EBADF)}: fileno() returned {fd} (socket closed?)")
    if fd > _largest_socket():
        raise ValueError(f"fileno() returned {fd}, beyond the largest socket descriptor {_largest_socket()}")
    return fd


def check_socket(sock: object, method: str) -> int:
    """Return ``sock``'s descriptor (:func:`fileno`) if ``sock`` is a socket with a ``method`` method.

    ``TypeError`` for anything else (``None``, a plain file: a descriptor
    alone does not make a socket); ``OSError(EBADF)`` once closed.
    """
    if not callable(getattr(sock, method, None)):
        raise TypeError(f"need a socket (with fileno() and {method}()), not {type(sock).__name__}")
    return fileno(sock)


