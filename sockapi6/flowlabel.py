"""Flow label management: Linux's ``IPV6_FLOWLABEL_MGR`` with ``struct in6_flowlabel_req`` (RFC 6437).

A socket *gets* a flow label (holding it, optionally creating it, optionally
exclusively), *renews* its lifetime, and *puts* it back.  It then sends with
that label by turning on ``IPV6_FLOWINFO_SEND`` (``SocketOptions.flowinfo_send``)
and giving the label in the destination's ``sin6_flowinfo`` (the third item
of the standard library's address tuple), or as a :class:`~sockapi6.FlowInfo`
ancillary item.

Linux lets any label through as long as no socket in the network namespace
holds an exclusive one (``share`` other than ``NONE``); from the first
exclusive label on, a send with a label the socket does not hold fails with
EINVAL.  Labels with bit 0x80000 set are reserved for the kernel's
automatic labels while ``net.ipv6.flowlabel_state_ranges`` is 1 (ERANGE; 0 by default here).

    label = get_flowlabel(sock, "2001:db8::1", 0x12345, share=FlowLabelShare.EXCLUSIVE)
    SocketOptions(sock).flowinfo_send = True
    sock.sendto(data, ("2001:db8::1", 9, label, 0))
"""

from __future__ import annotations

import sys
from enum import IntEnum
from typing import TYPE_CHECKING

from ._checks import check_int

if TYPE_CHECKING:
    from typing import Any

__all__ = ["FlowLabelShare", "get_flowlabel", "put_flowlabel", "renew_flowlabel", "flowlabel_info"]

_LABEL_MAX = 0xFFFFF


class FlowLabelShare(IntEnum):
    """Who else may hold a label (``IPV6_FL_S_*``, <linux/in6.h>)."""

    NONE = 0            #: anyone (not exclusive)
    EXCLUSIVE = 1       #: this socket only
    PROCESS = 2         #: sockets of this process
    USER = 3            #: sockets of this user
    ANY = 255           #: reserved by the kernel: anyone may use it


def _constant(name: str) -> int:
    from ._system.binding import CONSTANTS, PLATFORM
    from .errors import NotSupportedError

    value = CONSTANTS.get(name)
    if value is None:
        raise NotSupportedError(f"{name} (flow label manager)",
                                reason=f"IPV6_FLOWLABEL_MGR is Linux's; {PLATFORM} has no flow label manager")
    return value


def _be32(value: int) -> int:
    """``value`` as the host integer whose memory holds it big-endian (C's ``htonl``)."""
    return int.from_bytes(value.to_bytes(4, "big"), sys.byteorder)


def _request(action: str, label: int, destination: Any = None, share: int = 0, flags: int = 0,
             expires: int = 0, linger: int = 0) -> Any:
    from ._system.binding import ffi

    number = _constant(f"IPV6_FL_A_{action}")
    req = ffi.new("struct in6_flowlabel_req *")
    if destination is not None:
        from .address import to_ipv6

        ffi.memmove(ffi.addressof(req.flr_dst), to_ipv6(destination).packed, 16)
    req.flr_label = _be32(check_int(label, 0, _LABEL_MAX, "label"))
    req.flr_action = number
    req.flr_share = check_int(int(share), 0, 255, "share")
    req.flr_flags = flags
    req.flr_expires = check_int(expires, 0, 0xFFFF, "expires")
    req.flr_linger = check_int(linger, 0, 0xFFFF, "linger")
    return req


def _call(sock: Any, req: Any, what: str, get: bool = False) -> None:
    from ._system.binding import CONSTANTS, ffi, last_error, lib
    from ._system.descriptors import fileno
    from ._system.oserror import call_error

    option = _constant("IPV6_FLOWLABEL_MGR")
    fd = fileno(sock)
    size = ffi.sizeof("struct in6_flowlabel_req")
    if get:
        length = ffi.new("socklen_t *", size)
        rc = lib.getsockopt(fd, CONSTANTS["IPPROTO_IPV6"], option, req, length)
    else:
        rc = lib.setsockopt(fd, CONSTANTS["IPPROTO_IPV6"], option, req, size)
    if rc != 0:
        call = "getsockopt" if get else "setsockopt"
        raise call_error(last_error(), f"{call}(IPPROTO_IPV6, IPV6_FLOWLABEL_MGR)",
                         f"IPV6_FLOWLABEL_MGR ({what})")


def _label_of(req: Any) -> int:
    return int.from_bytes(int(req.flr_label).to_bytes(4, sys.byteorder), "big") & _LABEL_MAX


def get_flowlabel(sock: Any, destination: Any, label: int = 0, *,
                  share: FlowLabelShare | int = FlowLabelShare.EXCLUSIVE, create: bool = True,
                  exclusive: bool = False, expires: int = 0, linger: int = 0) -> int:
    """Hold ``label`` for sends to ``destination`` on ``sock``; return the label (``IPV6_FL_A_GET``).

    ``label`` 0 with ``create`` lets the kernel pick a free label.
    ``create`` (``IPV6_FL_F_CREATE``) makes it if no one holds it;
    ``exclusive`` (``IPV6_FL_F_EXCL``) fails with EEXIST if it exists
    already.  ``share`` says who else may hold it; ``expires``/``linger``
    are seconds (the kernel's defaults and limits apply; longer ones need
    CAP_NET_ADMIN).
    """
    flags = 0
    if create:
        flags |= _constant("IPV6_FL_F_CREATE")
    if exclusive:
        flags |= _constant("IPV6_FL_F_EXCL")
    req = _request("GET", label, destination, share, flags, expires, linger)
    _call(sock, req, "get_flowlabel")
    return _label_of(req)   # the kernel writes back a label it picked


def put_flowlabel(sock: Any, label: int) -> None:
    """Release ``label`` (``IPV6_FL_A_PUT``); ESRCH when the socket does not hold it."""
    _call(sock, _request("PUT", label), "put_flowlabel")


def renew_flowlabel(sock: Any, label: int, *, expires: int = 0, linger: int = 0) -> None:
    """Extend the lifetime of ``label`` (``IPV6_FL_A_RENEW``); ESRCH when the socket does not hold it."""
    _call(sock, _request("RENEW", label, expires=expires, linger=linger), "renew_flowlabel")


def flowlabel_info(sock: Any, *, remote: bool = False) -> tuple[int, FlowLabelShare, int, int] | None:
    """The label of ``sock``'s connection: ``(label, share, expires, linger)``, or None (``getsockopt``).

    Linux reports the held label the socket was connected with (``connect``
    with ``sin6_flowinfo`` while ``flowinfo_send`` is on); None when it has
    none.  ``remote=True`` (``IPV6_FL_F_REMOTE``) asks instead for the label
    the peer last sent on a connected TCP socket: ``(label, NONE, 0, 0)``.
    """
    req = _request("GET", 0, flags=_constant("IPV6_FL_F_REMOTE") if remote else 0)
    try:
        _call(sock, req, "flowlabel_info", get=True)
    except OSError as exc:
        import errno

        if exc.errno == errno.ENOENT:
            return None
        raise
    return _label_of(req), FlowLabelShare(int(req.flr_share)), int(req.flr_expires), int(req.flr_linger)
