"""docs/porting.md's daemon table, row by row, on the real kernel and the socket type each daemon uses.

Every row of :data:`ROWS` is one option (or call) a C daemon makes on one of
its sockets, done here through sockapi6 on the same kind of socket, in a
network namespace with a veth link ``dt0``.  Its verdict must be the one the
table states: ``ok`` (set, and read back where the option can be read), or
the kernel's refusal (this kernel has no ``CONFIG_IPV6_MIP6``; Linux takes
``IPV6_ROUTER_ALERT`` on ``IPPROTO_RAW`` sockets only).  The table in the
doc and :data:`ROWS` list the same (daemon, C option) pairs.
"""

from __future__ import annotations

import errno
import pathlib
import re
import socket
import subprocess
import sys
from typing import Any, Callable

import pytest
from netns import netns_unavailable, run_in_netns

ROOT = pathlib.Path(__file__).resolve().parent.parent
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux kernel behaviour")
needs_netns = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))

Action = Callable[[socket.socket], Any]


def opt(name: str, value: Any, read: Any = ...) -> Action:
    """Set ``SocketOptions(sock).<name> = value`` and check it reads back as ``read`` (default: value)."""
    def act(sock: socket.socket) -> Any:
        from sockapi6 import SocketOptions

        opts = SocketOptions(sock)
        setattr(opts, name, value)
        got = getattr(opts, name)
        want = value if read is ... else read
        assert got == want, f"{name}: wrote {value!r}, read {got!r}"
    act.__doc__ = f"opts.{name} = {value!r}"
    return act


def opt_if() -> Action:
    """``multicast_if`` takes the name and reads back the index."""
    def act(sock: socket.socket) -> Any:
        from sockapi6 import SocketOptions

        SocketOptions(sock).multicast_if = "dt0"
        assert SocketOptions(sock).multicast_if == socket.if_nametoindex("dt0")
    act.__doc__ = 'opts.multicast_if = "eth0"'
    return act


def write_only(name: str, value: Any) -> Action:
    def act(sock: socket.socket) -> Any:
        from sockapi6 import SocketOptions

        setattr(SocketOptions(sock), name, value)
    act.__doc__ = f"opts.{name} = {value!r}"
    return act


def filt(*passing: int) -> Action:
    def act(sock: socket.socket) -> Any:
        from sockapi6 import ICMP6Filter, SocketOptions

        SocketOptions(sock).icmp6_filter = ICMP6Filter(passing=passing)
        assert SocketOptions(sock).icmp6_filter == ICMP6Filter(passing=passing)
    act.__doc__ = f"opts.icmp6_filter = ICMP6Filter(passing={list(passing)})"
    return act


def join(group: str) -> Action:
    def act(sock: socket.socket) -> Any:
        from sockapi6 import join_group, leave_group

        join_group(sock, group, "dt0")
        leave_group(sock, group, "dt0")
        join_group(sock, group, "dt0")
    act.__doc__ = f'join_group(s, "{group}", "eth0")'
    return act


def mcast(call: str, group: str, source: str = "2001:db8:d::1") -> Action:
    def act(sock: socket.socket) -> Any:
        import sockapi6

        if call == "join_group":
            sockapi6.join_group(sock, group, "dt0")
        elif call == "setsourcefilter":
            sockapi6.join_group(sock, group, "dt0")
            sockapi6.setsourcefilter(sock, "dt0", group, sockapi6.FilterMode.INCLUDE, [source])
            mode, sources = sockapi6.getsourcefilter(sock, "dt0", group)
            assert mode == sockapi6.FilterMode.INCLUDE and [str(s) for s in sources] == [source]
        else:
            getattr(sockapi6, call)(sock, group, source, "dt0")
    act.__doc__ = {"join_group": f'join_group(s, "{group}", "eth0")',
                   "setsourcefilter": 'setsourcefilter(s, "eth0", group, FilterMode.INCLUDE, sources)'}.get(
        call, f'{call}(s, "{group}", source, "eth0")')
    return act


def bpf_ns(sock: socket.socket) -> Any:
    """attach_filter(s, accept_icmpv6_types(135, packet_start="ipv6"))"""
    from sockapi6.bpf import accept_icmpv6_types, attach_filter, get_filter

    program = accept_icmpv6_types(135, packet_start="ipv6")
    attach_filter(sock, program)
    assert get_filter(sock) == program


def send_pktinfo(sock: socket.socket) -> Any:
    """sendmsg(s, data, dst, [PacketInfo("::", "eth0")])"""
    from sockapi6 import PacketInfo, sendmsg

    echo = bytes([128, 0, 0, 0, 0, 1, 0, 1])
    assert sendmsg(sock, echo, ("ff02::1", 0), [PacketInfo("::", "dt0")]) == len(echo)


def send_hopopts_router_alert(sock: socket.socket) -> Any:
    """sendmsg(s, data, dst, [HopByHopOptions([RouterAlert(0)])])"""
    from sockapi6 import HopByHopOptions, PacketInfo, RouterAlert, sendmsg

    query = bytes([130, 0, 0, 0, 0, 0, 0, 0]) + bytes(16)       # MLDv1 general query (RFC 2710)
    ancillary = [PacketInfo("::", "dt0"), HopByHopOptions([RouterAlert(0)])]
    assert sendmsg(sock, query, ("ff02::1", 0), ancillary) == len(query)


def send_rthdr2(sock: socket.socket) -> Any:
    """opts.rthdr = RoutingHeader([home], type=2)"""
    from sockapi6 import RoutingHeader, SocketOptions

    SocketOptions(sock).rthdr = RoutingHeader(["2001:db8:d::99"], type=2)


def flowlabel(sock: socket.socket) -> Any:
    """get_flowlabel(s, dst, label); opts.flowinfo_send = True"""
    from sockapi6 import SocketOptions, get_flowlabel

    SocketOptions(sock).flowinfo_send = True
    assert get_flowlabel(sock, "2001:db8:d::2", 0x1234) == 0x1234


def anycast(sock: socket.socket) -> Any:
    """join_anycast(s, address, "eth0")"""
    from sockapi6 import join_anycast

    join_anycast(sock, "2001:db8:d::aa", "dt0")


def read_mtu(sock: socket.socket) -> Any:
    """s.connect(dst); opts.mtu"""
    from sockapi6 import SocketOptions

    sock.connect(("2001:db8:e::2", 33434))          # routed out of dt0 (MTU 1500)
    assert SocketOptions(sock).mtu == 1500


#: (daemon, socket kind, C option as the daemon sets it, sockapi6 action, verdict on this kernel)
ROWS: tuple[tuple[str, str, str, Action, str], ...] = (
    # odhcpd src/router.c (RA), src/ndp.c (NDP relay), src/dhcpv6.c (see examples/dhcpv6_server.py)
    ("odhcpd", "raw_icmpv6", "IPV6_CHECKSUM (IPPROTO_RAW level) 2", opt("raw_checksum", 2), "ok"),
    ("odhcpd", "raw_icmpv6", "IPV6_MULTICAST_HOPS 255", opt("multicast_hops", 255), "ok"),
    ("odhcpd", "raw_icmpv6", "IPV6_UNICAST_HOPS 255", opt("unicast_hops", 255), "ok"),
    ("odhcpd", "raw_icmpv6", "IPV6_RECVPKTINFO", opt("recv_pktinfo", True), "ok"),
    ("odhcpd", "raw_icmpv6", "IPV6_RECVHOPLIMIT", opt("recv_hoplimit", True), "ok"),
    ("odhcpd", "raw_icmpv6", "IPV6_MULTICAST_LOOP 0", opt("multicast_loop", False), "ok"),
    ("odhcpd", "raw_icmpv6", "ICMP6_FILTER (RS, RA)", filt(133, 134), "ok"),
    ("odhcpd", "raw_icmpv6", "IPV6_ADD_MEMBERSHIP / IPV6_DROP_MEMBERSHIP ff02::2", join("ff02::2"), "ok"),
    ("odhcpd", "raw_icmpv6", "IPV6_PKTINFO (ancillary, sendmsg)", send_pktinfo, "ok"),
    ("odhcpd", "packet_dgram", "SO_ATTACH_FILTER (accept NS)", bpf_ns, "ok"),
    ("odhcpd", "udp", "SO_BINDTODEVICE", opt("bind_to_device", "dt0"), "ok"),
    ("odhcpd", "udp", "IPV6_V6ONLY", opt("v6only", True), "ok"),
    ("odhcpd", "udp", "SO_REUSEADDR", opt("reuseaddr", True), "ok"),
    ("odhcpd", "udp", "IPV6_JOIN_GROUP ff02::1:2, ff05::1:3", join("ff02::1:2"), "ok"),
    # radvd socket.c
    ("radvd", "raw_icmpv6", "IPV6_RECVPKTINFO", opt("recv_pktinfo", True), "ok"),
    ("radvd", "raw_icmpv6", "IPV6_CHECKSUM (IPPROTO_RAW level on Linux) 2", opt("raw_checksum", 2), "ok"),
    ("radvd", "raw_icmpv6", "IPV6_UNICAST_HOPS 255", opt("unicast_hops", 255), "ok"),
    ("radvd", "raw_icmpv6", "IPV6_MULTICAST_HOPS 255", opt("multicast_hops", 255), "ok"),
    ("radvd", "raw_icmpv6", "IPV6_RECVHOPLIMIT", opt("recv_hoplimit", True), "ok"),
    ("radvd", "raw_icmpv6", "ICMP6_FILTER (RS, RA)", filt(133, 134), "ok"),
    ("radvd", "raw_icmpv6", "IPV6_ADD_MEMBERSHIP ff02::2", join("ff02::2"), "ok"),
    ("radvd", "raw_icmpv6", "IPV6_PKTINFO (ancillary, sendmsg)", send_pktinfo, "ok"),
    # dnsmasq src/radv.c, src/dhcp6.c
    ("dnsmasq", "raw_icmpv6", "ICMP6_FILTER (RS, echo reply)", filt(133, 129), "ok"),
    ("dnsmasq", "raw_icmpv6", "IPV6_TCLASS IPTOS_CLASS_CS6", opt("tclass", 0xC0), "ok"),
    ("dnsmasq", "raw_icmpv6", "IPV6_RECVPKTINFO", opt("recv_pktinfo", True), "ok"),
    ("dnsmasq", "raw_icmpv6", "IPV6_UNICAST_HOPS 255", opt("unicast_hops", 255), "ok"),
    ("dnsmasq", "raw_icmpv6", "IPV6_MULTICAST_HOPS 255", opt("multicast_hops", 255), "ok"),
    ("dnsmasq", "raw_icmpv6", "IPV6_MULTICAST_IF", opt_if(), "ok"),
    ("dnsmasq", "udp", "IPV6_V6ONLY", opt("v6only", True), "ok"),
    ("dnsmasq", "udp", "SO_REUSEADDR", opt("reuseaddr", True), "ok"),
    ("dnsmasq", "udp", "IPV6_RECVPKTINFO", opt("recv_pktinfo", True), "ok"),
    ("dnsmasq", "udp", "IPV6_JOIN_GROUP ff02::1:2, ff05::1:3", join("ff05::1:3"), "ok"),
    # UMIP mip6d src/mh.c, src/icmp6.c
    ("mip6d", "raw:135", "IPV6_CHECKSUM 4 (Mobility Header)", opt("checksum", 4), "ok"),
    ("mip6d", "raw:135", "IPV6_RECVPKTINFO", opt("recv_pktinfo", True), "ok"),
    ("mip6d", "raw:135", "IPV6_RECVDSTOPTS", opt("recv_dstopts", True), "ok"),
    ("mip6d", "raw:135", "IPV6_RECVRTHDR", opt("recv_rthdr", True), "ok"),
    ("mip6d", "raw:135", "IPV6_RTHDR type 2", send_rthdr2, "refused: EINVAL"),
    ("mip6d", "raw_icmpv6", "ICMP6_FILTER (errors, MPS/MPA)", filt(1, 2, 3, 4, 146, 147), "ok"),
    # iputils ping/ping6_common.c, tracepath.c
    ("ping", "ping", "IPV6_RECVERR", opt("recv_err", True), "ok"),
    ("ping", "ping", "IPV6_RECVHOPLIMIT", opt("recv_hoplimit", True), "ok"),
    ("ping", "ping", "IPV6_UNICAST_HOPS / IPV6_MULTICAST_HOPS (-t)", opt("multicast_hops", 7), "ok"),
    ("ping", "ping", "IPV6_TCLASS (-Q)", opt("tclass", 0x28), "ok"),
    ("ping", "ping", "IPV6_MTU_DISCOVER (-M)", opt("mtu_discover", 2), "ok"),
    ("ping", "ping", "SO_BINDTODEVICE (-I)", opt("bind_to_device", "dt0"), "ok"),
    ("ping", "ping", "IPV6_FLOWLABEL_MGR + IPV6_FLOWINFO_SEND (-F)", flowlabel, "ok"),
    ("ping", "ping", "IPV6_FLOWINFO (receive the label)", opt("recv_flowinfo", True), "ok"),
    ("ping", "raw_icmpv6", "ICMP6_FILTER (echo reply and errors)", filt(129, 1, 2, 3, 4), "ok"),
    ("tracepath", "udp", "IPV6_MTU_DISCOVER IPV6_PMTUDISC_PROBE", opt("mtu_discover", 3), "ok"),
    ("tracepath", "udp", "IPV6_RECVERR", opt("recv_err", True), "ok"),
    ("tracepath", "udp", "IPV6_RECVHOPLIMIT", opt("recv_hoplimit", True), "ok"),
    ("tracepath", "udp", "IPV6_UNICAST_HOPS (per probe)", opt("unicast_hops", 3), "ok"),
    ("tracepath", "udp", "IPV6_MTU (getsockopt: path MTU)", read_mtu, "ok"),
    # ndisc6 src/ndisc.c (ndisc6, rdisc6), src/rdnssd.c
    ("ndisc6/rdisc6", "raw_icmpv6", "ICMP6_FILTER (NA or RA)", filt(136), "ok"),
    ("ndisc6/rdisc6", "raw_icmpv6", "IPV6_MULTICAST_HOPS 255", opt("multicast_hops", 255), "ok"),
    ("ndisc6/rdisc6", "raw_icmpv6", "IPV6_UNICAST_HOPS 255", opt("unicast_hops", 255), "ok"),
    ("ndisc6/rdisc6", "raw_icmpv6", "IPV6_RECVHOPLIMIT", opt("recv_hoplimit", True), "ok"),
    ("ndisc6/rdisc6", "raw_icmpv6", "SO_BINDTODEVICE", opt("bind_to_device", "dt0"), "ok"),
    # mcproxy mcproxy/src/utils/mc_socket.cpp, mroute_socket.cpp
    ("mcproxy", "udp", "SO_REUSEADDR", opt("reuseaddr", True), "ok"),
    ("mcproxy", "udp", "IPV6_MULTICAST_LOOP", opt("multicast_loop", False), "ok"),
    ("mcproxy", "udp", "IPV6_MULTICAST_IF", opt_if(), "ok"),
    ("mcproxy", "udp", "IPV6_MULTICAST_HOPS", opt("multicast_hops", 1), "ok"),
    ("mcproxy", "udp", "MCAST_JOIN_GROUP / MCAST_LEAVE_GROUP", mcast("join_group", "ff05::114"), "ok"),
    ("mcproxy", "udp", "MCAST_JOIN_SOURCE_GROUP", mcast("join_source_group", "ff3e::114"), "ok"),
    ("mcproxy", "udp", "setsourcefilter / getsourcefilter", mcast("setsourcefilter", "ff3e::115"), "ok"),
    ("mcproxy", "ipproto_raw", "IPV6_ROUTER_ALERT 0 (MLD)", write_only("router_alert", 0), "ok"),
    ("mcproxy", "raw_icmpv6", "IPV6_HOPOPTS Router Alert (ancillary, MLD)", send_hopopts_router_alert, "ok"),
    # pim6sd pim6sd/mld6.c, pim6sd/pim6.c
    ("pim6sd", "raw_icmpv6", "IPV6_MULTICAST_HOPS 1", opt("multicast_hops", 1), "ok"),
    ("pim6sd", "raw_icmpv6", "ICMP6_FILTER (MLD query, report, done, MLDv2 report)",
     filt(130, 131, 132, 143), "ok"),
    ("pim6sd", "raw_icmpv6", "IPV6_RECVPKTINFO", opt("recv_pktinfo", True), "ok"),
    ("pim6sd", "raw_icmpv6", "IPV6_RECVHOPLIMIT", opt("recv_hoplimit", True), "ok"),
    ("pim6sd", "raw_icmpv6", "IPV6_ROUTER_ALERT 0 on the MLD socket", write_only("router_alert", 0),
     "refused: ENOPROTOOPT"),
    ("pim6sd", "raw_icmpv6", "IPV6_HOPOPTS Router Alert (inet6_option_* / inet6_opt_*)",
     send_hopopts_router_alert, "ok"),
    ("pim6sd", "raw:103", "IPV6_CHECKSUM 2 (PIM)", opt("checksum", 2), "ok"),
    # FRR bgpd, ospf6d, ripngd, pimd (pim6d), bfdd, lib/sockopt.c
    ("FRR bgpd", "tcp", "IPV6_V6ONLY", opt("v6only", True), "ok"),
    ("FRR bgpd", "tcp", "IPV6_MINHOPCOUNT (GTSM)", opt("minhopcount", 254), "ok"),
    ("FRR bgpd", "tcp", "IPV6_UNICAST_HOPS", opt("unicast_hops", 255), "ok"),
    ("FRR bgpd", "tcp", "IPV6_TCLASS", opt("tclass", 0xC0), "ok"),
    ("FRR bgpd", "tcp", "SO_REUSEADDR / SO_REUSEPORT", opt("reuseport", True), "ok"),
    ("FRR ospf6d", "raw:89", "IPV6_CHECKSUM 12", opt("checksum", 12), "ok"),
    ("FRR ospf6d", "raw:89", "IPV6_RECVPKTINFO", opt("recv_pktinfo", True), "ok"),
    ("FRR ospf6d", "raw:89", "IPV6_MULTICAST_LOOP 0", opt("multicast_loop", False), "ok"),
    ("FRR ospf6d", "raw:89", "IPV6_MULTICAST_HOPS 1", opt("multicast_hops", 1), "ok"),
    ("FRR ospf6d", "raw:89", "IPV6_JOIN_GROUP ff02::5, ff02::6", join("ff02::5"), "ok"),
    ("FRR ripngd", "udp", "IPV6_JOIN_GROUP ff02::9", join("ff02::9"), "ok"),
    ("FRR ripngd", "udp", "IPV6_RECVHOPLIMIT", opt("recv_hoplimit", True), "ok"),
    ("FRR pim6d", "raw_icmpv6", "IPV6_MULTICAST_ALL 0", opt("multicast_all", False), "ok"),
    ("FRR pim6d", "raw_icmpv6", "IPV6_MULTICAST_IF", opt_if(), "ok"),
    ("FRR bfdd", "raw:17", "IPV6_HDRINCL (echo)", opt("hdrincl", True), "ok"),
    ("FRR bfdd", "udp", "IPV6_RECVHOPLIMIT", opt("recv_hoplimit", True), "ok"),
    ("FRR bfdd", "udp", "IPV6_UNICAST_HOPS 255 (RFC 5881 GTSM)", opt("unicast_hops", 255), "ok"),
    ("FRR bfdd", "udp", "SO_BINDTODEVICE", opt("bind_to_device", "dt0"), "ok"),
    ("FRR vrrpd", "raw:112", "IPV6_CHECKSUM 6", opt("checksum", 6), "ok"),
    ("FRR vrrpd", "raw:112", "IPV6_JOIN_GROUP ff02::12", join("ff02::12"), "ok"),
    # BIRD sysdep/unix/io.c, sysdep/linux/sysio.h
    ("BIRD", "tcp", "IPV6_MINHOPCOUNT (ttl security)", opt("minhopcount", 255), "ok"),
    ("BIRD", "udp", "IPV6_V6ONLY", opt("v6only", True), "ok"),
    ("BIRD", "udp", "IPV6_RECVPKTINFO", opt("recv_pktinfo", True), "ok"),
    ("BIRD", "udp", "IPV6_RECVHOPLIMIT", opt("recv_hoplimit", True), "ok"),
    ("BIRD", "udp", "IPV6_TCLASS", opt("tclass", 0xC0), "ok"),
    ("BIRD", "raw:89", "IPV6_CHECKSUM 12 (OSPF)", opt("checksum", 12), "ok"),
    ("BIRD", "raw:89", "IPV6_MULTICAST_IF / LOOP / HOPS", opt("multicast_hops", 1), "ok"),
    ("BIRD", "raw_icmpv6", "ICMP6_FILTER (RAdv: RS)", filt(133), "ok"),
    ("BIRD", "raw_icmpv6", "IPV6_JOIN_ANYCAST (none; sockapi6 has it)", anycast, "ok"),
)


def _socket(kind: str) -> socket.socket:
    if kind == "udp":
        return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    if kind == "tcp":
        return socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    if kind == "raw_icmpv6":
        return socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    if kind == "ipproto_raw":
        return socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    if kind == "ping":
        return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_ICMPV6)
    if kind == "packet_dgram":
        return socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x86DD))
    if kind.startswith("raw:"):
        return socket.socket(socket.AF_INET6, socket.SOCK_RAW, int(kind[4:]))
    raise AssertionError(kind)


def _verdicts() -> list[str]:
    from sockapi6 import sysctl

    subprocess.run(["ip", "link", "add", "dt0", "type", "veth", "peer", "name", "dt1"], check=True)
    for name in ("dt0", "dt1"):
        sysctl.set("net.inet6.ip6.dad_count", 0, interface=name)
        subprocess.run(["ip", "link", "set", name, "up"], check=True)
    subprocess.run(["ip", "addr", "add", "2001:db8:d::1/64", "dev", "dt0", "nodad"], check=True)
    subprocess.run(["ip", "addr", "add", "2001:db8:d::2/64", "dev", "dt1", "nodad"], check=True)
    subprocess.run(["ip", "-6", "route", "add", "2001:db8:e::/64", "dev", "dt0"], check=True)
    sysctl.set("net.ipv4.ping_group_range", "0 2147483647")      # ICMPv6 datagram sockets for root
    verdicts = []
    for _daemon, kind, _c, action, _want in ROWS:
        with _socket(kind) as sock:
            try:
                action(sock)
                verdicts.append("ok")
            except OSError as exc:
                verdicts.append(f"refused: {errno.errorcode.get(exc.errno or 0, exc.errno)}")
    return verdicts


@linux_only
@needs_netns
def test_every_row_behaves_as_the_table_says() -> None:
    got = run_in_netns(_verdicts, timeout=60)
    mismatches = [(d, c, want, have) for (d, _k, c, _a, want), have in zip(ROWS, got) if want != have]
    assert not mismatches


def _doc_rows() -> set[tuple[str, str]]:
    text = (ROOT / "docs" / "porting.md").read_text()
    section = text.split("## Daemons", 1)[1]
    rows = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 5 and cells[0] not in ("Daemon", "---"):
            rows.add((cells[0], re.sub(r"`", "", cells[2])))
    return rows


def test_the_doc_table_lists_the_same_rows() -> None:
    assert _doc_rows() == {(d, c) for d, _k, c, _a, _w in ROWS}
