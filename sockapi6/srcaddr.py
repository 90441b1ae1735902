"""RFC 5014 section 6: ``inet6_is_srcaddr()``, which no C library here provides.

``inet6_is_srcaddr(srcaddr, flags)`` says whether a local address has the
properties ``flags`` (``IPV6_PREFER_SRC_*``) ask for: 1 when it does, 0
when it does not, -1 when the address is not one of this node's (or the
flags are not preference flags).  All flags given must hold; contradictory
pairs (HOME|COA, TMP|PUBLIC, CGA|NONCGA) give 0.

The node's addresses come from ``getifaddrs(3)``; their properties from
the kernel's address flags, which Linux lists in ``/proc/net/if_inet6``
(``IFA_F_TEMPORARY`` 0x01, ``IFA_F_HOMEADDRESS`` 0x10; tentative or
DAD-failed addresses, 0x40 and 0x08, are not valid source addresses yet):

* TMP / PUBLIC: a temporary address (RFC 8981) or not;
* HOME / COA: a Mobile IPv6 home address is flagged by the mobility
  daemon; on a node with no flagged address every address is a home
  address (RFC 5014: "true for IPV6_PREFER_SRC_HOME even if the host is
  not implementing mobile IPv6"), otherwise the unflagged ones are care-of
  addresses;
* CGA / NONCGA: no kernel marks CGAs (RFC 3972), so every address is NONCGA.

Systems other than Linux give no address flags to read here: TMP and
PUBLIC raise :class:`~sockapi6.errors.NotSupportedError` there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._system.binding import CONSTANTS, RECORD
from .errors import NotSupportedError

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, Optional

__all__ = ["inet6_is_srcaddr", "address_flags"]

_IFA_F_TEMPORARY = 0x01
_IFA_F_DADFAILED = 0x08
_IFA_F_HOMEADDRESS = 0x10
_IFA_F_TENTATIVE = 0x40
_NAMES = ("HOME", "COA", "TMP", "PUBLIC", "CGA", "NONCGA")
_PAIRS = (("HOME", "COA"), ("TMP", "PUBLIC"), ("CGA", "NONCGA"))


def _flag(name: str) -> int:
    # RFC 5014's values (the Linux and KAME ones) where this OS lacks the constant
    defaults = {"TMP": 0x01, "PUBLIC": 0x02, "COA": 0x04, "CGA": 0x08, "HOME": 0x400, "NONCGA": 0x800}
    return CONSTANTS.get(f"IPV6_PREFER_SRC_{name}", defaults[name])


def address_flags() -> Optional[dict[tuple[bytes, int], int]]:
    """``{(packed address, ifindex): IFA_F_* flags}`` from ``/proc/net/if_inet6``; None off Linux."""
    path = RECORD.facts.address_flags_file
    if path is None:
        return None
    table: dict[tuple[bytes, int], int] = {}
    try:
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 5:
                    table[bytes.fromhex(fields[0]), int(fields[1], 16)] = int(fields[4], 16)
    except FileNotFoundError:   # IPv6 disabled: the node has no IPv6 address
        pass
    return table


def _address(srcaddr: Any) -> Optional[IPv6Address]:
    """The address ``srcaddr`` names; None for a ``sockaddr_in6`` C would refuse (EINVAL).

    ``TypeError`` for what C cannot even pass as ``struct sockaddr_in6 *``:
    text that is no IPv6 address, or a buffer of another size.
    """
    from .address import parse_sockaddr_in6, to_ipv6
    from .errors import MalformedError

    if isinstance(srcaddr, (bytes, bytearray, memoryview)) and len(srcaddr) != 16:
        size = int(_sockaddr_in6_size())
        if len(srcaddr) != size:
            raise TypeError(f"srcaddr must be a {size}-byte struct sockaddr_in6 or an address, "
                            f"not {len(srcaddr)} bytes")
        try:
            address: IPv6Address = parse_sockaddr_in6(bytes(srcaddr))[0]
        except MalformedError:
            return None
        return address
    try:
        return to_ipv6(srcaddr)
    except ValueError as exc:
        raise TypeError(f"srcaddr must be an IPv6 address: {exc}") from None


def _sockaddr_in6_size() -> int:
    from ._system.binding import ffi

    return int(ffi.sizeof("struct sockaddr_in6"))


def inet6_is_srcaddr(srcaddr: Any, flags: int) -> int:
    """1, 0 or -1: does this node's address ``srcaddr`` satisfy the preference ``flags``? (RFC 5014 section 6)

    ``srcaddr`` is a ``struct sockaddr_in6`` (bytes) as in C, or an address
    (``IPv6Address``, text, 16 bytes); a link-local one needs its scope.
    """
    if isinstance(flags, bool) or not isinstance(flags, int):
        raise TypeError(f"flags must be an int, not {type(flags).__name__}")
    address = _address(srcaddr)
    if address is None:
        return -1
    wanted = {name for name in _NAMES if flags & _flag(name)}
    if flags & ~sum(_flag(n) for n in _NAMES):
        return -1
    if address.is_link_local and not address.scope_id:
        return -1
    scope = int(address.scope_id) if address.scope_id else 0
    kernel = address_flags()
    found = _lookup(address, scope, kernel)
    if found is None:
        return -1
    own_flags, homes = found
    if any(a in wanted and b in wanted for a, b in _PAIRS):
        return 0
    if kernel is None and wanted & {"TMP", "PUBLIC"}:
        raise NotSupportedError("inet6_is_srcaddr with IPV6_PREFER_SRC_TMP/PUBLIC",
                                reason="sockapi6 reads temporary-address flags from Linux's "
                                       "/proc/net/if_inet6")
    facts = {
        "TMP": bool(own_flags & _IFA_F_TEMPORARY),
        "PUBLIC": not own_flags & _IFA_F_TEMPORARY,
        "HOME": bool(own_flags & _IFA_F_HOMEADDRESS) or not homes,
        "CGA": False,
        "NONCGA": True,
    }
    facts["COA"] = not facts["HOME"]
    return 1 if all(facts[name] for name in wanted) else 0


def _lookup(address: IPv6Address, scope: int, kernel: Optional[dict[tuple[bytes, int], int]]
            ) -> Optional[tuple[int, bool]]:
    """``(flags of the address, whether the node has any home address)``, or None if not the node's."""
    from ipaddress import IPv6Address

    from .interfaces import getifaddrs

    packed = address.packed
    scoped = address.is_link_local or address.is_site_local or (address.is_multicast and scope)
    present = False
    for entry in getifaddrs():
        other = entry.address
        if not isinstance(other, IPv6Address) or other.packed != packed:
            continue
        if scoped and entry.index != scope:
            continue
        present = True
        if kernel is None:
            return 0, False
        own = kernel.get((packed, entry.index), 0)
        if own & (_IFA_F_TENTATIVE | _IFA_F_DADFAILED):
            return None
        homes = any(f & _IFA_F_HOMEADDRESS for f in kernel.values())
        return own, homes
    return (0, False) if present else None
