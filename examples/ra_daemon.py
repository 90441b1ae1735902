#!/usr/bin/env python3
"""ra_daemon: a tiny radvd, the Router Advertisement side of RFC 4861 (sections 4.1-4.2, 6.2) and RFC 8106.

Mirrors radvd's socket work: a raw ICMPv6 socket with ``IPV6_MULTICAST_HOPS``
and ``IPV6_UNICAST_HOPS`` 255 and ``IPV6_MULTICAST_IF`` (RFC 3493 5.2), a
membership of ff02::2 on the interface (``IPV6_JOIN_GROUP``), an
``ICMP6_FILTER`` passing only Router Solicitations (RFC 3542 3.2), and
``IPV6_RECVHOPLIMIT`` / ``IPV6_RECVPKTINFO`` so that a solicitation counts only
if it arrived on this interface with hop limit 255 (RFC 4861 6.1.1).  The RA
carries the interface's link-layer address, MTU, prefixes and RDNSS/DNSSL
(RFC 8106) options and goes to ff02::1 from the link-local address.  Needs root::

    python examples/ra_daemon.py -i eth0 --prefix 2001:db8:1::/64 --rdnss 2001:db8::53 --once
"""

from __future__ import annotations

import argparse
import ipaddress
import select
import socket
import sys
import time

import sockapi6
from sockapi6 import (
    ICMP6Filter,
    PacketInfo,
    SocketOptions,
    check_hop_limit_255,
    hardware_address,
    icmp6,
    if_nametoindex,
    join_group,
    link_local_address,
    recvmsg,
    sendmsg,
    to_ipv6,
)

MIN_DELAY_BETWEEN_RAS = 3.0  # seconds, RFC 4861 section 10


def build_ra(args: argparse.Namespace) -> icmp6.RouterAdvertisement:
    """The Router Advertisement the command line describes (RFC 4861 4.2, 4.6; RFC 8106 5)."""
    options: list[icmp6.NDOption] = []
    mac = hardware_address(args.interface)
    if mac:
        options.append(icmp6.SourceLinkLayerAddress(mac))
    if args.mtu:
        options.append(icmp6.MTU(args.mtu))
    for text in args.prefix:
        net = ipaddress.IPv6Network(text, strict=False)
        options.append(icmp6.PrefixInformation(net.network_address, net.prefixlen))
    if args.rdnss:
        options.append(icmp6.RecursiveDNSServer(args.rdnss, args.dns_lifetime))
    if args.dnssl:
        options.append(icmp6.DNSSearchList(args.dnssl, args.dns_lifetime))
    return icmp6.RouterAdvertisement(router_lifetime=args.lifetime, options=options)


def open_socket(ifindex: int) -> socket.socket:
    """Raw ICMPv6 socket set up as radvd sets up its own."""
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    opts = SocketOptions(sock)
    opts.multicast_hops = opts.unicast_hops = 255  # RFC 4861 6.1.2: receivers drop anything less
    opts.multicast_if = ifindex
    opts.multicast_loop = False
    opts.recv_hoplimit = opts.recv_pktinfo = True
    opts.icmp6_filter = ICMP6Filter.block_all().set_pass(sockapi6.ND_ROUTER_SOLICIT)
    join_group(sock, "ff02::2", ifindex)  # all-routers: where solicitations go
    return sock


def valid_solicitation(msg: sockapi6.ReceivedMessage, ifindex: int) -> bool:
    """RFC 4861 6.1.1: hop limit 255, code 0, on our interface, and it parses as an RS."""
    if not check_hop_limit_255(msg) or msg.pktinfo is None or msg.pktinfo.ifindex != ifindex:
        return False
    try:
        rs = icmp6.parse(msg.data)
    except sockapi6.MalformedError:
        return False
    return isinstance(rs, icmp6.RouterSolicitation) and rs.code == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--interface", required=True, help="the interface to advertise on")
    parser.add_argument("--prefix", action="append", default=[], help="on-link, autonomous prefix (repeat)")
    parser.add_argument("--mtu", type=int, default=0, help="MTU option value (default: none)")
    parser.add_argument("--rdnss", action="append", default=[], help="recursive DNS server (repeat)")
    parser.add_argument("--dnssl", action="append", default=[], help="DNS search domain (repeat)")
    parser.add_argument("--dns-lifetime", type=int, default=600, help="RDNSS/DNSSL lifetime in seconds")
    parser.add_argument("--lifetime", type=int, default=1800, help="router lifetime in seconds")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between unsolicited RAs")
    parser.add_argument("--once", action="store_true", help="send one RA and exit")
    parser.add_argument("--count", type=int, default=0, help="exit after sending COUNT RAs (0: never)")
    args = parser.parse_args(argv)
    try:
        ifindex = if_nametoindex(args.interface)
        ra = bytes(build_ra(args))
        sock = open_socket(ifindex)
    except PermissionError:
        print("ra_daemon: raw sockets need root (CAP_NET_RAW)", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"ra_daemon: {exc}", file=sys.stderr)
        return 2
    source = link_local_address(ifindex) or "::"  # RFC 4861 6.1.2: an RA comes from a link-local address
    all_nodes = to_ipv6("ff02::1", ifindex)
    count = 1 if args.once else args.count
    sent, last = 0, -MIN_DELAY_BETWEEN_RAS
    next_ra = time.monotonic()
    with sock:
        while True:
            now = time.monotonic()
            if now >= next_ra:
                sendmsg(sock, ra, all_nodes, [PacketInfo(source, ifindex)])
                sent, last = sent + 1, now
                print(f"sent RA to {all_nodes} from {source} ({len(ra)} octets)", flush=True)
                if count and sent >= count:
                    return 0
                next_ra = now + args.interval
            if not select.select([sock], [], [], max(0.0, next_ra - time.monotonic()))[0]:
                continue
            msg = recvmsg(sock)
            if not valid_solicitation(msg, ifindex):
                print(f"ignored ICMPv6 from {msg.peer} (hop limit {msg.hoplimit})", flush=True)
                continue
            print(f"RS from {msg.peer}", flush=True)
            # RFC 4861 6.2.6: answer to all-nodes, at most one multicast RA per MIN_DELAY_BETWEEN_RAS
            next_ra = min(next_ra, max(time.monotonic(), last + MIN_DELAY_BETWEEN_RAS))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
