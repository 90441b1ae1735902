"""Interfaces given by name or by index (RFC 3493 sections 4 and 5.2): the one resolver.

Every module that takes an interface (socket options, multicast, address
scopes, ancillary data) turns it into an index here, so the accepted forms
and the errors are the same everywhere: an ``int`` in ``0..2**32-1``, a
decimal string, or a name looked up with ``if_nametoindex``
(:mod:`sockapi6._system.ifnames`, public as ``sockapi6.interfaces``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UnknownInterfaceError, out_of_range
from .ifnames import if_nametoindex

if TYPE_CHECKING:
    from typing import Union

__all__ = ["interface_index", "scope_index"]

_U32 = 0xFFFFFFFF


def interface_index(interface: Union[int, str]) -> int:
    """Return the index of ``interface``: a name (``"eth0"``), a decimal string or an index.

    ``0`` means "no interface / the kernel's choice" (RFC 3493 section 5.2).
    ``TypeError`` for other types, :class:`~sockapi6.errors.RangeError` for
    an index outside ``0..2**32-1``,
    :class:`~sockapi6.errors.UnknownInterfaceError` for an unknown name.
    """
    if isinstance(interface, int) and not isinstance(interface, bool):
        if not 0 <= interface <= _U32:
            raise out_of_range("interface index", interface, 0, _U32)
        return interface
    if not isinstance(interface, str):
        raise TypeError(f"an interface is a name or an index, not {type(interface).__name__}")
    if interface.isascii() and interface.isdigit():
        return interface_index(int(interface))
    return if_nametoindex(interface)


def scope_index(interface: Union[int, str], what: str) -> int:
    """Return the index of the scope ``interface`` of ``what`` (RFC 3493 section 3.3); 0 is none.

    As :func:`interface_index`; an unknown or empty name is an
    :class:`~sockapi6.errors.UnknownInterfaceError` that names ``what`` (the
    address being read).
    """
    if isinstance(interface, str) and not (interface.isascii() and interface.isdigit()):
        if not interface:
            raise UnknownInterfaceError(interface, what)
        try:
            return interface_index(interface)
        except UnknownInterfaceError:
            raise UnknownInterfaceError(interface, what) from None
    return interface_index(interface)
