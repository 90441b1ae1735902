"""Multicast on a real veth pair: odhcpd's server setup, joins and leaves, hops/loop, source filters.

Namespace ``b`` runs a DHCPv6-style server on ``[::]:547`` set up as odhcpd does
(SO_BINDTODEVICE, IPV6_V6ONLY, SO_REUSEADDR, IPV6_RECVPKTINFO, multicast hops and
loop, through SocketOptions).  It goes through *phases*: before each one it applies
membership operations (join_group, join_source_group, block_source, setsourcefilter,
...), signals readiness through a file, and records every datagram that arrives
until the client in namespace ``a`` says it has sent.
"""

from __future__ import annotations

import errno
import os
import select
import socket
import subprocess
import time
from ipaddress import IPv6Address
from typing import Any

import pytest
from netns import VethPair, netns_unavailable, run_in_netns

import sockapi6
from sockapi6.address import to_sockaddr_tuple
from sockapi6.ancillary import HopLimit, PacketInfo, parse_ancillary
from sockapi6.multicast import (
    FilterMode,
    block_source,
    getsourcefilter,
    join_group,
    join_source_group,
    leave_group,
    leave_source_group,
    setsourcefilter,
    unblock_source,
)
from sockapi6.sockopt import SocketOptions

NETNS = netns_unavailable()
pytestmark = pytest.mark.skipif(NETNS is not None, reason=NETNS or "")

PORT = 547
ALL_DHCP = "ff02::1:2"        # All_DHCP_Relay_Agents_and_Servers (RFC 8415)
ALL_SERVERS = "ff05::1:3"     # All_DHCP_Servers
GROUP = "ff02::5a6"          # a link-local group nobody else joins
OTHER_LL, OTHER_GLOBAL = "fe80::aa", "2001:db8::aa"   # second addresses on side a
C = sockapi6._system.binding.CONSTANTS


def _wait_for(path: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear")
        time.sleep(0.01)


def _touch(path: str) -> None:
    with open(path, "w"):
        pass


def _apply(sock: socket.socket, op: tuple[Any, ...], group: str, ifname: str) -> Any:
    """Apply one membership operation; ``op[1]`` picks the interface by 'name' or 'index'.

    join_group / leave_group take an optional third element: another group.
    """
    name, how, *args = op
    interface: Any = ifname if how == "name" else socket.if_nametoindex(ifname)
    if name == "join_group":
        return join_group(sock, args[0] if args else group, interface)
    if name == "leave_group":
        return leave_group(sock, args[0] if args else group, interface)
    if name in ("join_source_group", "leave_source_group", "block_source", "unblock_source"):
        fn = {"join_source_group": join_source_group, "leave_source_group": leave_source_group,
              "block_source": block_source, "unblock_source": unblock_source}[name]
        return fn(sock, group, args[0], interface)
    if name == "setsourcefilter":
        return setsourcefilter(sock, interface, group, FilterMode[args[0]], args[1])
    if name == "getsourcefilter":
        mode, sources = getsourcefilter(sock, interface, group)
        return mode.name, sorted(str(s) for s in sources)
    raise AssertionError(name)


def _server(sync: str, ifname: str, group: str, phases: list[list[tuple[Any, ...]]]) -> Any:
    """Namespace b: odhcpd's socket setup, then one receive window per phase."""
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    opts = SocketOptions(s)
    opts.bind_to_device = ifname
    opts.v6only = True
    opts.reuseaddr = True
    opts.recv_pktinfo = True
    opts.recv_hoplimit = True
    opts.multicast_hops = 32          # odhcpd's DHCPV6_HOP_COUNT_LIMIT
    opts.multicast_loop = False
    s.bind(("::", PORT))
    results = []
    with s:
        for i, ops in enumerate(phases):
            outcomes = [_apply(s, op, group, ifname) for op in ops]
            _touch(f"{sync}/ready{i}")
            got = []
            sent_at = None
            while True:
                if select.select([s], [], [], 0.05)[0]:
                    data, anc, _flags, addr = s.recvmsg(2048, 1024)
                    items = parse_ancillary(anc)
                    info = next(x for x in items if isinstance(x, PacketInfo))
                    hops = next(x for x in items if isinstance(x, HopLimit))
                    got.append((addr[0].split("%")[0], data.decode(), str(IPv6Address(info.address.packed)),
                                info.ifindex, hops.value))
                    continue
                if sent_at is None and os.path.exists(f"{sync}/sent{i}"):
                    sent_at = time.monotonic()
                if sent_at is not None and time.monotonic() - sent_at > 0.3:
                    break
            results.append((outcomes, got))
    return results, socket.if_nametoindex(ifname)


def _client(sync: str, phase: int, ifname: str, group: str, sends: list[tuple[Any, ...]]) -> None:
    """Namespace a: wait for the server's phase, send (source, payload, hops[, group]) to group%ifname."""
    _wait_for(f"{sync}/ready{phase}")
    index = socket.if_nametoindex(ifname)
    for source, payload, hops, *other in sends:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as c:
            scope = index if IPv6Address(source).is_link_local else 0
            c.bind((source, 0, 0, scope))
            if hops:
                SocketOptions(c).multicast_hops = hops
            else:
                SocketOptions(c).multicast_if = ifname     # for the ff05:: group, which has no scope
            destination = f"{other[0] if other else group}%{ifname}"   # e.g. ff02::1:2%veth
            c.sendto(payload.encode(), to_sockaddr_tuple(destination, PORT))
    _touch(f"{sync}/sent{phase}")


def _run(tmp_path: Any, group: str, phases: list[list[tuple[Any, ...]]],
         sends: list[list[tuple[Any, ...]]]) -> tuple[list[Any], int, VethPair]:
    """Run the server through ``phases`` while the client sends ``sends[i]`` in phase i."""
    sync = str(tmp_path)
    with VethPair() as pair:
        for extra in (OTHER_LL, OTHER_GLOBAL):
            subprocess.run(["ip", "-n", pair.ns["a"], "addr", "add", f"{extra}/64", "dev", pair.ifname["a"],
                            "nodad"], check=True, capture_output=True)
        server = pair.start("b", _server, sync, pair.ifname["b"], group, phases)
        try:
            for i, batch in enumerate(sends):
                pair.run("a", _client, sync, i, pair.ifname["a"], group, batch)
        finally:
            results, ifindex = server.result(30)
        return results, ifindex, pair


def _sources(got: list[tuple[Any, ...]]) -> list[str]:
    return sorted(g[0] for g in got)


# ---- tests ---------------------------------------------------------------------

def test_odhcpd_join_receive_leave(tmp_path: Any) -> None:
    # odhcpd joins All_DHCP_Relay_Agents_and_Servers and All_DHCP_Servers on one interface
    phases = [[("join_group", "name"), ("join_group", "index", ALL_SERVERS)],
              [("leave_group", "name"), ("leave_group", "index", ALL_SERVERS)]]
    sends = [[("fe80::a", "solicit", 0), ("2001:db8::a", "relay-forw", 0, ALL_SERVERS)],
             [("fe80::a", "after leave", 0), ("2001:db8::a", "after leave", 0, ALL_SERVERS)]]
    results, ifindex, _ = _run(tmp_path, ALL_DHCP, phases, sends)
    (_, first), (_, second) = results
    assert len(first) == 2
    by_payload = {g[1]: g for g in first}
    src, _payload, dst, pkt_ifindex, hops = by_payload["solicit"]
    assert src == "fe80::a"
    assert dst == ALL_DHCP and pkt_ifindex == ifindex          # PacketInfo: the group, the veth
    assert hops == 1                                            # default multicast hop limit
    src, _payload, dst, pkt_ifindex, _hops = by_payload["relay-forw"]
    assert (src, dst, pkt_ifindex) == ("2001:db8::a", ALL_SERVERS, ifindex)
    assert second == []                                         # left: no longer delivered


def test_multicast_hops_observed(tmp_path: Any) -> None:
    phases = [[("join_group", "index")]]
    sends = [[("fe80::a", "hops 7", 7), ("fe80::a", "hops 200", 200)]]
    results, _, _ = _run(tmp_path, GROUP, phases, sends)
    got = results[0][1]
    assert sorted((g[1], g[4]) for g in got) == [("hops 200", 200), ("hops 7", 7)]


def _loopback_counts(ifname: str, group: str) -> tuple[int, int, bool, bool]:
    """Namespace a: a socket joined to ``group`` sends to it with loop off, then on."""
    counts = []
    states = []
    for loop in (False, True):
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::", 5000))
            join_group(s, group, ifname)
            opts = SocketOptions(s)
            opts.multicast_loop = loop
            states.append(opts.multicast_loop)
            s.sendto(b"to myself", (group, 5000, 0, socket.if_nametoindex(ifname)))
            n = 0
            while select.select([s], [], [], 0.4)[0]:
                s.recv(100)
                n += 1
            counts.append(n)
    return counts[0], counts[1], states[0], states[1]


def test_multicast_loop_observed() -> None:
    with VethPair() as pair:
        off, on, state_off, state_on = pair.run("a", _loopback_counts, pair.ifname["a"], GROUP)
    assert (state_off, state_on) == (False, True)
    assert off == 0            # loop off: the sender's own joined socket does not get it
    assert on == 1             # loop on: it does


def test_source_specific_join(tmp_path: Any) -> None:
    phases = [
        [("join_source_group", "index", "fe80::a"), ("getsourcefilter", "index")],
        [("leave_source_group", "name", "fe80::a"), ("join_source_group", "name", "2001:db8::a"),
         ("getsourcefilter", "name")],
    ]
    sends = [
        [("fe80::a", "ll-a", 0), (OTHER_LL, "ll-other", 0)],
        [("fe80::a", "ll-a again", 0), ("2001:db8::a", "global-a", 0), (OTHER_GLOBAL, "global-other", 0)],
    ]
    results, _, _ = _run(tmp_path, GROUP, phases, sends)
    (ops1, got1), (ops2, got2) = results
    assert ops1[1] == ("INCLUDE", ["fe80::a"])
    assert [(g[0], g[1]) for g in got1] == [("fe80::a", "ll-a")]        # the other source is filtered out
    assert ops2[2] == ("INCLUDE", ["2001:db8::a"])
    assert [(g[0], g[1]) for g in got2] == [("2001:db8::a", "global-a")]


def test_block_and_unblock_source(tmp_path: Any) -> None:
    phases = [
        [("join_group", "name"), ("block_source", "name", OTHER_LL), ("getsourcefilter", "name")],
        [("unblock_source", "index", OTHER_LL), ("getsourcefilter", "index")],
    ]
    both = [("fe80::a", "from a", 0), (OTHER_LL, "from other", 0)]
    results, _, _ = _run(tmp_path, GROUP, phases, [both, both])
    (ops1, got1), (ops2, got2) = results
    assert ops1[2] == ("EXCLUDE", [OTHER_LL])
    assert _sources(got1) == ["fe80::a"]
    assert ops2[1] == ("EXCLUDE", [])
    assert _sources(got2) == sorted(["fe80::a", OTHER_LL])


def test_setsourcefilter_controls_delivery(tmp_path: Any) -> None:
    phases = [
        [("join_group", "name"), ("setsourcefilter", "name", "INCLUDE", ["2001:db8::a", "2001:db8::c"]),
         ("getsourcefilter", "name")],
        [("setsourcefilter", "index", "EXCLUDE", ["2001:db8::a"]), ("getsourcefilter", "index")],
    ]
    sends = [[("2001:db8::a", "a", 0), (OTHER_GLOBAL, "aa", 0)]] * 2
    results, _, _ = _run(tmp_path, GROUP, phases, sends)
    (ops1, got1), (ops2, got2) = results
    assert ops1[2] == ("INCLUDE", ["2001:db8::a", "2001:db8::c"])
    assert _sources(got1) == ["2001:db8::a"]
    assert ops2[1] == ("EXCLUDE", ["2001:db8::a"])
    assert _sources(got2) == [OTHER_GLOBAL]


def _sourcefilter_round_trip(n: int) -> Any:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        out = []
        try:
            getsourcefilter(s, "lo", "ff05::1:3")
        except OSError as exc:
            out.append(exc.errno)               # not joined yet
        join_group(s, "ff05::1:3", "lo")
        out.append(getsourcefilter(s, "lo", "ff05::1:3"))     # any-source join: EXCLUDE, no sources
        sources = [f"2001:db8::{i + 1:x}" for i in range(n)]
        setsourcefilter(s, "lo", "ff05::1:3", FilterMode.INCLUDE, sources)
        mode, got = getsourcefilter(s, "lo", "ff05::1:3")
        out.append((mode, sorted(got)))
        return out, sorted(IPv6Address(x) for x in sources)


def test_sourcefilter_round_trip_and_growth() -> None:
    # more sources than getsourcefilter's first guess would hold, if the kernel allows them
    limit = int(subprocess.run(["sysctl", "-n", "net.ipv6.mld_max_msf"], capture_output=True,
                               text=True).stdout.strip() or 64)
    n = min(limit, 80)
    out, expected = run_in_netns(_sourcefilter_round_trip, n)
    assert out[0] == errno.EADDRNOTAVAIL
    assert out[1] == (FilterMode.EXCLUDE, [])
    mode, got = out[2]
    assert mode is FilterMode.INCLUDE and got == expected and len(got) == n


def test_filter_mode_values_come_from_lib() -> None:
    assert int(FilterMode.INCLUDE) == sockapi6.lib.MCAST_INCLUDE == C["MCAST_INCLUDE"]
    assert int(FilterMode.EXCLUDE) == sockapi6.lib.MCAST_EXCLUDE == C["MCAST_EXCLUDE"]


def _bad_arguments() -> list[str]:
    out = []
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        for call in (
            lambda: join_group(s, "2001:db8::1", "lo"),                  # not multicast
            lambda: join_group(s, "ff02::1%lo", 99999),                  # scope contradicts interface
            lambda: join_group(s, "ff02::1", 2**32),                     # index out of range
            lambda: join_group(s, "ff02::1", 1.5),                       # wrong type
            lambda: join_group(3.0, "ff02::1", "lo"),                    # not a socket
            lambda: join_source_group(s, "ff02::1", "ff02::2", "lo"),    # multicast source
            lambda: setsourcefilter(s, "lo", "ff02::1", 7, []),          # not a filter mode
            lambda: setsourcefilter(s, "lo", "ff02::1", FilterMode.INCLUDE, "2001:db8::1"),
            lambda: join_group(s, "ff02::1", "nosuchif0"),               # unknown interface
        ):
            try:
                call()
            except (TypeError, ValueError, OSError) as exc:
                out.append(type(exc).__name__ if not isinstance(exc, OSError) else f"OSError:{exc.errno}")
            else:
                out.append("accepted")
    return out


def test_bad_arguments() -> None:
    out = run_in_netns(_bad_arguments)
    assert out[:8] == ["ValueError", "ValueError", "RangeError", "TypeError", "TypeError", "ValueError",
                       "ValueError", "TypeError"]
    assert out[8] == f"OSError:{errno.ENODEV}"  # an UnknownInterfaceError, as for every unknown name

