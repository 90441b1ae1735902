"""The raw socket of the Mobility Header (RFC 4584 section 6.1): its protocol number and options.

:func:`open_mh_socket` opens a raw ``IPPROTO_MH`` socket with ``IPV6_CHECKSUM``
at offset 4, as RFC 4584 section 6.1 recommends; :func:`mh_protocol` looks the
protocol up.  The messages themselves are :mod:`sockapi6.mobility`, which sits
below this module and needs no OS.
"""

from __future__ import annotations

import socket

from ._numbers import IPPROTO_MH
from ._system.binding import CONSTANTS
from .errors import NotSupportedError

__all__ = ["mh_protocol", "open_mh_socket"]


def mh_protocol() -> int:
    """The Mobility Header protocol number: ``ipv6-mh`` (RFC 4584 7), ``mobility-header`` (IANA), or 135."""
    for name in ("ipv6-mh", "mobility-header"):
        try:
            return socket.getprotobyname(name)
        except OSError:
            continue
    return IPPROTO_MH


def open_mh_socket() -> socket.socket:
    """A raw ``IPPROTO_MH`` socket with ``IPV6_CHECKSUM`` at offset 4 (RFC 4584 6.1).

    Needs CAP_NET_RAW; raises ``PermissionError`` otherwise.
    """
    option = CONSTANTS.get("IPV6_CHECKSUM")
    if option is None:
        raise NotSupportedError("IPV6_CHECKSUM", reason="needed for the Mobility Header checksum")
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, mh_protocol())
    try:
        sock.setsockopt(socket.IPPROTO_IPV6, option, 4)
    except BaseException:
        sock.close()
        raise
    return sock
