"""``ExtendedError.type`` / ``.code`` (issue 10): ICMPv6 enums for ICMPv6 errors, plain ints otherwise.

Real errors from the kernel, in a network namespace of its own: a datagram to a closed port on ``::1``
brings an ICMPv6 Destination Unreachable (type 1, code 4: port unreachable, RFC 4443 section 3.1)
onto the error queue; one to ``::ffff:127.0.0.1`` on the same dual-stack socket an IPv4 ICMP one
(type 3, code 3), whose numbers mean something else and stay ints.
"""

from __future__ import annotations

import select
import socket
from typing import Any

import pytest
from netns import netns_unavailable, run_in_netns

import sockapi6
from sockapi6 import SocketOptions, recvmsg
from sockapi6.ancillary import ErrorOrigin, ExtendedError
from sockapi6.icmp6 import ICMPv6Type, ParameterProblemCode, TimeExceededCode, UnreachableCode, code_enum

MSG_ERRQUEUE = getattr(sockapi6, "MSG_ERRQUEUE", 0x2000)
IP_RECVERR = getattr(socket, "IP_RECVERR", 11)


def _one_error(sock: socket.socket, poller: Any, address: tuple[Any, ...]) -> tuple[Any, ...]:
    sock.sendto(b"probe", address)
    assert poller.poll(5000), "no error was queued"
    msg = recvmsg(sock, 2048, MSG_ERRQUEUE)
    err = msg.error
    assert err is not None
    return (type(err.type).__name__, int(err.type), type(err.code).__name__, int(err.code), int(err.origin),
            msg.address[0], str(err.offender), repr(err))


def _errors() -> list[tuple[Any, ...]]:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    SocketOptions(sock).recv_err = True
    sock.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)  # IPv4 peers of the dual-stack socket too
    poller = select.poll()
    poller.register(sock, select.POLLERR)
    try:
        return [_one_error(sock, poller, ("::1", 9)), _one_error(sock, poller, ("::ffff:127.0.0.1", 9))]
    finally:
        sock.close()


@pytest.mark.root
@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
def test_types_are_icmpv6_enums_only_for_icmpv6_errors() -> None:
    v6, v4 = run_in_netns(_errors)
    assert v6[:5] == ("ICMPv6Type", 1, "UnreachableCode", 4, ErrorOrigin.ICMP6)
    assert v6[5] == "::1" and v6[6] == "::1"
    assert "type=1, code=4" in v6[7]  # repr stays numeric, so it evaluates with the package's names
    assert v4[:5] == ("int", 3, "int", 3, ErrorOrigin.ICMP)
    assert v4[5] == "::ffff:127.0.0.1"


def test_enums_follow_the_type_and_stay_ints_where_unnamed() -> None:
    icmp6 = ErrorOrigin.ICMP6
    err = ExtendedError(113, icmp6, 1, 4)
    assert err.type is ICMPv6Type.DESTINATION_UNREACHABLE and err.code is UnreachableCode.PORT_UNREACHABLE
    assert ExtendedError(0, icmp6, 3, 0).code is TimeExceededCode.HOP_LIMIT
    assert ExtendedError(0, icmp6, 4, 1).code is ParameterProblemCode.NEXT_HEADER
    too_big = ExtendedError(90, icmp6, 2, 0, 1280)
    assert too_big.type is ICMPv6Type.PACKET_TOO_BIG and type(too_big.code) is int
    odd = ExtendedError(0, icmp6, 99, 77)
    assert type(odd.type) is int and type(odd.code) is int
    assert type(ExtendedError(0, icmp6, 1, 200).code) is int  # an unassigned code of a named type
    local = ExtendedError(90, ErrorOrigin.LOCAL, 1, 4)
    assert type(local.type) is int and type(local.code) is int
    assert ExtendedError.from_cmsg(*err.to_cmsg()) == err and err == ExtendedError(113, 3, 1, 4)
    assert eval(repr(err), {"ExtendedError": ExtendedError, "ErrorOrigin": ErrorOrigin}) == err
    assert code_enum(1) is UnreachableCode and code_enum(128) is None
