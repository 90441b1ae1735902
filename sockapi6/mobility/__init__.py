"""Mobile IPv6 Mobility Header messages and options (RFC 6275 sections 6.1-6.2, RFC 4584).

A class per message (:class:`BindingRefreshRequest`, :class:`HomeTestInit`,
:class:`CareofTestInit`, :class:`HomeTest`, :class:`CareofTest`,
:class:`BindingUpdate`, :class:`BindingAcknowledgement`,
:class:`BindingError`, :class:`UnknownMobilityMessage`) and per option
(:class:`MobilityPad1`, :class:`MobilityPadN`, :class:`BindingRefreshAdvice`,
:class:`AlternateCareofAddress`, :class:`NonceIndices`,
:class:`BindingAuthorizationData`, :class:`UnknownMobilityOption`).

Mobility options follow the TLV rule of :mod:`sockapi6.exthdr`: two options
are equal exactly when their bytes are (a named option equals the
:class:`UnknownMobilityOption` of the same bytes), and their padding classes
are named ``MobilityPad1``/``MobilityPadN`` so that no two public classes of
sockapi6 share a name.

``bytes(message)`` gives the wire header: Header Len in 8-octet units and
options aligned as section 6.2 requires (the constructor inserts Pad1/PadN
where an option's alignment or the 8-octet total needs them, unless
``pad=False``).  :func:`parse` reads any message back, keeping unknown types,
padding and the checksum as received, so ``bytes(parse(d)) == d``.
:func:`checksum` computes the checksum with the IPv6 pseudo-header
(section 6.1.1) and :func:`with_checksum` sets it (with a Home Address
option the pseudo-header's source is the home address, which the kernel's
``IPV6_CHECKSUM`` gets wrong: see that function).  The raw ``IPPROTO_MH``
socket of RFC 4584 section 6.1 (``open_mh_socket``, ``mh_protocol``) is
:mod:`sockapi6.mhsocket`: this package is wire formats only and needs no OS.

Byte order: the enums (:class:`BUFlag`, ...) hold wire (network-order)
values, as read with ``struct``'s ``!``; the C names ``IP6_MH_BU_*`` here
hold the value that compares against the 16-bit field as a C program on
this host reads it without ``ntohs`` (glibc/KAME style).

``IPV6_MIPDSTOPTS`` (RFC 4584 section 5) has no number on any OS: like any
constant an OS lacks it is absent (``AttributeError`` saying why), and
``SocketOptions(sock).mipdstopts`` raises :class:`~sockapi6.errors.NotSupportedError`.
The Home Address option and the type 2 routing header are the extension
header classes (``HomeAddress`` from ``sockapi6.exthdr``, ``RoutingHeader``
from ``sockapi6.routing``), re-exported here and loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _checksummed, _codes, _ipv6, _messages, _options
from ._checksummed import *  # noqa: F403
from ._codes import *  # noqa: F403
from ._ipv6 import *  # noqa: F403
from ._messages import *  # noqa: F403
from ._options import *  # noqa: F403

if TYPE_CHECKING:
    from typing import Any

__all__: list[str] = []
__all__ += _codes.__all__
__all__ += _options.__all__
__all__ += _messages.__all__
__all__ += _ipv6.__all__
__all__ += _checksummed.__all__


def __getattr__(name: str) -> Any:
    # names that live in other modules, loaded on first use
    if name == "HomeAddress":
        from ..exthdr import HomeAddress

        return HomeAddress
    if name == "RoutingHeader":
        from ..routing import RoutingHeader

        return RoutingHeader
    if name == "IPV6_MIPDSTOPTS":  # absent as in C, so hasattr() answers False
        raise AttributeError("IPV6_MIPDSTOPTS: RFC 4584 section 5 names it but no OS assigns it a "
                             "number; send the Home Address option in IPV6_DSTOPTS")
    if name in ("open_mh_socket", "mh_protocol"):  # the OS side sits above this package
        raise AttributeError(f"sockapi6.mobility.{name} moved to sockapi6.mhsocket.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
