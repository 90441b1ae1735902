"""Argument checks shared by the Pythonic layer (design rule 4: ``TypeError`` / ``ValueError``)."""

from __future__ import annotations

__all__ = ["check_int", "file_descriptor"]


def check_int(value: object, low: int, high: int, what: str) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``) in ``low..high``.

    ``TypeError`` for another type, ``ValueError`` naming ``what`` and the
    range otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{what} {value} is out of range {low}..{high}")
    return value


def file_descriptor(sock: object) -> int:
    """Return ``sock.fileno()``; ``TypeError`` unless ``sock`` has one that returns an int."""
    fileno = getattr(sock, "fileno", None)
    if not callable(fileno):
        raise TypeError(f"need a socket (an object with fileno()), not {type(sock).__name__}")
    fd = fileno()
    if isinstance(fd, bool) or not isinstance(fd, int):
        raise TypeError(f"fileno() returned {type(fd).__name__}, not an int")
    return fd
