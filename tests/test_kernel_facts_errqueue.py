"""Kernel facts a relay or traceroute porter meets (docs/kernel-facts.md), each pinned in a namespace.

1. A queued ICMP error (``IPV6_RECVERR``) is also the socket's pending
   error: the next send raises it and the datagram is not sent.
2. ``IPV6_RECVPATHMTU`` notifications do not make the socket readable
   (``select``/``poll``), yet ``recvmsg`` returns them.
3. An error-queue message's address is the failed datagram's destination
   (and port), not the node that reported it (that is ``ExtendedError.offender``).
4. Joining a group on one interface does not limit delivery to that
   interface: once anything joined the group on another interface, its
   datagrams arriving there reach the socket too.  ``IPV6_MULTICAST_ALL`` = 0
   does not change that: the socket's filter matches the group, not the
   (group, interface) pair.  Filter on the ``IPV6_PKTINFO`` arrival index.
Also: a blocking ``recvmsg(MSG_ERRQUEUE)`` on an empty queue returns EAGAIN at once.
"""

from __future__ import annotations

import errno
import select
import socket
import subprocess
import time

import pytest
from netns import VethPair, netns_unavailable, run_in_netns

import sockapi6
from sockapi6 import SocketOptions, join_group, recvmsg

pytestmark = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))

MSG_ERRQUEUE = getattr(sockapi6, "MSG_ERRQUEUE", 0x2000)
FAR = "2001:db8:5::1"  # routed through b, which has no route onwards: b answers "no route" (code 0)


def _sh(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True)


@pytest.fixture
def pair() -> VethPair:
    with VethPair() as p:
        _sh("ip", "-n", p.ns["a"], "-6", "route", "add", "2001:db8:5::/64", "via", str(p.addr["b"]))
        _sh("ip", "netns", "exec", p.ns["b"], "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1",
            "net.ipv6.icmp.ratelimit=0", "net.ipv4.icmp_msgs_per_sec=100000",
            "net.ipv4.icmp_msgs_burst=100000")
        yield p  # type: ignore[misc]


def _pending_error_and_addresses() -> dict[str, object]:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    SocketOptions(sock).recv_err = True
    poller = select.poll()
    poller.register(sock, select.POLLERR)
    out: dict[str, object] = {}
    try:
        recvmsg(sock, 2048, MSG_ERRQUEUE)
    except BlockingIOError as exc:  # blocking socket, empty queue: EAGAIN at once
        out["empty"] = exc.errno
    sock.sendto(b"first", (FAR, 9999))
    out["pollerr"] = bool(poller.poll(5000))
    try:
        sock.sendto(b"second", (FAR, 9998))  # the pending error comes out here
        out["second"] = None
    except OSError as exc:
        out["second"] = exc.errno
    out["third"] = sock.sendto(b"third", (FAR, 9997))  # the error was consumed: this one leaves
    time.sleep(0.3)
    seen = []
    while poller.poll(300):
        msg = recvmsg(sock, 2048, MSG_ERRQUEUE)
        err = msg.error
        assert err is not None
        seen.append((msg.address[0], msg.address[1], str(err.offender), err.type, err.code, msg.data))
    out["queue"] = seen
    sock.close()
    return out


def test_pending_error_blocks_the_next_send_and_errqueue_address_is_the_destination(pair: VethPair) -> None:
    got = pair.run("a", _pending_error_and_addresses)
    assert got["empty"] == errno.EAGAIN
    assert got["pollerr"] is True
    assert got["second"] == errno.ENETUNREACH  # fact 1: raised by the next send...
    assert got["third"] == 5
    queue = got["queue"]
    assert [(a, port, data) for a, port, _, _, _, data in queue] == [  # ...which was not sent
        (FAR, 9999, b"first"), (FAR, 9997, b"third")]
    for _, _, offender, icmp_type, code, _ in queue:  # fact 3: the address is the destination
        assert (offender, icmp_type, code) == (str(pair.addr["b"]), 1, 0)


def _pathmtu_not_readable() -> tuple[bool, object, int]:
    _sh("ip", "link", "add", "d0", "mtu", "1280", "type", "veth", "peer", "name", "d1", "mtu", "1280")
    _sh("ip", "link", "set", "d0", "up")
    _sh("ip", "link", "set", "d1", "up")
    _sh("ip", "-6", "route", "add", "2001:db8:7::/64", "dev", "d0")
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    opts = SocketOptions(sock)
    opts.recv_pathmtu = True
    opts.dontfrag = True
    with pytest.raises(OSError) as info:
        sock.sendto(bytes(1400), ("2001:db8:7::2", 9))
    readable = bool(select.select([sock], [], [], 0.3)[0])
    sock.setblocking(False)
    msg = recvmsg(sock)
    sock.close()
    return readable, msg.path_mtu, info.value.errno


def test_recvpathmtu_does_not_make_the_socket_readable() -> None:
    readable, path_mtu, err = run_in_netns(_pathmtu_not_readable)
    assert err == errno.EMSGSIZE
    assert readable is False  # fact 2: select says nothing...
    assert path_mtu is not None and path_mtu.mtu == 1280  # ...yet recvmsg returns the notification
    assert str(path_mtu.address).partition("%")[0] == "2001:db8:7::2"


def _join_elsewhere(multicast_all: bool) -> list[int]:
    _sh("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0")
    for n in (1, 2):
        _sh("ip", "link", "add", f"p{n}a", "type", "veth", "peer", "name", f"p{n}b")
        for end in "ab":
            _sh("ip", "link", "set", f"p{n}{end}", "up")
    time.sleep(0.2)
    receiver = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    receiver.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    SocketOptions(receiver).recv_pktinfo = True
    if not multicast_all:
        receiver.setsockopt(socket.IPPROTO_IPV6, sockapi6.IPV6_MULTICAST_ALL, 0)
    receiver.bind(("::", 5547))
    join_group(receiver, "ff02::1:2", "p1b")  # this socket joins on p1b only
    other = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    join_group(other, "ff02::1:2", "p2b")  # someone else joins on p2b
    sender = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sender.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
    sender.sendto(b"via p2", ("ff02::1:2", 5547, 0, socket.if_nametoindex("p2a")))
    arrivals = []
    while select.select([receiver], [], [], 0.5)[0]:
        msg = recvmsg(receiver)
        assert msg.pktinfo is not None
        arrivals.append(msg.pktinfo.ifindex)
    return [a - socket.if_nametoindex("p2b") for a in arrivals]


def test_joining_on_one_interface_does_not_limit_delivery() -> None:
    assert run_in_netns(_join_elsewhere, True) == [0]  # fact 4: delivered, arriving on p2b
    if hasattr(sockapi6, "IPV6_MULTICAST_ALL"):
        assert run_in_netns(_join_elsewhere, False) == [0]  # the same with IPV6_MULTICAST_ALL 0
