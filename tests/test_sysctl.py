"""sockapi6.sysctl: BSD names and Linux names on the real kernel; every write inside a namespace.

The routing test builds h1 -- r -- h2 from three namespaces and two veth
pairs: with forwarding off in r a datagram from h1 never reaches h2;
``sysctl.set("net.inet6.ip6.forwarding", 1)`` in r (the BSD name) routes it.
"""

from __future__ import annotations

import errno
import itertools
import os
import select
import socket
import subprocess
import sys
import time
from typing import Any, Callable

import pytest
from netns import _enter, _fork, netns_unavailable, run_in_netns

from sockapi6 import NotSupportedError, sysctl

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's /proc/sys")
needs_netns = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
_counter = itertools.count()


def _host_forwarding() -> str:
    with open("/proc/sys/net/ipv6/conf/all/forwarding") as f:
        return f.read()


@linux_only
def test_bsd_names_translate_only_where_the_meaning_is_the_same() -> None:
    assert sysctl.linux_name("net.inet6.ip6.forwarding") == "net.ipv6.conf.all.forwarding"
    assert sysctl.linux_name("net.inet6.ip6.hlim") == "net.ipv6.conf.default.hop_limit"
    assert sysctl.linux_name("net.inet6.ip6.dad_count", "eth0.100") == "net.ipv6.conf.eth0.100.dad_transmits"
    assert sysctl.linux_name("net.ipv6.conf.all.accept_ra", "lo") == "net.ipv6.conf.lo.accept_ra"
    for row in sysctl.MAPPINGS.values():
        assert row.bsd_meaning and row.linux_meaning
    with pytest.raises(NotSupportedError, match="ip6frag_high_thresh"):
        sysctl.get("net.inet6.ip6.maxfragpackets")
    with pytest.raises(NotSupportedError, match="IPV6_MULTICAST_HOPS"):
        sysctl.get("net.inet6.ip6.defmcasthlim")
    with pytest.raises(NotSupportedError, match="none known"):
        sysctl.get("net.inet6.ip6.no_such_knob")
    with pytest.raises(NotSupportedError, match="global only"):
        sysctl.get("net.inet6.ip6.auto_flowlabel", interface="lo")


@linux_only
def test_reads_agree_with_proc() -> None:
    with open("/proc/sys/net/ipv6/conf/default/hop_limit") as f:
        assert sysctl.get("net.inet6.ip6.hlim") == int(f.read())
    assert sysctl.get("net.inet6.ip6.hlim", interface="lo") == sysctl.get("net.ipv6.conf.lo.hop_limit")
    assert sysctl.get("net.ipv6.conf.lo.dad_transmits") == sysctl.get("net.inet6.ip6.dad_count",
                                                                      interface=socket.if_nametoindex("lo"))
    assert sysctl.get("net.ipv6.auto_flowlabels") in (0, 1, 2, 3)


@linux_only
def test_missing_names_and_bad_arguments() -> None:
    with pytest.raises(OSError) as exc:
        sysctl.get("net.ipv6.conf.nosuch0.forwarding")
    assert exc.value.errno == errno.ENODEV
    with pytest.raises(NotSupportedError, match="/proc/sys/net/ipv6/no_such"):
        sysctl.get("net.ipv6.no_such")
    with pytest.raises(ValueError):
        sysctl.get("net/ipv6/../../etc")
    with pytest.raises(TypeError):
        sysctl.get(41)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sysctl.set("net.ipv6.bindv6only", True)
    with pytest.raises(ValueError, match="interface="):
        sysctl.get("net.ipv6.bindv6only", interface="lo")


def _writes() -> dict[str, Any]:
    from sockapi6 import sysctl

    sysctl.set("net.inet6.ip6.hlim", 33)
    sysctl.set("net.inet6.ip6.dad_count", 3, interface="lo")
    sysctl.set("net.inet6.ip6.auto_flowlabel", 0)
    with open("/proc/sys/net/ipv6/conf/default/hop_limit") as f:
        hop_limit = int(f.read())
    return {"hop_limit": hop_limit, "dad": sysctl.get("net.ipv6.conf.lo.dad_transmits"),
            "flowlabels": sysctl.get("net.ipv6.auto_flowlabels")}


@linux_only
@needs_netns
def test_writes_by_bsd_name_land_on_the_linux_knob() -> None:
    before = _host_forwarding()
    assert run_in_netns(_writes) == {"hop_limit": 33, "dad": 3, "flowlabels": 0}
    assert _host_forwarding() == before


class _Chain:
    """Namespaces h1 -- r -- h2 joined by two veth pairs (2001:db8:1::/64 and 2001:db8:2::/64)."""

    def __init__(self) -> None:
        tag = f"{os.getpid() % 100000}y{next(_counter)}"
        self.ns = {n: f"sa6{n}{tag}" for n in ("h1", "r", "h2")}
        self.links = [("h1", f"p1{tag}", "2001:db8:1::1", "r", f"q1{tag}", "2001:db8:1::ff"),
                      ("h2", f"p2{tag}", "2001:db8:2::1", "r", f"q2{tag}", "2001:db8:2::ff")]

    def _ip(self, *args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True)

    def __enter__(self) -> _Chain:
        try:
            for ns in self.ns.values():
                self._ip("netns", "add", ns)
                self._ip("-n", ns, "link", "set", "lo", "up")
            for left, lif, laddr, right, rif, raddr in self.links:
                self._ip("link", "add", lif[:15], "type", "veth", "peer", "name", rif[:15])
                for side, ifn, addr in ((left, lif, laddr), (right, rif, raddr)):
                    ns = self.ns[side]
                    self._ip("link", "set", ifn[:15], "netns", ns)
                    self._ip("-n", ns, "addr", "add", f"{addr}/64", "dev", ifn[:15], "nodad")
                    self._ip("-n", ns, "link", "set", ifn[:15], "up")
                self._ip("-n", self.ns[left], "-6", "route", "add", "default", "via", raddr)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for ns in self.ns.values():
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def start(self, side: str, fn: Callable[..., Any], *args: Any) -> Any:
        path = f"/run/netns/{self.ns[side]}"

        def enter() -> None:
            fd = os.open(path, os.O_RDONLY)
            try:
                _enter(fd)
            finally:
                os.close(fd)

        return _fork(enter, fn, args, f"{fn.__name__} in {side}")


def _receive(port: int, seconds: float) -> list[bytes]:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.bind(("::", port))
        got = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if select.select([s], [], [], left)[0]:
                got.append(s.recv(100))
        return got


def _send(port: int, payload: bytes) -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        for _ in range(5):
            s.sendto(payload, ("2001:db8:2::1", port))
            time.sleep(0.1)


def _forwarding(value: int | None) -> tuple[Any, ...]:
    from sockapi6 import sysctl

    if value is not None:
        sysctl.set("net.inet6.ip6.forwarding", value)
    return (sysctl.get("net.inet6.ip6.forwarding"), sysctl.get("net.ipv6.conf.all.forwarding"),
            sysctl.get("net.inet6.ip6.forwarding", interface="lo"))


def _attempt(chain: _Chain, payload: bytes) -> list[bytes]:
    receiver = chain.start("h2", _receive, 9999, 1.5)
    time.sleep(0.2)
    chain.start("h1", _send, 9999, payload).result(10)
    return list(receiver.result(10))


@linux_only
@needs_netns
def test_forwarding_switched_on_by_its_bsd_name_routes_a_packet() -> None:
    before = _host_forwarding()
    with _Chain() as chain:
        assert chain.start("r", _forwarding, None).result(10) == (0, 0, 0)
        assert _attempt(chain, b"off") == []
        # conf.all.forwarding propagates to every interface (lo included)
        assert chain.start("r", _forwarding, 1).result(10) == (1, 1, 1)
        assert b"on" in _attempt(chain, b"on")
    assert _host_forwarding() == before
