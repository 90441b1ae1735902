#!/usr/bin/env python3
"""ping6: ICMPv6 echo with a raw socket, the iputils/BSD ``ping6`` port of RFC 3542 and RFC 4443.

Mirrors the C program's socket work: a raw ``IPPROTO_ICMPV6`` socket whose
``ICMP6_FILTER`` passes only Echo Replies and the four error types (RFC 3542
3.2), ``IPV6_RECVHOPLIMIT`` and ``IPV6_RECVPKTINFO`` (RFC 3542 6.1, 6.3) so
that ``recvmsg`` tells each reply's hop limit and arrival interface,
``IPV6_UNICAST_HOPS`` / ``IPV6_MULTICAST_HOPS`` for ``-t``, and an
``IPV6_PKTINFO`` item choosing the outgoing interface for ``-I`` (RFC 3542 6.2).
The kernel fills in the ICMPv6 checksum on raw ICMPv6 sockets.  Needs root::

    python examples/ping6.py -c 3 fe80::1 -I eth0
    python examples/ping6.py -c 5 -i 0.2 -t 8 2001:db8::1
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import sys
import time

import sockapi6
from sockapi6 import ICMP6Filter, PacketInfo, SocketOptions, icmp6, if_indextoname, recvmsg, sendmsg, to_ipv6

#: what the filter passes: Echo Reply and the RFC 4443 error messages (ICMP6_FILTER_SETPASS each)
PASSING = ("ICMP6_ECHO_REPLY", "ICMP6_DST_UNREACH", "ICMP6_PACKET_TOO_BIG", "ICMP6_TIME_EXCEEDED",
           "ICMP6_PARAM_PROB")


def resolve(target: str, interface: str | None) -> sockapi6.IPv6Address:
    """The target as an address, scoped by ``-I`` when it needs a scope (link-local, RFC 4007)."""
    try:
        return to_ipv6(target, interface)
    except ValueError:  # a host name: ask the resolver
        host = socket.getaddrinfo(target, None, socket.AF_INET6, socket.SOCK_RAW)[0][4][0]
        return to_ipv6(host, interface)


def invoking_echo(err: icmp6.ICMPv6Message) -> icmp6.EchoRequest | None:
    """The Echo Request quoted in an ICMPv6 error after its 40-octet IPv6 header (RFC 4443 2.4), if any."""
    packet = getattr(err, "packet", b"")
    if len(packet) < 48 or packet[6] != sockapi6.IPPROTO_ICMPV6:
        return None
    try:
        inner = icmp6.parse(packet[40:])
    except sockapi6.MalformedError:
        return None
    return inner if isinstance(inner, icmp6.EchoRequest) else None


def report(msg: sockapi6.ReceivedMessage, ident: int, outstanding: dict[int, float],
           rtts: list[float]) -> None:
    """Print one reply (RTT, hop limit, arrival interface) or error; count replies to our requests."""
    try:
        reply = icmp6.parse(msg.data)
    except sockapi6.MalformedError:
        return
    where = if_indextoname(msg.pktinfo.ifindex) if msg.pktinfo else "?"
    if isinstance(reply, icmp6.EchoReply):
        if reply.identifier == ident and reply.sequence in outstanding:
            rtts.append((time.monotonic() - outstanding.pop(reply.sequence)) * 1000.0)
            print(f"{len(msg.data)} bytes from {msg.peer}: icmp_seq={reply.sequence} hlim={msg.hoplimit} "
                  f"if={where} time={rtts[-1]:.3f} ms", flush=True)
        return
    echo = invoking_echo(reply)
    if echo is not None and echo.identifier == ident:
        print(f"From {msg.peer} icmp_seq={echo.sequence}: {type(reply).__name__} code={int(reply.code)} "
              f"if={where}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", help="address or host name (fe80::1%%eth0 works too)")
    parser.add_argument("-c", dest="count", type=int, default=4, help="stop after COUNT requests (default 4)")
    parser.add_argument("-i", dest="interval", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("-t", dest="hoplimit", type=int, help="hop limit of the requests (1-255)")
    parser.add_argument("-I", dest="interface", help="outgoing interface (and scope of a link-local target)")
    parser.add_argument("-s", dest="size", type=int, default=56, help="data octets per request (default 56)")
    parser.add_argument("-W", dest="wait", type=float, default=2.0, help="seconds to wait for the last reply")
    args = parser.parse_args(argv)
    try:
        target = resolve(args.target, args.interface)
        sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    except PermissionError:
        print("ping6: raw sockets need root (CAP_NET_RAW)", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"ping6: {args.target}: {exc}", file=sys.stderr)
        return 2
    opts = SocketOptions(sock)
    opts.icmp6_filter = ICMP6Filter(passing=[getattr(sockapi6, name) for name in PASSING])
    opts.recv_hoplimit = opts.recv_pktinfo = True
    if args.hoplimit is not None:
        opts.unicast_hops = opts.multicast_hops = args.hoplimit
    route = [PacketInfo("::", args.interface)] if args.interface else []
    ident = os.getpid() & 0xFFFF
    outstanding: dict[int, float] = {}  # sequence -> when sent
    rtts: list[float] = []
    payload = bytes(i & 0xFF for i in range(args.size))
    print(f"PING {args.target} ({target}): {args.size} data bytes", flush=True)
    start = time.monotonic()
    for seq in range(args.count):
        last = seq + 1 == args.count
        request = icmp6.EchoRequest(identifier=ident, sequence=seq, data=payload)
        outstanding[seq] = time.monotonic()
        try:
            sendmsg(sock, bytes(request), target, route)
        except OSError as exc:  # like ping: report and go on
            print(f"ping6: sendmsg: {exc.strerror}", file=sys.stderr, flush=True)
        deadline = time.monotonic() + (args.wait if last else args.interval)
        while not (last and not outstanding):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                break
            report(recvmsg(sock), ident, outstanding, rtts)
    elapsed = (time.monotonic() - start) * 1000.0
    sock.close()
    received = len(rtts)
    loss = 100.0 * (args.count - received) / args.count if args.count else 0.0
    print(f"--- {args.target} ping statistics ---")
    print(f"{args.count} packets transmitted, {received} received, {loss:.0f}% packet loss, "
          f"time {elapsed:.0f}ms")
    if rtts:
        avg = sum(rtts) / received
        mdev = (sum((r - avg) ** 2 for r in rtts) / received) ** 0.5
        print(f"rtt min/avg/max/mdev = {min(rtts):.3f}/{avg:.3f}/{max(rtts):.3f}/{mdev:.3f} ms")
    return 0 if received else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
