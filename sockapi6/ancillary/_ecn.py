"""Explicit Congestion Notification (RFC 3168 section 5): the :class:`ECN` codepoints, and where each
OS carries them in control messages.

The ECN field is the low two bits of the IPv6 Traffic Class (RFC 8200
section 7) and of the IPv4 TOS octet.  On receipt they come from
``IPV6_TCLASS`` (``IPV6_RECVTCLASS`` on), or for IPv4 datagrams from a TOS
control message (``IP_RECVTOS`` on); on send from a ``TrafficClass`` item
(``IPV6_TCLASS``) or, to an IPv4 peer -- IPv4-mapped on a dual-stack
socket included, where Linux ignores ``IPV6_TCLASS`` -- an ``IP_TOS`` item.
The per-OS differences are the platform record's (:data:`TOS_RECEIVE_TYPE`,
:data:`TOS_SEND_SIZE`).
"""

from __future__ import annotations

import enum

from .._system.binding import RECORD

__all__ = ["ECN", "TOS_RECEIVE_TYPE", "TOS_SEND_SIZE"]


class ECN(enum.IntEnum):
    """The two-bit ECN codepoint (RFC 3168 section 5).

    Pass a member as an ancillary item to ``sendmsg`` / ``send_segments``:
    it becomes a ``TrafficClass`` (or IPv4 ``IP_TOS``) with that value.
    """

    NOT_ECT = 0  #: Not ECN-Capable Transport
    ECT1 = 1  #: ECN-Capable Transport (1), used by L4S (RFC 9331)
    ECT0 = 2  #: ECN-Capable Transport (0)
    CE = 3  #: Congestion Experienced


#: the cmsg type this OS delivers an IPv4 datagram's TOS octet with (the platform record's)
TOS_RECEIVE_TYPE: str = RECORD.facts.tos_receive_type

#: octets of an IP_TOS control message on send (the platform record's: FreeBSD wants one)
TOS_SEND_SIZE: int = RECORD.facts.tos_send_size
