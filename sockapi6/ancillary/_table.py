"""The functions that use the one table ``(level, type) -> decoder`` (RFC 3542 sections 4-6, 11;
RFC 2292 numbers): :func:`parse_ancillary`, :func:`from_cmsg`, :func:`to_cmsg`, :func:`cmsg_name`.

The table is :mod:`~sockapi6.ancillary._registry`, which the item modules
fill as they load (an option the OS lacks is simply not in it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._checks import check_int

# each item module registers the control messages it decodes
from . import _addresses, _errqueue, _flowinfo, _ints, _offload, _pktinfo, _timestamps  # noqa: F401
from ._headers import _header_send_types
from ._item import AncillaryItem, UnknownControlMessage
from ._registry import DECODERS as _DECODERS
from ._registry import NAMES as _NAMES
from ._registry import OWNERS as _OWNERS
from ._registry import SHORTCUTS as _SHORTCUTS
from ._wire import _IPPROTO_IPV6

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .._types import AncillaryData, AncillaryInput, Buffer
    from ._wire import Cmsg

__all__ = ["parse_ancillary", "from_cmsg", "to_cmsg", "cmsg_name"]
__all__ += ["_DECODERS", "_NAMES", "_OWNERS", "_SHORTCUTS"]  # the registry's tables, for messaging


def cmsg_name(level: int, type: int) -> str:
    """The C name of a control message type (``"IPV6_PKTINFO"``), or ``"level L type T"``."""
    return _NAMES.get((level, type), f"level {level} type {type}")


def from_cmsg(level: int, type: int, data: Buffer) -> AncillaryData:
    """Decode one control message into its item (or :class:`UnknownControlMessage`).

    Raises :class:`~sockapi6.errors.MalformedError` when the data does not fit its type.
    """
    raw = bytes(memoryview(data))  # bytes(4) would be four zero bytes, not a TypeError
    decoder = _DECODERS.get((level, type))
    if decoder is None:
        return UnknownControlMessage(level, type, raw)
    return decoder(level, type, raw)  # type: ignore[no-any-return]


def parse_ancillary(ancdata: Iterable[tuple[int, int, Buffer]]) -> list[AncillaryData]:
    """Turn :meth:`socket.socket.recvmsg`'s ancillary list into items, in order (RFC 3542 section 20).

    ``IPV6_PKTINFO`` -> :class:`PacketInfo`, ``IPV6_HOPLIMIT`` ->
    :class:`HopLimit`, ``IPV6_HOPOPTS`` -> ``HopByHopOptions``, ...; anything
    else -> :class:`UnknownControlMessage`.  Bad data:
    :class:`~sockapi6.errors.MalformedError`.
    """
    decoders = _DECODERS
    out: list[AncillaryData] = []
    for level, type_, data in ancdata:
        # bytes(memoryview(...)): bytes(4) would be four zero bytes, not a TypeError
        raw = data if type(data) is bytes else bytes(memoryview(data))
        decoder = decoders.get((level, type_))
        item = UnknownControlMessage(level, type_, raw) if decoder is None else decoder(level, type_, raw)
        out.append(item)
    return out


def to_cmsg(item: AncillaryInput) -> Cmsg:
    """``(level, type, data)`` of anything ``sendmsg`` accepts as ancillary data (RFC 3542 section 6).

    An item of this module, an extension-header object (``HopByHopOptions``
    -> ``IPV6_HOPOPTS``, ``DestinationOptions`` -> ``IPV6_DSTOPTS``,
    ``RoutingHeader`` / ``SegmentRoutingHeader`` -> ``IPV6_RTHDR``; wrap in
    :class:`RoutingDestinationOptions` for ``IPV6_RTHDRDSTOPTS``), or a raw
    ``(level, type, bytes)`` tuple.
    """
    if isinstance(item, AncillaryItem):
        return item.to_cmsg()
    if isinstance(item, tuple):
        if len(item) != 3:
            raise ValueError(f"a raw control message is (level, type, data), got {len(item)} items")
        level, type_, data = item
        check_int(level, -0x80000000, 0x7FFFFFFF, "level")
        check_int(type_, -0x80000000, 0x7FFFFFFF, "type")
        return level, type_, bytes(memoryview(data))
    for cls, type_ in _header_send_types():
        if isinstance(item, cls):
            return _IPPROTO_IPV6, type_, bytes(item)
    raise TypeError(
        f"{type(item).__name__} is not an ancillary item, extension header or (level, type, data)"
    )
