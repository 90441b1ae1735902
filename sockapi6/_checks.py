"""Argument checks shared by the Pythonic layer (design rule 4: ``TypeError`` / ``ValueError``)."""

from __future__ import annotations

__all__ = ["check_int", "check_socket", "fileno"]


def check_int(value: object, low: int, high: int, what: str) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``) in ``low..high``.

    ``TypeError`` for another type, :class:`~sockapi6.errors.RangeError`
    (a ``ValueError`` and ``OverflowError``) naming ``what`` and the range
    otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        from .errors import out_of_range

        raise out_of_range(what, value, low, high)
    return value


_socket_max = 0


def _largest_socket() -> int:
    """The largest value of this OS's ``SOCKET`` type (``int`` on Unix, 64-bit unsigned on Windows)."""
    global _socket_max
    if not _socket_max:
        from ._binding import ffi

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
        import errno
        import os

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


def check_span(data: object, start: object, end: object) -> tuple[bytes, int, int]:
    """``(bytes(data), start, end)`` for a parser that reads ``data[start:end]`` (``end`` None: to the end).

    ``TypeError`` unless ``data`` is bytes-like (an ``int`` is not: ``bytes(5)``
    would be five zero bytes) and ``start``/``end`` are ints;
    :class:`~sockapi6.errors.RangeError` unless ``0 <= start <= end <= len(data)``.
    """
    if isinstance(data, str):
        raise TypeError("data must be bytes-like, not str")
    raw = bytes(memoryview(data))  # type: ignore[arg-type]
    stop = len(raw) if end is None else check_int(end, 0, len(raw), "end")
    return raw, check_int(start, 0, stop, "start"), stop
