"""Value checks shared by every layer (design rule 4: ``TypeError`` / ``ValueError``).

Plain Python on plain values: the wire formats use them too, so nothing here
touches the system (a socket's descriptor is checked in
:mod:`sockapi6._system.descriptors`).
"""

from __future__ import annotations

__all__ = ["check_int", "check_span"]


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
