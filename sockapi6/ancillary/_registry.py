"""The one table ``(level, type) -> decoder`` (RFC 3542 sections 4-6, 11; RFC 2292 numbers), filled by
the item modules themselves.

Each item module calls :func:`register` for the control messages it
decodes when it loads; :mod:`~sockapi6.ancillary._table` (``parse_ancillary``
and friends) and :meth:`AncillaryItem.from_cmsg` read the tables here.  The
numbers come from this OS's constants: a message the OS lacks is simply not
registered.  The first registration of a number wins (an item module
registers its RFC 3542 name before the RFC 2292 one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS as _C

if TYPE_CHECKING:
    from typing import Any

    from ._wire import Decoder

__all__ = ["DECODERS", "NAMES", "OWNERS", "SHORTCUTS", "register"]

#: (level, type) -> the decoder of that control message
DECODERS: dict[tuple[int, int], Decoder] = {}
#: (level, type) -> the item class it decodes to (None: a class of another package, e.g. a header)
OWNERS: dict[tuple[int, int], Any] = {}
#: (level, type) -> (the ReceivedMessage shortcut, the decoder)
SHORTCUTS: dict[tuple[int, int], tuple[str, Decoder]] = {}
#: (level, type) -> its C name
NAMES: dict[tuple[int, int], str] = {}


def register(level_name: str, type_name: str, decoder: Decoder, owner: Any, shortcut: str = "") -> None:
    """Register ``decoder`` for the control message ``(level_name, type_name)`` (C names) of this OS.

    ``owner`` is the class it decodes to (what ``Class.from_cmsg`` accepts),
    ``shortcut`` the ``ReceivedMessage`` attribute that shows it ("" for
    none).  Absent on this OS, or a number already registered: nothing.
    """
    level, type_ = _C.get(level_name), _C.get(type_name)
    if level is None or type_ is None or (level, type_) in DECODERS:
        return
    DECODERS[level, type_] = decoder
    OWNERS[level, type_] = owner
    NAMES[level, type_] = type_name
    if shortcut:
        SHORTCUTS[level, type_] = (shortcut, decoder)
