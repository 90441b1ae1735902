"""Extension headers as ancillary data (RFC 3542 sections 4 and 9): the classes of
:mod:`sockapi6.exthdr` / :mod:`sockapi6.routing`, and :class:`RoutingDestinationOptions`.

The header modules are imported on first use, so that importing the
ancillary items does not load them.
"""

from __future__ import annotations

import struct as _struct
from typing import TYPE_CHECKING

from .._binding import CONSTANTS as _C
from ..errors import MalformedError
from ._item import AncillaryItem
from ._wire import _IPPROTO_IPV6, _constant, _set

if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from ._wire import Cmsg, Decoder

__all__ = ["RoutingDestinationOptions"]

#: class name -> (module holding it, the cmsg type it is sent as)
_HEADER_CLASSES = {
    "HopByHopOptions": ("exthdr", "IPV6_HOPOPTS"),
    "DestinationOptions": ("exthdr", "IPV6_DSTOPTS"),
    "RoutingHeader": ("routing", "IPV6_RTHDR"),
    "SegmentRoutingHeader": ("routing", "IPV6_RTHDR"),
}


def _header_class(name: str) -> Any:
    from importlib import import_module

    module = import_module(f"..{_HEADER_CLASSES[name][0]}", __package__)
    return getattr(module, name)


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
        cls = _header_class("DestinationOptions")
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


def _header_decoder(name: str, what: str) -> Decoder:
    def decode(level: int, type_: int, data: bytes) -> Any:
        return _parse_header(_header_class(name).parse, data, what)

    return decode


_decode_hopopts = _header_decoder("HopByHopOptions", "IPV6_HOPOPTS")
_decode_dstopts = _header_decoder("DestinationOptions", "IPV6_DSTOPTS")


def _decode_rthdr(level: int, type_: int, data: bytes) -> Any:
    from ..routing import parse_routing_header

    return _parse_header(parse_routing_header, data, "IPV6_RTHDR")


def _decode_rthdrdstopts(level: int, type_: int, data: bytes) -> RoutingDestinationOptions:
    header = _parse_header(_header_class("DestinationOptions").parse, data, "IPV6_RTHDRDSTOPTS")
    return RoutingDestinationOptions(header)


_header_types: Optional[list[tuple[Any, int]]] = None


def _header_send_types() -> list[tuple[Any, int]]:
    """[(header class, cmsg type)] for the header classes that exist here (resolved once)."""
    global _header_types
    if _header_types is None:
        found = []
        for name, (_module, type_name) in _HEADER_CLASSES.items():
            type_ = _C.get(type_name)
            if type_ is None:
                continue
            try:
                found.append((_header_class(name), type_))
            except (ImportError, AttributeError):
                continue
        _header_types = found
    return _header_types
