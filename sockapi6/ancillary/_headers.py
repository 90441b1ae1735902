"""Extension headers as ancillary data (RFC 3542 sections 4 and 9): the classes of
:mod:`sockapi6.exthdr` / :mod:`sockapi6.routing`, and :class:`RoutingDestinationOptions`.

The header modules are imported on first use, so that importing the
ancillary items does not load them.
"""

from __future__ import annotations

import struct as _struct
from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS as _C
from ..errors import MalformedError
from ._item import AncillaryItem
from ._registry import register
from ._wire import _IPPROTO_IPV6, _constant, _set

if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from ._wire import Cmsg

__all__ = ["RoutingDestinationOptions"]


def _destination_options() -> Any:
    from ..exthdr import DestinationOptions

    return DestinationOptions


class RoutingDestinationOptions(AncillaryItem):
    """Destination options placed *before* a routing header: ``IPV6_RTHDRDSTOPTS`` (RFC 3542 section 9.2).

    Wrap a :class:`~sockapi6.exthdr.DestinationOptions` in this to send it in
    that place; a bare ``DestinationOptions`` goes as ``IPV6_DSTOPTS`` (after
    the routing header).  Linux delivers both kinds as ``IPV6_DSTOPTS`` and
    refuses to send this one without a routing header.
    """

    __slots__ = {"header": "The wrapped :class:`~sockapi6.exthdr.DestinationOptions`."}
    _fields = ("header",)
    header: Any

    def __init__(self, header: Any) -> None:
        cls = _destination_options()
        if not isinstance(header, cls):
            raise TypeError(f"expected a DestinationOptions header, got {type(header).__name__}")
        _set(self, "header", header)

    def __bytes__(self) -> bytes:
        return bytes(self.header)

    def _key(self) -> tuple[Any, ...]:
        return (bytes(self.header),)

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_RTHDRDSTOPTS, header bytes)``."""
        return _IPPROTO_IPV6, _constant("IPV6_RTHDRDSTOPTS"), bytes(self.header)


def _parse_header(parse: Callable[[bytes], Any], data: bytes, what: str) -> Any:
    """``parse(data)``, any failure reported as :class:`MalformedError`."""
    try:
        return parse(data)
    except MalformedError:
        raise
    except (ValueError, IndexError, _struct.error) as exc:
        raise MalformedError(f"{what}: {exc}") from exc


def _decode_hopopts(level: int, type_: int, data: bytes) -> Any:
    from ..exthdr import HopByHopOptions

    return _parse_header(HopByHopOptions.parse, data, "IPV6_HOPOPTS")


def _decode_dstopts(level: int, type_: int, data: bytes) -> Any:
    return _parse_header(_destination_options().parse, data, "IPV6_DSTOPTS")


def _decode_rthdr(level: int, type_: int, data: bytes) -> Any:
    from ..routing import parse_routing_header

    return _parse_header(parse_routing_header, data, "IPV6_RTHDR")


def _decode_rthdrdstopts(level: int, type_: int, data: bytes) -> RoutingDestinationOptions:
    header = _parse_header(_destination_options().parse, data, "IPV6_RTHDRDSTOPTS")
    return RoutingDestinationOptions(header)


_header_types: Optional[list[tuple[Any, int]]] = None


def _header_send_types() -> list[tuple[Any, int]]:
    """[(header class, cmsg type)] for the header classes that exist here (resolved once)."""
    global _header_types
    if _header_types is None:
        from ..exthdr import DestinationOptions, HopByHopOptions
        from ..routing import RoutingHeader, SegmentRoutingHeader

        sent_as = ((HopByHopOptions, "IPV6_HOPOPTS"), (DestinationOptions, "IPV6_DSTOPTS"),
                   (RoutingHeader, "IPV6_RTHDR"), (SegmentRoutingHeader, "IPV6_RTHDR"))
        _header_types = [(cls, _C[name]) for cls, name in sent_as if name in _C]
    return _header_types


register("IPPROTO_IPV6", "IPV6_HOPOPTS", _decode_hopopts, None, "hopopts")
register("IPPROTO_IPV6", "IPV6_DSTOPTS", _decode_dstopts, None, "dstopts")
register("IPPROTO_IPV6", "IPV6_RTHDRDSTOPTS", _decode_rthdrdstopts, RoutingDestinationOptions, "rthdrdstopts")
register("IPPROTO_IPV6", "IPV6_RTHDR", _decode_rthdr, None, "rthdr")
register("IPPROTO_IPV6", "IPV6_2292HOPOPTS", _decode_hopopts, None, "hopopts")
register("IPPROTO_IPV6", "IPV6_2292DSTOPTS", _decode_dstopts, None, "dstopts")
register("IPPROTO_IPV6", "IPV6_2292RTHDR", _decode_rthdr, None, "rthdr")
