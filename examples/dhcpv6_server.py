#!/usr/bin/env python3
"""dhcpv6_server: OpenWrt odhcpd's DHCPv6 socket setup ported (RFC 3493 5.2, RFC 3542 6, RFC 8415 7-8, 21).

The socket is set up as odhcpd sets up its own, option for option: UDP
``[::]:547`` with ``SO_BINDTODEVICE``, ``IPV6_V6ONLY``, ``SO_REUSEADDR``,
``IPV6_RECVPKTINFO``, ``IPV6_MULTICAST_HOPS`` (RFC 8415 7.6 HOP_COUNT_LIMIT)
and ``IPV6_MULTICAST_LOOP`` off, then ``IPV6_JOIN_GROUP`` of
All_DHCP_Relay_Agents_and_Servers (ff02::1:2) and All_DHCP_Servers (ff05::1:3)
on one interface index.  Each Solicit (RFC 8415 16.2) is printed (client DUID,
transaction id, arrival interface from ``IPV6_PKTINFO``) and answered with a
minimal Advertise (RFC 8415 18.3.9): the client's Client Identifier echoed, a
Server Identifier (DUID-LL of the interface, RFC 8415 11.4) and a Status Code
NoAddrsAvail -- no leasing.  The reply carries an ``IPV6_PKTINFO`` item with
the arrival interface and source ``::``, which is how odhcpd answers on the
right link.  Needs root (port 547, SO_BINDTODEVICE)::

    python examples/dhcpv6_server.py -i eth0 --once
"""

from __future__ import annotations

import argparse
import select
import socket
import struct
import sys

from sockapi6 import (
    PacketInfo,
    SocketOptions,
    hardware_address,
    if_indextoname,
    if_nametoindex,
    join_group,
    recvmsg,
    sendmsg,
)

SOLICIT, ADVERTISE = 1, 2  # RFC 8415 7.3
OPTION_CLIENTID, OPTION_SERVERID, OPTION_STATUS_CODE = 1, 2, 13  # RFC 8415 21.2, 21.3, 21.13
NO_ADDRS_AVAIL = 2  # RFC 8415 7.5
HOP_COUNT_LIMIT = 8  # RFC 8415 7.6
GROUPS = ("ff02::1:2", "ff05::1:3")  # RFC 8415 7.1: All_DHCP_Relay_Agents_and_Servers, All_DHCP_Servers


def parse_message(data: bytes) -> tuple[int, int, dict[int, bytes]]:
    """``(msg-type, transaction-id, {option-code: first option-data})`` (RFC 8415 8, 21.1).

    Raises ``ValueError`` when the message is short or an option runs past its end.
    """
    if len(data) < 4:
        raise ValueError(f"a DHCPv6 message is at least 4 octets, got {len(data)}")
    options: dict[int, bytes] = {}
    offset = 4
    while offset < len(data):
        if offset + 4 > len(data):
            raise ValueError(f"truncated option header at offset {offset}")
        code, length = struct.unpack_from("!HH", data, offset)
        if offset + 4 + length > len(data):
            raise ValueError(f"option {code} at offset {offset} runs past the end")
        options.setdefault(code, data[offset + 4:offset + 4 + length])
        offset += 4 + length
    return data[0], int.from_bytes(data[1:4], "big"), options


def option(code: int, data: bytes) -> bytes:
    """One DHCPv6 option: code, length, data (RFC 8415 21.1)."""
    return struct.pack("!HH", code, len(data)) + data


def advertise(xid: int, client_id: bytes, server_duid: bytes) -> bytes:
    """A minimal Advertise (RFC 8415 16.3, 18.3.9): echoed Client Identifier, our Server Identifier,
    Status Code NoAddrsAvail (RFC 8415 21.13)."""
    status = struct.pack("!H", NO_ADDRS_AVAIL) + b"no leasing in this example"
    return (bytes([ADVERTISE]) + xid.to_bytes(3, "big") + option(OPTION_CLIENTID, client_id)
            + option(OPTION_SERVERID, server_duid) + option(OPTION_STATUS_CODE, status))


def open_socket(ifname: str, ifindex: int) -> socket.socket:
    """odhcpd's DHCPv6 server socket, one setsockopt per line as in its C source."""
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    opts = SocketOptions(sock)
    opts.bind_to_device = ifname
    opts.v6only = True
    opts.reuseaddr = True
    opts.recv_pktinfo = True
    opts.multicast_hops = HOP_COUNT_LIMIT
    opts.multicast_loop = False
    sock.bind(("::", 547))
    for group in GROUPS:
        join_group(sock, group, ifindex)
    return sock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--interface", required=True, help="the interface to serve")
    parser.add_argument("--once", action="store_true", help="exit after answering one Solicit")
    parser.add_argument("--timeout", type=float, default=None, help="give up after this many idle seconds")
    args = parser.parse_args(argv)
    try:
        ifindex = if_nametoindex(args.interface)
        sock = open_socket(args.interface, ifindex)
    except PermissionError:
        print("dhcpv6_server: port 547 and SO_BINDTODEVICE need root", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"dhcpv6_server: {exc}", file=sys.stderr)
        return 2
    mac = hardware_address(ifindex) or bytes(6)
    server_duid = struct.pack("!HH", 3, 1) + mac  # DUID-LL, hardware type 1 (Ethernet), RFC 8415 11.4
    print(f"listening on [::]:547, {args.interface} (index {ifindex}), groups {', '.join(GROUPS)}",
          flush=True)
    with sock:
        while True:
            if not select.select([sock], [], [], args.timeout)[0]:
                print("dhcpv6_server: timed out", file=sys.stderr)
                return 2
            msg = recvmsg(sock)
            where = if_indextoname(msg.pktinfo.ifindex) if msg.pktinfo else "?"
            try:
                kind, xid, options = parse_message(msg.data)
            except ValueError as exc:
                print(f"malformed message from {msg.peer}: {exc}", flush=True)
                continue
            client_id = options.get(OPTION_CLIENTID)
            if kind != SOLICIT or not client_id or OPTION_SERVERID in options:  # RFC 8415 16.2
                print(f"ignored message type {kind} from {msg.peer}", flush=True)
                continue
            to = msg.pktinfo.address if msg.pktinfo else "?"
            print(f"Solicit from [{msg.peer}]:{msg.address[1]} to {to} on {where}: "
                  f"xid=0x{xid:06x} duid={client_id.hex()}", flush=True)
            reply = advertise(xid, client_id, server_duid)
            # odhcpd: source :: (the kernel picks), the interface the request came in on
            arrival = msg.pktinfo.ifindex if msg.pktinfo else ifindex
            sendmsg(sock, reply, msg.address, [PacketInfo("::", arrival)])
            print(f"Advertise to [{msg.peer}]:{msg.address[1]} ({len(reply)} octets)", flush=True)
            if args.once:
                return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
