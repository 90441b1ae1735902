"""Anycast membership: ``IPV6_JOIN_ANYCAST`` / ``IPV6_LEAVE_ANYCAST`` (Linux ipv6(7)).

RFC 4291 section 2.6 anycast addresses are taken from the unicast space; a
Linux socket may make the host answer one (Neighbor Discovery included) for
as long as the socket holds it, with a ``struct ipv6_mreq`` as for
multicast.  The kernel asks for ``CAP_NET_ADMIN`` (EPERM), refuses a
multicast address or one already assigned to the host (EINVAL), and on a
host that does not forward accepts only link-local addresses or addresses
inside a prefix of the interface (EADDRNOTAVAIL).  Memberships show in
``/proc/net/anycast6`` and end when the socket closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._system.binding import CONSTANTS, ffi, last_error, lib
from ._system.descriptors import fileno as _fd
from ._system.ifindex import interface_index
from ._system.oserror import call_error
from .errors import NotSupportedError

if TYPE_CHECKING:
    from typing import Any, Optional, Union

__all__ = ["join_anycast", "leave_anycast"]


def _anycast(sock: Any, option: str, address: Any, interface: Optional[Union[int, str]], what: str) -> None:
    number = CONSTANTS.get(option)
    if number is None:
        raise NotSupportedError(f"{option} ({what})", reason="this OS does not define it")
    from .address import to_ipv6

    addr = to_ipv6(address)
    if addr.is_multicast:
        raise ValueError(f"address {addr} is a multicast address, not an anycast one")
    if interface is None:
        index = int(addr.scope_id) if addr.scope_id else 0
    else:
        index = interface_index(interface)
        if addr.scope_id and index and int(addr.scope_id) != index:
            raise ValueError(f"address {addr} is scoped to interface {addr.scope_id}, not {interface!r}")
    mreq = ffi.new("struct ipv6_mreq *")
    ffi.memmove(ffi.addressof(mreq.ipv6mr_multiaddr), addr.packed, 16)
    mreq.ipv6mr_interface = index
    fd = _fd(sock)
    if lib.setsockopt(fd, CONSTANTS["IPPROTO_IPV6"], number, mreq, ffi.sizeof("struct ipv6_mreq")) != 0:
        raise call_error(last_error(), f"setsockopt(IPPROTO_IPV6, {option})", f"{option} ({what})")


def join_anycast(sock: Any, address: Any, interface: Optional[Union[int, str]]) -> None:
    """Make the host answer the anycast ``address`` on ``interface`` while ``sock`` holds it.

    ``interface`` is a name or an index; 0 (or None with an unscoped
    address) lets the kernel pick the interface its route to ``address``
    uses.  ``IPV6_JOIN_ANYCAST`` with a ``struct ipv6_mreq``.
    """
    _anycast(sock, "IPV6_JOIN_ANYCAST", address, interface, "join_anycast")


def leave_anycast(sock: Any, address: Any, interface: Optional[Union[int, str]]) -> None:
    """Stop answering ``address`` on ``interface`` (``IPV6_LEAVE_ANYCAST``)."""
    _anycast(sock, "IPV6_LEAVE_ANYCAST", address, interface, "leave_anycast")
