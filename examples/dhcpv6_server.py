#!/usr/bin/env python3
"""dhcpv6_server: OpenWrt odhcpd's DHCPv6 server socket and a small leasing server, on sockapi6.dhcp6
(RFC 3493 5.2, RFC 3542 6, RFC 8415 7, 16, 18.3, 19.2).

The socket is set up as odhcpd sets up its own, option for option: UDP
``[::]:547`` with ``SO_BINDTODEVICE``, ``IPV6_V6ONLY``, ``SO_REUSEADDR``,
``IPV6_RECVPKTINFO``, ``IPV6_MULTICAST_HOPS`` (RFC 8415 7.6 HOP_COUNT_LIMIT)
and ``IPV6_MULTICAST_LOOP`` off, then ``IPV6_JOIN_GROUP`` of
All_DHCP_Relay_Agents_and_Servers (ff02::1:2) and All_DHCP_Servers (ff05::1:3)
on one interface index.  Messages are read and built with
:mod:`sockapi6.dhcp6`:

* Solicit -> Advertise, Request/Renew/Rebind -> Reply, each with an IA_NA
  holding an address from a ``--pool`` (the pool on the link-address's /64
  for a relayed message, else the first) and lifetimes from ``--lifetime``;
  without a pool (or with it exhausted) the IA carries Status Code
  NoAddrsAvail (RFC 8415 18.3.9);
* Information-request -> Reply with ``--dns`` servers (RFC 3646);
* Release -> Reply with Status Code Success, the address back in the pool.

A message that came through relays (Relay-forward, RFC 8415 9.1) is
answered inside Relay-replies mirroring each relay's hop-count,
link-address, peer-address and Interface-Id (RFC 8415 19.2) and sent to the
relay that sent it, port 547.  A direct answer carries an ``IPV6_PKTINFO``
item with the arrival interface and source ``::``, which is how odhcpd
answers on the right link.  Needs root (port 547, SO_BINDTODEVICE)::

    python examples/dhcpv6_server.py -i eth0 --once
    python examples/dhcpv6_server.py -i eth0 --pool 2001:db8:1::100-2001:db8:1::1ff --dns 2001:db8::53
"""

from __future__ import annotations

import argparse
import select
import socket
import sys
from ipaddress import IPv6Address, IPv6Network

from sockapi6 import (
    MalformedError,
    PacketInfo,
    ReceivedMessage,
    SocketOptions,
    dhcp6,
    hardware_address,
    if_indextoname,
    if_nametoindex,
    join_group,
    recvmsg,
    sendmsg,
)

GROUPS = (dhcp6.ALL_DHCP_RELAY_AGENTS_AND_SERVERS, dhcp6.ALL_DHCP_SERVERS)  # RFC 8415 7.1
ANSWER = {dhcp6.Solicit: dhcp6.Advertise, dhcp6.Request: dhcp6.Reply, dhcp6.Renew: dhcp6.Reply,
          dhcp6.Rebind: dhcp6.Reply, dhcp6.Release: dhcp6.Reply, dhcp6.InformationRequest: dhcp6.Reply}


class Pool:
    """Addresses ``low``..``high`` handed out one per (DUID, IAID)."""

    def __init__(self, text: str) -> None:
        low, _, high = text.partition("-")
        self.low, self.high = IPv6Address(low), IPv6Address(high or low)
        if self.high < self.low:
            raise ValueError(f"pool {text}: the end is below the start")
        self.leases: dict[tuple[bytes, int], IPv6Address] = {}

    def serves(self, link_address: IPv6Address) -> bool:
        """Whether the pool lies on ``link_address``'s /64 (RFC 8415 13.1: the link's prefix)."""
        return link_address in IPv6Network((self.low, 64), strict=False)

    def lease(self, key: tuple[bytes, int]) -> IPv6Address | None:
        """The address of ``key``, allocating the lowest free one; None when the pool is exhausted."""
        if key not in self.leases:
            taken = set(self.leases.values())
            free = (IPv6Address(n) for n in range(int(self.low), int(self.high) + 1))
            address = next((a for a in free if a not in taken), None)
            if address is None:
                return None
            self.leases[key] = address
        return self.leases[key]


class Server:
    """The server's socket, identity, pools and answers."""

    def __init__(self, ifname: str, pools: list[Pool], dns: list[str], lifetime: int) -> None:
        self.ifname, self.ifindex = ifname, if_nametoindex(ifname)
        self.pools, self.dns, self.lifetime = pools, [IPv6Address(a) for a in dns], lifetime
        mac = hardware_address(self.ifindex) or bytes(6)
        self.duid = dhcp6.DUIDLL(dhcp6.HARDWARE_ETHERNET, mac)  # RFC 8415 11.4
        self.sock = open_socket(ifname, self.ifindex)

    def pool_for(self, link_address: IPv6Address) -> Pool | None:
        if link_address.is_unspecified:
            return self.pools[0] if self.pools else None
        return next((p for p in self.pools if p.serves(link_address)), self.pools[0] if self.pools else None)

    def answer(self, request: dhcp6.ClientServerMessage, link_address: IPv6Address) -> dhcp6.Message | None:
        """The Advertise or Reply for ``request`` (RFC 8415 18.3), or None for what this server ignores."""
        answer_class = ANSWER.get(type(request))
        client_id = request.option(dhcp6.ClientIdentifier)
        server_id = request.option(dhcp6.ServerIdentifier)
        if answer_class is None or (client_id is None and not isinstance(request, dhcp6.InformationRequest)):
            return None
        if server_id is not None and server_id.duid != self.duid:
            return None  # addressed to another server (RFC 8415 16.4, 16.6, 16.8)
        options: list[dhcp6.Option] = [dhcp6.ServerIdentifier(self.duid)]
        if client_id is not None:
            options.insert(0, client_id)
        if isinstance(request, dhcp6.InformationRequest):
            if self.dns:
                options.append(dhcp6.DNSServers(self.dns))
            return answer_class(request.transaction_id, options)
        pool = self.pool_for(link_address)
        duid = bytes(client_id.duid) if client_id else b""
        for ia in request.options_of(dhcp6.IANA):
            key = (duid, ia.iaid)
            if isinstance(request, dhcp6.Release):
                if pool is not None:
                    pool.leases.pop(key, None)
                continue
            address = pool.lease(key) if pool is not None else None
            if address is None:
                options.append(dhcp6.IANA(ia.iaid, 0, 0, [dhcp6.StatusCode(dhcp6.Status.NoAddrsAvail,
                                                                           "no addresses available")]))
            else:
                t1, t2 = self.lifetime // 2, self.lifetime * 4 // 5
                options.append(dhcp6.IANA(ia.iaid, t1, t2, [
                    dhcp6.IAAddress(address, self.lifetime, self.lifetime)]))
        if isinstance(request, dhcp6.Release):
            options.append(dhcp6.StatusCode(dhcp6.Status.Success, "released"))
        elif not request.options_of(dhcp6.IANA):
            options.append(dhcp6.StatusCode(dhcp6.Status.NoAddrsAvail, "no IA_NA in the request"))
        if self.dns and 23 in getattr(request.option(dhcp6.OptionRequest), "codes", ()):
            options.append(dhcp6.DNSServers(self.dns))
        return answer_class(request.transaction_id, options)

    def handle(self, msg: ReceivedMessage) -> list[str]:
        """Answer one datagram; return the log lines."""
        where = if_indextoname(msg.pktinfo.ifindex) if msg.pktinfo else "?"
        try:
            message = dhcp6.parse(msg.data)
        except MalformedError as exc:
            return [f"malformed message from {msg.peer}: {exc}"]
        relays: list[dhcp6.RelayForward] = []
        while isinstance(message, dhcp6.RelayForward) and message.relay_message is not None:
            relays.append(message)
            message = message.relay_message
        if not isinstance(message, dhcp6.ClientServerMessage):
            return [f"ignored {type(message).__name__} from {msg.peer}"]
        link_address = relays[-1].link_address if relays else IPv6Address("::")
        client_id = message.option(dhcp6.ClientIdentifier)
        duid = bytes(client_id.duid).hex() if client_id else "-"
        to = msg.pktinfo.address if msg.pktinfo else "?"
        lines = [f"{type(message).__name__} from [{msg.peer}]:{msg.address[1]} to {to} on {where}: "
                 f"xid=0x{message.transaction_id:06x} duid={duid}"
                 + (f" via {len(relays)} relay(s), link-address {link_address}" if relays else "")]
        answer = self.answer(message, link_address)
        if answer is None:
            return [*lines, f"ignored {type(message).__name__}"]
        for relay in reversed(relays):  # innermost relay first: each Relay-reply wraps the one inside
            echoed: list[dhcp6.Option] = [o for o in relay.options if isinstance(o, dhcp6.InterfaceID)]
            answer = dhcp6.RelayReply(relay.hop_count, relay.link_address, relay.peer_address,
                                      [*echoed, dhcp6.RelayMessageOption(answer)])
        # odhcpd: source :: (the kernel picks), out of the interface the request came in on
        arrival = msg.pktinfo.ifindex if msg.pktinfo else self.ifindex
        sendmsg(self.sock, bytes(answer), msg.address, [PacketInfo("::", arrival)])
        inner = answer
        while isinstance(inner, dhcp6.RelayReply) and inner.relay_message is not None:
            inner = inner.relay_message
        leased = [str(a.address) for ia in inner.options_of(dhcp6.IANA) for a in ia.options
                  if isinstance(a, dhcp6.IAAddress)]
        return [*lines, f"{type(inner).__name__} to [{msg.peer}]:{msg.address[1]} "
                f"({len(bytes(answer))} octets)" + (f" leasing {', '.join(leased)}" if leased else "")]


def open_socket(ifname: str, ifindex: int) -> socket.socket:
    """odhcpd's DHCPv6 server socket, one setsockopt per line as in its C source."""
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    opts = SocketOptions(sock)
    opts.bind_to_device = ifname
    opts.v6only = True
    opts.reuseaddr = True
    opts.recv_pktinfo = True
    opts.multicast_hops = dhcp6.HOP_COUNT_LIMIT
    opts.multicast_loop = False
    sock.bind(("::", dhcp6.SERVER_PORT))
    for group in GROUPS:
        join_group(sock, group, ifindex)
    return sock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--interface", required=True, help="the interface to serve")
    parser.add_argument("--pool", action="append", default=[], help="addresses to lease, LOW-HIGH (repeat)")
    parser.add_argument("--dns", action="append", default=[], help="a DNS server to announce (repeat)")
    parser.add_argument("--lifetime", type=int, default=3600, help="preferred and valid lifetime, seconds")
    parser.add_argument("--once", action="store_true", help="exit after answering one Solicit")
    parser.add_argument("--timeout", type=float, default=None, help="give up after this many idle seconds")
    args = parser.parse_args(argv)
    try:
        server = Server(args.interface, [Pool(p) for p in args.pool], args.dns, args.lifetime)
    except PermissionError:
        print("dhcpv6_server: port 547 and SO_BINDTODEVICE need root", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"dhcpv6_server: {exc}", file=sys.stderr)
        return 2
    print(f"listening on [::]:547, {args.interface} (index {server.ifindex}), groups "
          f"{', '.join(map(str, GROUPS))}", flush=True)
    with server.sock:
        while True:
            if not select.select([server.sock], [], [], args.timeout)[0]:
                print("dhcpv6_server: timed out", file=sys.stderr)
                return 2
            msg = recvmsg(server.sock)
            lines = server.handle(msg)
            print("\n".join(lines), flush=True)
            if args.once and lines[0].startswith("Solicit") and len(lines) > 1 and "ignored" not in lines[-1]:
                return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
