#!/usr/bin/env python3
"""dhcpv6_relay: OpenWrt odhcpd's DHCPv6 relay (``relay_client_request`` / ``relay_server_response``)
on sockapi6 (RFC 8415 sections 9 and 19, RFC 3542 6, RFC 3493 5.2).

One UDP socket on ``[::]:547`` with ``IPV6_RECVPKTINFO``, joined to
All_DHCP_Relay_Agents_and_Servers (ff02::1:2) on each client interface.

* A client's message, or a downstream relay's Relay-forward, arriving on a
  client interface (told by the ``IPV6_PKTINFO`` arrival index: Linux hands a
  joined group's datagrams from every interface to the socket) is wrapped in
  a Relay-forward (RFC 8415 19.1.1): hop-count 0, or the inner hop-count + 1
  for a relay's message (dropped at HOP_COUNT_LIMIT 8), link-address a
  global address of the arrival interface or ``::``, peer-address the
  sender, an Interface-Id naming the interface; it is sent to each server
  (default ff05::1:3, All_DHCP_Servers), out of ``--upstream`` by an
  ``IPV6_PKTINFO`` item when the server is multicast or link-local.
* A Relay-reply is unwrapped (RFC 8415 19.2): its Relay Message goes to
  peer-address, port 546 (547 when it is itself a Relay-reply for a relay
  further down), out of the interface its Interface-Id names, chosen by an
  ``IPV6_PKTINFO`` item: clients on different links may share one
  link-local address, so only that item decides who gets the answer.

Needs root (port 547)::

    python examples/dhcpv6_relay.py -i eth1 -i eth2 -s 2001:db8::547
    python examples/dhcpv6_relay.py -i eth1 -u eth0            # to ff05::1:3 out of eth0
"""

from __future__ import annotations

import argparse
import select
import socket
import sys
from ipaddress import IPv6Address

from sockapi6 import (
    MalformedError,
    PacketInfo,
    ReceivedMessage,
    SocketOptions,
    dhcp6,
    getifaddrs,
    if_indextoname,
    if_nametoindex,
    join_group,
    recvmsg,
    sendmsg,
)

#: message types a relay never forwards from a client link (odhcpd's relay_client_request)
SERVER_ONLY = (dhcp6.MessageType.ADVERTISE, dhcp6.MessageType.REPLY, dhcp6.MessageType.RECONFIGURE,
               dhcp6.MessageType.RELAY_REPL)


def global_address(ifindex: int) -> IPv6Address:
    """An address of global scope on the interface (global or ULA), else ``::`` (RFC 8415 19.1.1)."""
    for entry in getifaddrs():
        address = entry.address
        if (entry.index == ifindex and isinstance(address, IPv6Address)
                and not (address.is_link_local or address.is_loopback or address.is_multicast
                         or address.is_unspecified)):
            return IPv6Address(address.packed)
    return IPv6Address("::")


class Relay:
    """The relay's state: its socket, client interfaces (index -> name) and servers."""

    def __init__(self, interfaces: list[str], servers: list[str], upstream: str | None) -> None:
        self.clients = {if_nametoindex(name): name for name in interfaces}
        self.upstream = if_nametoindex(upstream) if upstream else None
        self.servers = [IPv6Address(s) for s in servers]
        for server in self.servers:
            if (server.is_multicast or server.is_link_local) and self.upstream is None:
                raise ValueError(f"server {server} needs --upstream (the interface it is reached through)")
        self.sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        opts = SocketOptions(self.sock)
        opts.v6only = True
        opts.reuseaddr = True
        opts.recv_pktinfo = True
        opts.multicast_hops = dhcp6.HOP_COUNT_LIMIT
        opts.multicast_loop = False
        self.sock.bind(("::", dhcp6.SERVER_PORT))
        for ifindex in self.clients:
            join_group(self.sock, dhcp6.ALL_DHCP_RELAY_AGENTS_AND_SERVERS, ifindex)

    def handle(self, msg: ReceivedMessage) -> str:
        """Relay one received datagram; return what was done, for the log."""
        arrival = msg.pktinfo.ifindex if msg.pktinfo else 0
        peer = IPv6Address(str(msg.address[0]).partition("%")[0])
        try:
            message = dhcp6.parse(msg.data)
        except MalformedError as exc:
            return f"dropped a malformed message from {peer}: {exc}"
        if arrival in self.clients:
            return self.from_client(message, peer, arrival)
        if isinstance(message, dhcp6.RelayReply):
            return self.from_server(message)
        return f"ignored {type(message).__name__} from {peer} on interface {arrival}"

    def from_client(self, message: dhcp6.Message, peer: IPv6Address, ifindex: int) -> str:
        """Wrap a client's (or relay's) message in a Relay-forward to the servers (RFC 8415 19.1)."""
        if message.msg_type in SERVER_ONLY:
            return f"ignored {type(message).__name__} from a client link"
        hops = 0
        if isinstance(message, dhcp6.RelayForward):
            if message.hop_count >= dhcp6.HOP_COUNT_LIMIT:
                return f"dropped a Relay-forward at hop-count {message.hop_count}"
            hops = message.hop_count + 1
        forward = dhcp6.RelayForward(hops, global_address(ifindex), peer, [
            dhcp6.InterfaceID(self.clients[ifindex].encode()), dhcp6.RelayMessageOption(message)])
        wire = bytes(forward)
        for server in self.servers:
            scoped = server.is_multicast or server.is_link_local
            out = self.upstream if scoped and self.upstream else 0
            sendmsg(self.sock, wire, (str(server), dhcp6.SERVER_PORT, 0, out),
                    [PacketInfo("::", out)] if out else [])
        return (f"{type(message).__name__} from [{peer}] on {self.clients[ifindex]} -> Relay-forward "
                f"(hop-count {hops}, link-address {forward.link_address}) to "
                f"{', '.join(map(str, self.servers))}")

    def reply_pktinfo(self, ifindex: int) -> list[PacketInfo]:
        """The ancillary data that picks the client's link: source ``::``, the interface's index."""
        return [PacketInfo("::", ifindex)]

    def from_server(self, reply: dhcp6.RelayReply) -> str:
        """Unwrap a Relay-reply to the peer out of the Interface-Id's interface (RFC 8415 19.2)."""
        name = (reply.interface_id or b"").decode("ascii", "replace")
        ifindex = next((i for i, n in self.clients.items() if n == name), 0)
        inner = reply.relay_message
        if not ifindex or inner is None:
            return f"dropped a Relay-reply without a known Interface-Id ({name!r}) or Relay Message"
        port = dhcp6.SERVER_PORT if isinstance(inner, dhcp6.RelayReply) else dhcp6.CLIENT_PORT
        ancillary = self.reply_pktinfo(ifindex)
        scope = ifindex if ancillary else 0
        try:
            sendmsg(self.sock, bytes(inner), (str(reply.peer_address), port, 0, scope), ancillary)
        except OSError as exc:
            return f"could not send {type(inner).__name__} to {reply.peer_address}: {exc}"
        return f"{type(inner).__name__} to [{reply.peer_address}]:{port} on {if_indextoname(ifindex)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--interface", action="append", required=True,
                        help="a client-facing interface (repeat for more)")
    parser.add_argument("-s", "--server", action="append",
                        help=f"a server address (repeat for more; default {dhcp6.ALL_DHCP_SERVERS})")
    parser.add_argument("-u", "--upstream", help="the server-facing interface, for multicast or link-local "
                        "servers")
    parser.add_argument("--timeout", type=float, default=None, help="exit after this many idle seconds")
    args = parser.parse_args(argv)
    try:
        relay = Relay(args.interface, args.server or [str(dhcp6.ALL_DHCP_SERVERS)], args.upstream)
    except PermissionError:
        print("dhcpv6_relay: port 547 needs root", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"dhcpv6_relay: {exc}", file=sys.stderr)
        return 2
    print(f"relaying on {', '.join(relay.clients.values())} to {', '.join(map(str, relay.servers))}",
          flush=True)
    with relay.sock:
        while True:
            if not select.select([relay.sock], [], [], args.timeout)[0]:
                print("dhcpv6_relay: idle timeout", file=sys.stderr)
                return 0
            print(relay.handle(recvmsg(relay.sock)), flush=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
