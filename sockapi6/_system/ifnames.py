"""RFC 3493 section 4: interface name <-> index (``if_nametoindex``, ``if_indextoname``, ``if_nameindex``).

Each function calls libc through :data:`sockapi6.lib`; where libc lacks one
(Windows' ws2_32 has none) the standard library's ``socket.if_*`` stands in,
chosen once from a table (:data:`_CHOICES`).  Where C returns 0 or NULL these
raise :class:`~sockapi6.errors.UnknownInterfaceError` (an ``OSError`` and a
``ValueError``): ``errno`` ``ENODEV`` for an unknown name, ``ENXIO`` for an
unknown index (RFC 3493 sections 4.1 and 4.2).
"""

from __future__ import annotations

import errno as _errno
import os
import socket as _socket
from typing import TYPE_CHECKING

from .._checks import check_int
from ..errors import UnknownInterfaceError
from .binding import CONSTANTS as _CONSTANTS
from .binding import ffi, has_function, last_error, lib

if TYPE_CHECKING:
    from typing import Any, Callable, Union

__all__ = ["if_nametoindex", "if_indextoname", "if_nameindex"]

_IF_NAMESIZE: int = _CONSTANTS.get("IF_NAMESIZE", 16)
_U32 = 0xFFFFFFFF


def _name_bytes(name: Union[str, bytes]) -> bytes:
    if isinstance(name, str):
        raw = os.fsencode(name)
    elif isinstance(name, bytes):
        raw = name
    else:
        raise TypeError(f"an interface name is str or bytes, got {type(name).__name__}")
    if b"\x00" in raw:
        raise ValueError(f"interface name {name!r} contains a NUL byte")
    return raw


def _no_such_name(name: bytes, err: int = _errno.ENODEV) -> OSError:
    text = os.fsdecode(name)
    if err == _errno.ENODEV:
        return UnknownInterfaceError(text)
    return OSError(err, f"{os.strerror(err)} (looking up interface {text!r})")


def _no_such_index(index: int, err: int = _errno.ENXIO) -> OSError:
    if err == _errno.ENXIO:
        return UnknownInterfaceError(index, errno=err)
    return OSError(err, f"{os.strerror(err)} (looking up interface index {index})")


def _libc_nametoindex(name: bytes) -> int:
    ffi.errno = 0
    index: int = lib.if_nametoindex(name)
    if index == 0:
        raise _no_such_name(name, last_error() or _errno.ENODEV)
    return index


def _stdlib_nametoindex(name: bytes) -> int:
    try:
        return _socket.if_nametoindex(os.fsdecode(name))
    except OSError:
        raise _no_such_name(name) from None


def _libc_indextoname(index: int) -> str:
    buf = ffi.new("char[]", _IF_NAMESIZE)
    ffi.errno = 0
    if lib.if_indextoname(index, buf) == ffi.NULL:
        raise _no_such_index(index, last_error() or _errno.ENXIO)
    return os.fsdecode(ffi.string(buf, _IF_NAMESIZE))


def _stdlib_indextoname(index: int) -> str:
    try:
        return _socket.if_indextoname(index)
    except OSError:
        raise _no_such_index(index) from None


def _libc_nameindex() -> list[tuple[int, str]]:
    ffi.errno = 0
    array = lib.if_nameindex()
    if array == ffi.NULL:
        err = last_error() or _errno.ENOMEM
        raise OSError(err, f"if_nameindex: {os.strerror(err)}")
    try:
        result = []
        i = 0
        while array[i].if_index != 0 and array[i].if_name != ffi.NULL:
            result.append((int(array[i].if_index), os.fsdecode(ffi.string(array[i].if_name))))
            i += 1
        return result
    finally:
        lib.if_freenameindex(array)


def _stdlib_nameindex() -> list[tuple[int, str]]:
    return [(int(index), name) for index, name in _socket.if_nameindex()]


#: C function -> (through libc, standard-library stand-in); the first is used when libc has it
_CHOICES: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "if_nametoindex": (_libc_nametoindex, _stdlib_nametoindex),
    "if_indextoname": (_libc_indextoname, _stdlib_indextoname),
    "if_nameindex": (_libc_nameindex, _stdlib_nameindex),
}
_IMPL: dict[str, Callable[..., Any]] = {
    name: (libc if has_function(name) else stdlib) for name, (libc, stdlib) in _CHOICES.items()
}


def if_nametoindex(name: Union[str, bytes]) -> int:
    """Return the index of the interface called ``name`` (RFC 3493 section 4.1).

    C returns 0 for an unknown name; this raises
    :class:`~sockapi6.errors.UnknownInterfaceError` (``errno`` ``ENODEV``)
    naming it, or ``OSError`` with another ``errno`` libc reported.
    ``ValueError`` for a name with a NUL.
    """
    raw = _name_bytes(name)
    if not raw or len(raw) >= _IF_NAMESIZE:
        raise _no_such_name(raw)
    index: int = _IMPL["if_nametoindex"](raw)
    return index


def if_indextoname(index: int) -> str:
    """Return the name of the interface with index ``index`` (RFC 3493 section 4.2).

    C returns NULL with ``errno`` ``ENXIO`` for an unknown index; this raises
    :class:`~sockapi6.errors.UnknownInterfaceError` (``errno`` ``ENXIO``).
    :class:`~sockapi6.errors.RangeError` for a number outside ``0..2**32-1``.
    """
    if check_int(index, 0, _U32, "interface index") == 0:
        raise _no_such_index(0)
    name: str = _IMPL["if_indextoname"](index)
    return name


def if_nameindex() -> list[tuple[int, str]]:
    """Return ``[(index, name), ...]`` for every interface (RFC 3493 sections 4.3 and 4.4).

    libc's array is always freed with ``if_freenameindex``.
    """
    result: list[tuple[int, str]] = _IMPL["if_nameindex"]()
    return result
