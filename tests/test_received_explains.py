"""``ReceivedMessage`` (issue 10): what an error-queue message's address is, and the ``flowinfo`` shortcut.

Real kernel traffic in a network namespace of its own: an ICMPv6 port unreachable from ``::1`` read
with ``MSG_ERRQUEUE`` (its address is the failed datagram's destination, the reporting node is
``error.offender``), and a datagram with traffic class 0x28 received with ``IPV6_FLOWINFO`` on.
"""

from __future__ import annotations

import select
import socket
from typing import Any

import pytest
from netns import netns_unavailable, run_in_netns

import sockapi6
from sockapi6 import SocketOptions, recvmsg
from sockapi6.ancillary import FlowInfo
from sockapi6.messaging import ReceivedMessage

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable())),
]

MSG_ERRQUEUE = getattr(sockapi6, "MSG_ERRQUEUE", 0x2000)


def _errqueue_message() -> tuple[str, Any, str, bool]:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        SocketOptions(sock).recv_err = True
        poller = select.poll()
        poller.register(sock, select.POLLERR)
        sock.sendto(b"probe", ("::1", 9))
        assert poller.poll(5000)
        msg = recvmsg(sock, 2048, MSG_ERRQUEUE)
        assert msg.error is not None
        return repr(msg), msg.address[:2], str(msg.error.offender), bool(msg.flags & MSG_ERRQUEUE)


def test_errqueue_message_says_its_address_is_the_destination() -> None:
    text, address, offender, flagged = run_in_netns(_errqueue_message)
    assert address == ("::1", 9) and offender == "::1" and flagged
    assert text.startswith("<ReceivedMessage (MSG_ERRQUEUE) 5 bytes of a failed datagram to ('::1', 9")
    assert "reported by ::1" in text
    doc = ReceivedMessage.address.__doc__ or ""
    assert "destination" in doc and "error.offender" in doc


def _flowinfo() -> tuple[Any, Any, Any]:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as rx, \
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as tx:
        rx.bind(("::1", 0))
        rx.settimeout(5)
        SocketOptions(rx).recv_flowinfo = True
        SocketOptions(tx).autoflowlabel = False  # else the kernel labels the flow itself
        SocketOptions(tx).tclass = 0x28
        tx.sendto(b"one", rx.getsockname())
        marked = recvmsg(rx)
        SocketOptions(tx).tclass = 0
        tx.sendto(b"two", rx.getsockname())
        plain = recvmsg(rx)
        return marked.flowinfo, plain.flowinfo, repr(plain)


def test_flowinfo_shortcut() -> None:
    marked, plain, text = run_in_netns(_flowinfo)
    assert marked == FlowInfo(0, 0x28) and marked.traffic_class == 0x28
    assert plain is None  # Linux sends the item only when traffic class or flow label is non-zero
    assert text.startswith("<ReceivedMessage 3 bytes from ('::1'")
    built = ReceivedMessage(b"x", ("::1", 1, 0, 0), 0, [FlowInfo(5, 1).to_cmsg()])
    assert built.flowinfo == FlowInfo(5, 1)
