"""examples/dhcpv6_relay.py (and dhcpv6_server.py) with real DHCPv6 peers in network namespaces (no mocks).

::

    c1 (dhclient, fe80::c) --- down1 \\                 / eth0 (2001:db8:f::2)  s (DHCPv6 server)
                                      r (relay) wan ---
    c2 (dhclient, fe80::c) --- down2 /   2001:db8:f::1
    down1: 2001:db8:1::1/64, down2: 2001:db8:2::1/64

Both clients have the same link-local address (and no other), so only the
relay's choice of interface decides which client a reply reaches.  The
server namespace routes 2001:db8:1::/64 and 2001:db8:2::/64 to the relay.
:meth:`Topology.exchange` starts a server, a relay and both clients
(``dhclient -6`` with its own script, lease, pid and config files, never the
host's), records every Relay-forward the server receives, and returns what
each client leased.

The tests: our relay gives both clients a lease from their own link's
dnsmasq range, sending to the server by unicast and to ff05::1:3; WIDE's
``dhcp6relay`` passes the same harness and puts the same Relay-forward
fields on the wire (the Interface-Id's content aside); a relay that sends
replies without choosing an interface fails it; our server leases to both
clients through our relay (Solicit, Request, Renew, Information-request);
a downstream relay's Relay-forward is wrapped with hop-count + 1 and its
answer returned to port 547, and one at HOP_COUNT_LIMIT is dropped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import netns
import pytest

ROOT = Path(__file__).resolve().parent.parent
CLIENT_LINKLOCAL = "fe80::c"
RANGES = {"c1": ("2001:db8:1::100", "2001:db8:1::1ff"), "c2": ("2001:db8:2::100", "2001:db8:2::1ff")}
SERVER = "2001:db8:f::2"


def missing(*programs: str) -> str | None:
    """Why the topology cannot run here (None when it can)."""
    why = netns.netns_unavailable()
    if why:
        return why
    for program in programs:
        if shutil.which(program) is None and not os.path.exists(f"/usr/sbin/{program}"):
            return f"{program} is not installed (.ci/run installs it)"
    return None


def program(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def _sysctl(ns: str, setting: str) -> None:
    subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw", setting], check=True, capture_output=True)


def _capture(stop: str) -> list[bytes]:
    """In the server namespace: the DHCPv6 payloads of UDP datagrams to port 547, until ``stop`` exists."""
    raw = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_UDP)
    raw.settimeout(0.1)
    Path(stop + ".ready").touch()
    seen: list[bytes] = []
    deadline = time.monotonic() + 60
    while not os.path.exists(stop) and time.monotonic() < deadline:
        try:
            data = raw.recv(65535)
        except socket.timeout:
            continue
        if len(data) > 8 and int.from_bytes(data[2:4], "big") == 547:
            seen.append(data[8:])
    raw.close()
    return seen


#: what our examples print once they listen (see Topology.ready)
_READY_LINES = {"dhcpv6_server.py": "listening on", "dhcpv6_relay": "relaying on"}


def _wait_for_file(path: str, timeout: float = 30) -> None:
    """Wait until ``path`` exists (a forked helper's "I am listening" flag)."""
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.02)


class Topology:
    """Four namespaces: ``c1``, ``c2`` (clients), ``r`` (relay), ``s`` (server); see the module doc."""

    def __init__(self) -> None:
        tag = f"{os.getpid() % 100000}x{int(time.monotonic() * 1000) % 100000}"
        self.ns = {n: f"d6{n}{tag}" for n in ("c1", "c2", "r", "s")}
        self.tmp = Path(tempfile.mkdtemp(prefix="sa6relay"))
        self.tag = tag
        self.procs: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Topology:
        try:
            self._build()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _link(self, a: str, a_if: str, b: str, b_if: str) -> None:
        tmp_a, tmp_b = f"t{a_if}{self.tag}"[:15], f"t{b_if}{self.tag}"[:15]
        _ip("link", "add", tmp_a, "type", "veth", "peer", "name", tmp_b)
        for ns, tmp, name in ((a, tmp_a, a_if), (b, tmp_b, b_if)):
            _ip("link", "set", tmp, "netns", self.ns[ns])
            _ip("-n", self.ns[ns], "link", "set", tmp, "name", name)
            _ip("-n", self.ns[ns], "link", "set", "dev", name, "addrgenmode", "none")
            _sysctl(self.ns[ns], f"net.ipv6.conf.{name}.accept_dad=0")

    def _addr(self, ns: str, ifname: str, *addresses: str) -> None:
        for address in addresses:
            _ip("-n", self.ns[ns], "addr", "add", address, "dev", ifname, "nodad")
        _ip("-n", self.ns[ns], "link", "set", "dev", ifname, "up")

    def _build(self) -> None:
        for ns in self.ns.values():
            _ip("netns", "add", ns)
            _ip("-n", ns, "link", "set", "lo", "up")
        self._link("c1", "eth0", "r", "down1")
        self._link("c2", "eth0", "r", "down2")
        self._link("r", "wan", "s", "eth0")
        _ip("-n", self.ns["c1"], "link", "set", "eth0", "address", "02:00:00:00:01:0c")
        _ip("-n", self.ns["c2"], "link", "set", "eth0", "address", "02:00:00:00:02:0c")
        self._addr("c1", "eth0", f"{CLIENT_LINKLOCAL}/64")
        self._addr("c2", "eth0", f"{CLIENT_LINKLOCAL}/64")
        self._addr("r", "down1", "fe80::1/64", "2001:db8:1::1/64")
        self._addr("r", "down2", "fe80::1/64", "2001:db8:2::1/64")
        self._addr("r", "wan", "fe80::f1/64", "2001:db8:f::1/64")
        self._addr("s", "eth0", "fe80::f2/64", f"{SERVER}/64")
        for prefix in ("2001:db8:1::/64", "2001:db8:2::/64"):
            _ip("-n", self.ns["s"], "route", "add", prefix, "via", "2001:db8:f::1")

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for ns in self.ns.values():
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, ns: str, argv: list[str], log: str) -> subprocess.Popen[bytes]:
        """Start ``argv`` in namespace ``ns``, its output in ``log`` (under the topology's directory)."""
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        out = open(self.tmp / log, "wb")
        proc = subprocess.Popen(["ip", "netns", "exec", self.ns[ns], *argv], stdout=out,
                                stderr=subprocess.STDOUT, env=env, cwd=self.tmp)
        self.procs.append(proc)
        return proc

    def log(self, name: str) -> str:
        path = self.tmp / name
        return path.read_text(errors="replace") if path.exists() else ""

    def ready(self, argv: list[str], log: str, fallback: float = 0.3) -> None:
        """Wait until a program started by :meth:`start` says it is up (our examples print a line).

        A loaded 2-core CI machine can take seconds to start a Python process: a fixed sleep
        loses the first datagrams there.  Programs that print no such line get ``fallback``.
        """
        marker = next((line for script, line in _READY_LINES.items() if any(script in a for a in argv)), None)
        if marker is None:
            time.sleep(fallback)
            return
        deadline = time.monotonic() + 30
        while marker not in self.log(log):
            if time.monotonic() > deadline:
                raise AssertionError(f"{argv[0]} never said {marker!r}:\n{self.log(log)}")
            time.sleep(0.05)

    # -- the peers ---------------------------------------------------------

    def dnsmasq(self) -> list[str]:
        """dnsmasq as the DHCPv6 server, one range per client link, nothing else (no DNS, no RA)."""
        argv = [program("dnsmasq"), "--no-daemon", "--conf-file=/dev/null", "--port=0", "--user=root",
                "--group=root", "--interface=eth0", "--log-dhcp", "--log-facility=-",
                f"--dhcp-leasefile={self.tmp / 'dnsmasq.leases'}", f"--pid-file={self.tmp / 'dnsmasq.pid'}",
                "--dhcp-range=2001:db8:f::100,2001:db8:f::1ff,64,1h"]
        for low, high in RANGES.values():
            argv.append(f"--dhcp-range={low},{high},64,1h")
        return argv

    def our_server(self, lifetime: int = 3600) -> list[str]:
        """examples/dhcpv6_server.py serving both client links' pools."""
        return [sys.executable, str(ROOT / "examples" / "dhcpv6_server.py"), "-i", "eth0",
                *(f"--pool={low}-{high}" for low, high in RANGES.values()), "--dns", SERVER,
                "--lifetime", str(lifetime), "--timeout", "30"]

    def our_relay(self, *extra: str, patch: str = "") -> list[str]:
        """examples/dhcpv6_relay.py on down1 and down2; ``patch`` is Python run before its main()."""
        args = ["-i", "down1", "-i", "down2", *extra, "--timeout", "30"]
        code = "\n".join(["import sys", f"sys.path.insert(0, {str(ROOT / 'examples')!r})",
                          "import dhcpv6_relay as relay", patch, f"sys.exit(relay.main({args!r}))"])
        return [sys.executable, "-c", code]

    def wide_relay(self) -> list[str]:
        """WIDE-DHCPv6's dhcp6relay on down1 and down2, to the server's unicast address out of ``wan``."""
        return [program("dhcp6relay"), "-f", "-d", "-r", "wan", "-s", SERVER, "-p",
                str(self.tmp / "dhcp6relay.pid"), "down1", "down2"]

    def _dhclient(self, ns: str, *extra: str) -> list[str]:
        script = self.tmp / f"{ns}.script"  # records what happened; configures nothing
        events = self.tmp / f"{ns}.events"
        script.write_text(f'#!/bin/sh\necho "$reason,$new_ip6_address,$new_dhcp6_name_servers" >> {events}\n')
        script.chmod(0o755)
        conf = self.tmp / "dhclient.conf"
        conf.write_text("timeout 20;\n")
        return [program("dhclient"), "-6", "-d", "-v",
                "-sf", str(script), "-lf", str(self.tmp / f"{ns}.leases"), "-pf", str(self.tmp / f"{ns}.pid"),
                "-cf", str(conf), *extra, "eth0"]

    def exchange(self, server: list[str], relay: list[str], wait: float = 15.0,
                 reasons: tuple[str, ...] = ("BOUND6",), client: tuple[str, ...] = ()
                 ) -> tuple[dict[str, str], list[bytes]]:
        """Run server, relay and both clients; return ({client: leased address}, Relay-forwards seen).

        A client is in the dict once its script has run for every one of
        ``reasons`` (dhclient's ``$reason``: BOUND6, RENEW6, ...; the address is
        the last one given); ``client`` adds dhclient arguments.  Waits at
        most ``wait`` seconds.
        """
        stop = str(self.tmp / "capture.stop")
        capture = netns._fork(lambda: _enter_named(self.ns["s"]), _capture, (stop,), "capture in s")
        self.start("s", server, "server.log")
        _wait_for_file(stop + ".ready")
        self.ready(server, "server.log")  # the server binds and joins its groups
        self.start("r", relay, "relay.log")
        self.ready(relay, "relay.log")
        for ns in ("c1", "c2"):
            self.start(ns, self._dhclient(ns, *client), f"{ns}.dhclient.log")
        leased: dict[str, str] = {}
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and len(leased) < 2:
            for ns in ("c1", "c2"):
                events = [line.split(",") for line in self.log(f"{ns}.events").splitlines()]
                if set(reasons) <= {event[0] for event in events}:
                    leased[ns] = events[-1][1]
            time.sleep(0.1)
        Path(stop).touch()
        seen = capture.result(10)
        relayed = [d for d in seen if d[:1] == b"\x0c"]
        return leased, relayed


def _enter_named(name: str) -> None:
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        netns._enter(fd)
    finally:
        os.close(fd)


def in_range(address: str, client: str) -> bool:
    """Whether ``address`` lies in the pool of ``client``'s link."""
    from ipaddress import IPv6Address

    low, high = RANGES[client]
    return IPv6Address(low) <= IPv6Address(address) <= IPv6Address(high)


def describe(relayed: list[bytes]) -> list[dict[str, Any]]:
    """The Relay-forward fields a comparison looks at, one dict per datagram."""
    from sockapi6 import dhcp6

    out = []
    for raw in relayed:
        fwd = dhcp6.parse(raw)
        assert isinstance(fwd, dhcp6.RelayForward)
        inner = fwd.relay_message
        out.append({"hop_count": fwd.hop_count, "link_address": str(fwd.link_address),
                    "peer_address": str(fwd.peer_address), "options": sorted(o.code for o in fwd.options),
                    "inner": type(inner).__name__, "inner_octets": bytes(inner) if inner else b"",
                    "interface_id": fwd.interface_id})
    return out


# ---------------------------------------------------------------------------
# the tests
# ---------------------------------------------------------------------------

pytestmark = pytest.mark.skipif(bool(missing("dnsmasq", "dhclient")),
                                reason=str(missing("dnsmasq", "dhclient")))

#: what the broken relay changes: replies leave without an interface (no IPV6_PKTINFO, no scope)
NO_INTERFACE = "relay.Relay.reply_pktinfo = lambda self, ifindex: []"


def both_leased_from_own_link(leased: dict[str, str]) -> bool:
    return set(leased) == {"c1", "c2"} and all(in_range(leased[c], c) for c in leased)


def fields(relayed: list[bytes]) -> set[tuple[Any, ...]]:
    """The Relay-forward fields two relays must agree on (the Interface-Id's content aside)."""
    return {(d["hop_count"], d["link_address"], d["peer_address"], tuple(d["options"]), d["inner"],
             d["interface_id"] is not None) for d in describe(relayed)}


EXPECTED_FIELDS = {(0, f"2001:db8:{n}::1", CLIENT_LINKLOCAL, (9, 18), kind, True)
                   for n in (1, 2) for kind in ("Solicit", "Request")}


@pytest.mark.parametrize("servers", [["-s", SERVER], ["-u", "wan"]], ids=["unicast", "ff05::1:3"])
def test_our_relay_leases_each_client_from_its_own_link(servers: list[str]) -> None:
    with Topology() as topo:
        leased, relayed = topo.exchange(topo.dnsmasq(), topo.our_relay(*servers))
        assert both_leased_from_own_link(leased), (leased, topo.log("relay.log"), topo.log("server.log"))
        assert fields(relayed) == EXPECTED_FIELDS
        ids = {d["interface_id"] for d in describe(relayed)}
        assert ids == {b"down1", b"down2"}
        # the inner messages arrive unchanged: each is a client's Solicit or Request, as parsed by scapy too
        scapy_dhcp6 = pytest.importorskip("scapy.layers.dhcp6")
        for raw, d in zip(relayed, describe(relayed)):
            theirs = scapy_dhcp6.DHCP6_RelayForward(raw)
            assert bytes(theirs[scapy_dhcp6.DHCP6OptRelayMsg].message) == d["inner_octets"]


@pytest.mark.skipif(bool(missing("dhcp6relay")), reason=str(missing("dhcp6relay")))
def test_wide_dhcp6relay_passes_the_same_harness_with_the_same_fields() -> None:
    with Topology() as topo:
        leased, wide = topo.exchange(topo.dnsmasq(), topo.wide_relay())
        assert both_leased_from_own_link(leased), (leased, topo.log("relay.log"))
    with Topology() as topo:
        leased, ours = topo.exchange(topo.dnsmasq(), topo.our_relay("-s", SERVER))
        assert both_leased_from_own_link(leased)
    assert fields(wide) == fields(ours) == EXPECTED_FIELDS
    print("Relay-forward fields, dhcp6relay and ours:", sorted(fields(wide)))


def test_a_relay_that_replies_without_an_interface_fails() -> None:
    with Topology() as topo:
        leased, relayed = topo.exchange(topo.dnsmasq(), topo.our_relay("-s", SERVER, patch=NO_INTERFACE),
                                        wait=6)
        assert relayed, "the client messages were relayed"
        assert not both_leased_from_own_link(leased), leased


def test_our_server_leases_and_renews_through_our_relay() -> None:
    with Topology() as topo:  # lifetime 4 s: T1 2 s, so each client renews within the test
        leased, relayed = topo.exchange(topo.our_server(lifetime=4), topo.our_relay("-u", "wan"),
                                        reasons=("BOUND6", "RENEW6"))
        log = topo.log("server.log")
        assert both_leased_from_own_link(leased), (leased, log, topo.log("relay.log"))
        assert fields(relayed) >= EXPECTED_FIELDS
        assert log.count("Renew from") >= 2, log
        for address in leased.values():
            assert "Reply to [2001:db8:f::1]:547" in log and f"leasing {address}" in log, log
        # the lowest free address of each pool, as the server's log says
        assert sorted(leased.values()) == ["2001:db8:1::100", "2001:db8:2::100"]


def test_our_server_answers_information_requests_through_our_relay() -> None:
    with Topology() as topo:  # dhclient -S: stateless, an Information-request (RFC 8415 18.2.6)
        informed, relayed = topo.exchange(topo.our_server(), topo.our_relay("-s", SERVER),
                                          reasons=("RENEW6",), client=("-S",))
        log = topo.log("server.log")
        assert set(informed) == {"c1", "c2"}, (informed, log, topo.log("c1.dhclient.log"))
        assert {d["inner"] for d in describe(relayed)} == {"InformationRequest"}
        assert log.count("InformationRequest from [2001:db8:f::1]:547") >= 2, log
        for client in ("c1", "c2"):  # dhclient-script's new_dhcp6_name_servers: our --dns
            assert topo.log(f"{client}.events").strip().endswith(f",{SERVER}"), topo.log(f"{client}.events")


def _downstream_relay(hops: int) -> list[bytes]:
    """In c1: act as a relay below ours -- a Relay-forward from [fe80::c]:547 to ff02::1:2; the answers."""
    from sockapi6 import dhcp6

    ifindex = socket.if_nametoindex("eth0")
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((CLIENT_LINKLOCAL, 547, 0, ifindex))
    solicit = dhcp6.Solicit(0xABCDEF, [dhcp6.ClientIdentifier(dhcp6.DUIDLL(1, bytes.fromhex("020000000099"))),
                                       dhcp6.ElapsedTime(0), dhcp6.IANA(7)])
    forward = dhcp6.RelayForward(hops, "::", "fe80::99", [dhcp6.InterfaceID(b"below"),
                                                          dhcp6.RelayMessageOption(solicit)])
    sock.sendto(bytes(forward), ("ff02::1:2", 547, 0, ifindex))
    got = []
    sock.settimeout(3)
    try:
        got.append(sock.recv(65535))
    except socket.timeout:
        pass
    sock.close()
    return got


def test_relay_forward_from_a_downstream_relay_and_the_hop_count_limit() -> None:
    from sockapi6 import dhcp6

    with Topology() as topo:
        stop = str(topo.tmp / "capture.stop")
        capture = netns._fork(lambda: _enter_named(topo.ns["s"]), _capture, (stop,), "capture in s")
        _wait_for_file(stop + ".ready")
        topo.start("s", topo.our_server(), "server.log")
        topo.ready(topo.our_server(), "server.log")
        topo.start("r", topo.our_relay("-s", SERVER), "relay.log")
        topo.ready(topo.our_relay("-s", SERVER), "relay.log")
        def enter() -> None:
            _enter_named(topo.ns["c1"])

        answers = netns._fork(enter, _downstream_relay, (2,), "relay below").result(15)
        limit = dhcp6.HOP_COUNT_LIMIT
        refused = netns._fork(enter, _downstream_relay, (limit,), "relay at the limit").result(15)
        Path(stop).touch()
        relayed = [dhcp6.parse(d) for d in capture.result(10) if d[:1] == b"\x0c"]
        log = topo.log("relay.log")
    assert len(relayed) == 1, log  # the one at hop-count 8 was dropped (RFC 8415 19.1.2)
    outer = relayed[0]
    assert isinstance(outer, dhcp6.RelayForward) and outer.hop_count == 3
    assert str(outer.link_address) == "2001:db8:1::1" and str(outer.peer_address) == CLIENT_LINKLOCAL
    inner = outer.relay_message
    assert isinstance(inner, dhcp6.RelayForward) and inner.hop_count == 2 and inner.interface_id == b"below"
    assert "dropped a Relay-forward at hop-count 8" in log
    # the answer comes back to the lower relay as a Relay-reply, port 547, its Interface-Id echoed
    assert len(answers) == 1 and refused == []
    reply = dhcp6.parse(answers[0])
    assert isinstance(reply, dhcp6.RelayReply) and reply.interface_id == b"below"
    advertise = reply.relay_message
    assert isinstance(advertise, dhcp6.Advertise) and advertise.transaction_id == 0xABCDEF
    assert str(advertise.option(dhcp6.IANA).options[0].address) == "2001:db8:1::100"  # type: ignore[union-attr]
