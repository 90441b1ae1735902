"""Any routing header, read into the class its Routing Type calls for (RFC 8200 section 4.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import octets
from ..errors import MalformedError
from ._base import UnknownRoutingHeader
from ._srh import SegmentRoutingHeader
from ._type02 import RoutingHeader

if TYPE_CHECKING:
    from typing import Any, Callable, Union

    AnyRoutingHeader = Union[RoutingHeader, SegmentRoutingHeader, UnknownRoutingHeader]

__all__ = ["parse_routing_header"]

_PARSERS: dict[int, Callable[[bytes], Any]] = {
    0: RoutingHeader.parse, 2: RoutingHeader.parse, 4: SegmentRoutingHeader.parse,
}


def parse_routing_header(data: bytes) -> AnyRoutingHeader:
    """Read one whole routing header and return the class its Routing Type calls for.

    Types 0 and 2 give :class:`RoutingHeader`, 4 :class:`SegmentRoutingHeader`
    (padding TLVs dropped), any other :class:`UnknownRoutingHeader`.
    :class:`MalformedError` for bytes that are not a routing header.
    """
    buf = octets(data, "data")
    if len(buf) < 3:
        raise MalformedError(f"a routing header needs at least 8 octets, got {len(buf)}", len(buf))
    return _PARSERS.get(buf[2], UnknownRoutingHeader.parse)(buf)  # type: ignore[no-any-return]
