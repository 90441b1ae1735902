""":class:`FlowInfo`: Linux's ``IPV6_FLOWINFO`` control message (traffic class and flow label).

Linux delivers it on receipt once ``IPV6_FLOWINFO`` is enabled
(``SocketOptions.recv_flowinfo``; iputils ping does this), and only when
the packet's traffic class or flow label is non-zero.  The data is the
first 32-bit word of the IPv6 header (RFC 8200 section 3) in network byte
order with the version bits cleared: 8 bits of traffic class, then the
20-bit flow label (RFC 6437).  On send it asks for that flow label and
traffic class; the kernel takes a label only once the socket holds it
(``sockapi6.flowlabel``, ``IPV6_FLOWLABEL_MGR``) and refuses version bits.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import int_range, u8
from .._wire import REQUIRED, field
from ..errors import MalformedError
from ._item import AncillaryItem
from ._registry import register
from ._wire import _IPPROTO_IPV6, _constant, _new, _set

if TYPE_CHECKING:
    from ._wire import Cmsg

__all__ = ["FlowInfo"]

_BE32 = struct.Struct("!I")
_LABEL = 0xFFFFF


class FlowInfo(AncillaryItem):
    """``IPV6_FLOWINFO`` (Linux ipv6(7)): the flow label (RFC 6437) and traffic class of a packet."""

    __slots__ = ()
    flow_label: int = field("", int_range(0, _LABEL, "flow_label"), REQUIRED,
                            "The 20-bit flow label (RFC 6437).")
    traffic_class: int = field("", u8, 0, "The 8-bit traffic class (RFC 8200 section 7).")

    @property
    def flowinfo(self) -> int:
        """The 28-bit ``sin6_flowinfo`` value: traffic class << 20 | flow label."""
        return self.traffic_class << 20 | self.flow_label

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_FLOWINFO, 4 bytes in network byte order)``."""
        return _IPPROTO_IPV6, _constant("IPV6_FLOWINFO"), _BE32.pack(self.flowinfo)


def _decode_flowinfo(level: int, type_: int, data: bytes) -> FlowInfo:
    if len(data) != 4:
        raise MalformedError(f"IPV6_FLOWINFO data is 4 bytes, got {len(data)}")
    word = _BE32.unpack(data)[0]
    if word >> 28:
        raise MalformedError(f"IPV6_FLOWINFO {word:#010x} carries version bits", offset=0)
    item: FlowInfo = _new(FlowInfo)
    _set(item, "flow_label", word & _LABEL)
    _set(item, "traffic_class", word >> 20 & 0xFF)
    return item


register("IPPROTO_IPV6", "IPV6_FLOWINFO", _decode_flowinfo, FlowInfo, "flowinfo")
