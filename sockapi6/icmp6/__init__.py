"""ICMPv6, Neighbor Discovery and MLD messages as value objects (RFC 4443, 4861, 2710, 3810, 8106, 6275).

``bytes(msg)`` gives the wire message; :func:`parse` reads one back (unknown
types and options kept, checksum as received, so ``bytes(parse(d)) == d``);
:func:`checksum` computes the checksum over the IPv6 pseudo-header
(RFC 8200 8.1).  Example, a Router Advertisement::

    ra = RouterAdvertisement(flags=RAFlag.MANAGED, router_lifetime=1800, options=[
        SourceLinkLayerAddress("02:00:00:00:00:0a"), MTU(1500),
        PrefixInformation("2001:db8::", 64), RecursiveDNSServer(["2001:db8::53"], 600),
        DNSSearchList(["example.com"], 600)])
    sock.sendto(bytes(ra), ("ff02::1", 0, 0, ifindex))   # raw ICMPv6 socket, hop limit 255

Byte order: enums such as :class:`NAFlag` hold wire (network-order) values;
the C names ``ND_NA_FLAG_*``, ``ICMP6_RR_PCOUSE_FLAGS_*``,
``ICMP6_RR_RESULT_FLAGS_*`` and ``MIP6_PA_FLAG_*`` here hold the value that
compares against the multi-byte field as C reads it on this host (what
glibc's ``<netinet/icmp6.h>`` defines on little-endian machines).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .._convert import octets
from ..errors import MalformedError
from . import _dns, _messages, _mld, _nd, _options, _types
from ._dns import *  # noqa: F403
from ._messages import *  # noqa: F403
from ._messages import MESSAGES, ICMPv6Message, UnknownICMPv6Message
from ._mld import *  # noqa: F403
from ._nd import *  # noqa: F403
from ._nd import MPAFlag, NAFlag
from ._options import *  # noqa: F403
from ._types import *  # noqa: F403

if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "parse", "ND_NA_FLAG_ROUTER", "ND_NA_FLAG_SOLICITED", "ND_NA_FLAG_OVERRIDE",
    "ICMP6_RR_PCOUSE_FLAGS_DECRVLTIME", "ICMP6_RR_PCOUSE_FLAGS_DECRPLTIME", "ICMP6_RR_RESULT_FLAGS_OOB",
    "ICMP6_RR_RESULT_FLAGS_FORBIDDEN", "MIP6_PA_FLAG_MANAGED", "MIP6_PA_FLAG_OTHER",
]
__all__ += _messages.__all__
__all__ += _nd.__all__
__all__ += _mld.__all__
__all__ += _options.__all__
__all__ += _dns.__all__
__all__ += _types.__all__


def parse(data: Any) -> ICMPv6Message:
    """Read one ICMPv6 message (what a raw ICMPv6 socket delivers).

    Raises :class:`MalformedError` when it does not parse.
    """
    raw = octets(data)
    if len(raw) < 4:
        raise MalformedError(f"an ICMPv6 message is at least 4 octets, got {len(raw)}")
    cls = MESSAGES.get(raw[0], UnknownICMPv6Message)
    return cls._from_wire(raw)


def _host(value: int, size: int) -> int:
    return int.from_bytes(value.to_bytes(size, "big"), sys.byteorder)


#: C names of multi-byte flags, valued for a test on the raw field as read on this host
ND_NA_FLAG_ROUTER = _host(NAFlag.ROUTER, 4)
ND_NA_FLAG_SOLICITED = _host(NAFlag.SOLICITED, 4)
ND_NA_FLAG_OVERRIDE = _host(NAFlag.OVERRIDE, 4)
ICMP6_RR_PCOUSE_FLAGS_DECRVLTIME = _host(0x80000000, 4)
ICMP6_RR_PCOUSE_FLAGS_DECRPLTIME = _host(0x40000000, 4)
ICMP6_RR_RESULT_FLAGS_OOB = _host(0x0002, 2)
ICMP6_RR_RESULT_FLAGS_FORBIDDEN = _host(0x0001, 2)
MIP6_PA_FLAG_MANAGED = _host(MPAFlag.MANAGED, 2)
MIP6_PA_FLAG_OTHER = _host(MPAFlag.OTHER, 2)
