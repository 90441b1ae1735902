"""``recvmsg`` / ``sendmsg`` with typed ancillary data (RFC 3542 sections 5-6; RFC 3493 section 5).

:func:`recvmsg` sizes the control buffer once, from a table of everything a
socket can be asked to deliver (packet info, hop limit, traffic class, a
full 2 KB hop-by-hop, destination-options and routing header, path MTU,
queued errors, the IPv4 items of a dual-stack socket), so no system call
per packet is spent finding out.  It returns a :class:`ReceivedMessage`
whose shortcuts decode only what is asked for, and which reports
``MSG_TRUNC`` / ``MSG_CTRUNC`` (a flag, plus a warning for lost control
data) instead of losing data silently.

:func:`sendmsg` takes the ancillary items of :mod:`sockapi6.ancillary`,
extension-header objects or raw ``(level, type, data)`` tuples, and data as
one buffer or a sequence of buffers sent as one datagram (odhcpd builds its
replies from iovecs).  Sending to an IPv4 peer (an ``IPv4Address``, or
IPv4-mapped, on a dual-stack socket) turns ``PacketInfo`` / ``HopLimit`` /
``TrafficClass`` into ``IP_PKTINFO`` / ``IP_TTL`` / ``IP_TOS``: the kernel
ignores IPv6-level items on IPv4 datagrams.

Private submodules: ``_received`` (receiving) and ``_send`` (sending).
"""

from __future__ import annotations

from ._batch import MAX_BATCH, BatchReceiver, recvmmsg
from ._batch_send import sendmmsg
from ._received import (
    ANCILLARY_BUFFER_SIZE,
    AncillaryTruncatedWarning,
    AncillaryWarning,
    ReceivedMessage,
    check_hop_limit_255,
    recvmsg,
)
from ._segments import send_segments
from ._send import sendmsg

__all__ = [
    "ANCILLARY_BUFFER_SIZE",
    "AncillaryTruncatedWarning",
    "AncillaryWarning",
    "BatchReceiver",
    "MAX_BATCH",
    "ReceivedMessage",
    "check_hop_limit_255",
    "recvmmsg",
    "recvmsg",
    "send_segments",
    "sendmmsg",
    "sendmsg",
]
