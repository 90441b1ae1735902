"""Mobility Header messages through the real kernel: raw IPPROTO_MH sockets on ::1, in a namespace.

The sender's socket has IPV6_CHECKSUM 4 (RFC 4584 6.1), so the kernel computes the checksum;
a second raw MH socket receives the message, which must parse to the same object, and our
checksum() must agree with the one the kernel wrote.
"""

from __future__ import annotations

import socket
from ipaddress import IPv6Address

import pytest
from netns import netns_unavailable, run_in_netns

from sockapi6 import mhsocket
from sockapi6 import mobility as m

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable())),
]

HOA = IPv6Address("2001:db8::1")
COA = IPv6Address("2001:db8:1::2")


def _messages() -> list[m.MobilityMessage]:
    return [
        m.BindingRefreshRequest(),
        m.HomeTestInit(0x0102030405060708),
        m.CareofTestInit(0x1112131415161718),
        m.HomeTest(5, 0x0102030405060708, 0xA1A2A3A4A5A6A7A8),
        m.CareofTest(6, 0x1112131415161718, 0xB1B2B3B4B5B6B7B8),
        m.BindingUpdate(
            9,
            m.BUFlag.ACK | m.BUFlag.HOME,
            100,
            options=[m.NonceIndices(5, 6), m.BindingAuthorizationData(bytes(range(12)))],
        ),
        m.BindingAcknowledgement(m.BAStatus.ACCEPTED, 9, 100, options=[m.BindingRefreshAdvice(25)]),
        m.BindingError(m.BEStatus.UNKNOWN_MH_TYPE, HOA, options=[m.AlternateCareofAddress(COA)]),
    ]


def _exchange() -> list[tuple[bytes, bytes]]:
    """Send every message from one raw MH socket to ::1 and receive it on another."""
    tx = mhsocket.open_mh_socket()
    rx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, mhsocket.mh_protocol())
    rx.settimeout(5)
    out = []
    try:
        for msg in _messages():
            sent = bytes(msg)
            tx.sendto(sent, ("::1", 0))
            while True:
                data, _ = rx.recvfrom(4096)
                if data[2] == msg.type:
                    break
            out.append((sent, data))
    finally:
        tx.close()
        rx.close()
    return out


def test_every_message_through_the_kernel() -> None:
    results = run_in_netns(_exchange)
    for msg, (sent, received) in zip(_messages(), results):
        assert sent[4:6] == b"\0\0" and received[4:6] != b"\0\0", "the kernel filled the checksum"
        parsed = m.parse(received)
        assert type(parsed) is type(msg)
        assert parsed == m.parse(sent).with_checksum("::1", "::1")
        assert parsed.checksum == m.checksum("::1", "::1", received)
        assert bytes(parsed) == received
        assert received[:4] + received[6:] == sent[:4] + sent[6:]


def _checksum_option() -> int:
    sock = mhsocket.open_mh_socket()
    try:
        return sock.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_CHECKSUM)
    finally:
        sock.close()


def test_open_mh_socket_sets_checksum_offset_4() -> None:
    assert run_in_netns(_checksum_option) == 4


def _bad_checksum_dropped() -> bool:
    tx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, mhsocket.mh_protocol())  # no IPV6_CHECKSUM
    tx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_CHECKSUM, -1)
    rx = mhsocket.open_mh_socket()
    rx.settimeout(0.5)
    try:
        tx.sendto(bytes(m.BindingRefreshRequest(checksum=0x1234)), ("::1", 0))
        try:
            rx.recvfrom(4096)
        except socket.timeout:
            return True
        return False
    finally:
        tx.close()
        rx.close()


def test_kernel_verifies_the_checksum_on_receipt() -> None:
    """Linux checks IPV6_CHECKSUM on raw receive: a wrong Mobility Header checksum is dropped."""
    assert run_in_netns(_bad_checksum_dropped)
