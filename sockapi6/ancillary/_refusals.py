"""Why the kernel refused a send or a sticky option: the known cause (see ``_system.oserror.explain``).

Only runs after a system call failed, so it may look around (the host's
addresses, the socket's bound device).  Each function returns the key of a
row of the platform record's ``refusal_causes`` table and the fields its
text names, or None when no known cause fits; the row itself decides
whether the ``errno`` matches and what the message says.

The causes (Linux's ``ip6_datagram_send_ctl`` and ``ipv6_set_opt_hdr``;
docs/kernel-facts.md rows 8, 13, 17):

* a routing header of type 0, or of type 2 (RFC 6275 section 6.4; only
  with ``CONFIG_IPV6_MIP6``), sticky or as ancillary data; a Segment Routing
  Header (type 4, RFC 8754) as ancillary data;
* ``IPV6_NEXTHOP``, as an option or as ancillary data;
* a ``PacketInfo`` whose interface disagrees with the destination's scope
  (or the socket's bound device), or whose source address is not the
  host's, still tentative, or link-local on another interface (RFC 4007
  section 6).
"""

from __future__ import annotations

import socket as _socket
import struct
from ipaddress import IPv6Address
from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS as _C
from ._wire import _IPPROTO_IPV6, _needs_scope

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Optional

    Cause = tuple[str, dict[str, Any]]

__all__ = ["explain_send", "option_cause", "send_cause"]

_IPV6_RTHDR = _C.get("IPV6_RTHDR")
_IPV6_NEXTHOP = _C.get("IPV6_NEXTHOP")
_IPV6_PKTINFO = _C.get("IPV6_PKTINFO")
_RTHDR_CAUSES = {0: "rthdr_type0", 2: "rthdr_type2"}
_SRH = 4  # RFC 8754's routing type
_IFA_F_TENTATIVE = 0x40  # <linux/if_addr.h>, as /proc/net/if_inet6 shows it
_U32 = struct.Struct("=I")  # in6_pktinfo's ipi6_ifindex, host order


def _rthdr_cause(data: bytes, sticky: bool) -> Optional[Cause]:
    if len(data) < 4:
        return None
    if data[2] == _SRH and not sticky:
        return "srh_ancillary", {}
    cause = _RTHDR_CAUSES.get(data[2])
    return None if cause is None else (cause, {})


def option_cause(option_name: str, data: bytes) -> Optional[Cause]:
    """The known cause of a ``setsockopt(IPPROTO_IPV6, option_name, data)`` refusal, or None."""
    if option_name == "IPV6_NEXTHOP":
        return "nexthop", {}
    if option_name == "IPV6_RTHDR":
        return _rthdr_cause(bytes(data), sticky=True)
    return None


def send_cause(sock: Any, cmsgs: Iterable[tuple[int, int, bytes]], destination: Any) -> Optional[Cause]:
    """The known cause of a ``sendmsg`` refusal with these control messages to ``destination``, or None.

    ``destination`` is the standard library's address tuple (None on a
    connected socket: its peer is asked for).
    """
    pktinfo = None
    for level, type_, data in cmsgs:
        if level != _IPPROTO_IPV6:
            continue
        if type_ == _IPV6_RTHDR:
            found = _rthdr_cause(bytes(data), sticky=False)
            if found is not None:
                return found
        elif type_ == _IPV6_NEXTHOP:
            return "nexthop", {}
        elif type_ == _IPV6_PKTINFO and len(data) >= 20 and pktinfo is None:
            pktinfo = (IPv6Address(bytes(data[:16])), _U32.unpack_from(data, 16)[0])
    if pktinfo is None:
        return None
    return _pktinfo_cause(sock, pktinfo[0], pktinfo[1], destination)


def _errnos() -> frozenset[int]:
    from .._system.binding import RECORD

    return frozenset(e for row in RECORD.facts.refusal_causes.values() for e in row.errnos)


#: every errno a known cause comes with: other failures (EAGAIN, ...) are not looked into
_EXPLAINED = _errnos()


def explain_send(error: OSError, sock: Any, cmsgs: Iterable[tuple[int, int, bytes]],
                 destination: Any) -> OSError:
    """``error`` of a failed ``sendmsg``, its known cause said (:func:`sockapi6._system.oserror.explain`)."""
    if error.errno not in _EXPLAINED or not cmsgs:
        return error
    found = send_cause(sock, cmsgs, destination)
    if found is None:
        return error
    from .._system.oserror import explain

    return explain(error, found[0], "sendmsg", **found[1])


def _destination_scope(sock: Any, destination: Any) -> int:
    """The scope id the kernel takes from the destination (0 if none or it needs none)."""
    if destination is None:
        try:
            destination = sock.getpeername()
        except OSError:
            return 0
    if not isinstance(destination, tuple) or len(destination) < 4 or not destination[3]:
        return 0
    try:
        host = IPv6Address(str(destination[0]).partition("%")[0])
    except ValueError:
        return 0
    return int(destination[3]) if _needs_scope(host.packed) else 0


def _bound_device(sock: Any) -> int:
    """The index of the interface the socket is bound to (``SO_BINDTODEVICE``), or 0."""
    option = getattr(_socket, "SO_BINDTODEVICE", None)
    if option is None:
        return 0
    try:
        name = sock.getsockopt(_socket.SOL_SOCKET, option, 16).split(b"\0", 1)[0]
        return _socket.if_nametoindex(name.decode()) if name else 0
    except (OSError, UnicodeDecodeError):
        return 0


def _local_addresses(address: IPv6Address) -> Optional[dict[int, bool]]:
    """``{ifindex: tentative}`` for every interface holding ``address``; None if it cannot be told."""
    from ..srcaddr import address_flags

    flags = address_flags()
    if flags is not None:
        return {index: bool(value & _IFA_F_TENTATIVE) for (packed, index), value in flags.items()
                if packed == address.packed}
    try:
        from ..interfaces import getifaddrs

        entries = getifaddrs()
    except OSError:
        return None
    return {e.index: False for e in entries
            if isinstance(e.address, IPv6Address) and e.address.packed == address.packed}


def _pktinfo_cause(sock: Any, source: IPv6Address, ifindex: int, destination: Any) -> Optional[Cause]:
    """Linux's checks on a sent in6_pktinfo, in its order: interface against scope, then the source."""
    if ifindex:
        scope = _destination_scope(sock, destination)
        where = "the destination's scope"
        if not scope:
            scope, where = _bound_device(sock), "the socket's bound interface"
        if scope and scope != ifindex:
            return "pktinfo_scope", {"ifindex": ifindex, "scope": scope, "where": where}
    if source.is_unspecified:
        return None
    holders = _local_addresses(source)
    if holders is None:
        return None
    fields = {"address": str(source), "ifindex": ifindex}
    if not holders:
        return "pktinfo_source", fields
    if _needs_scope(source.packed) and ifindex:
        if ifindex not in holders:
            return "pktinfo_link", fields
        return ("pktinfo_tentative", fields) if holders[ifindex] else None
    if all(holders.values()):
        return "pktinfo_tentative", fields
    return None
