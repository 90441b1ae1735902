"""examples/traceroute6.py against ``traceroute -6 -n`` and ``tracepath -6 -n`` across router namespaces.

::

    h -- r1 ==(MTU 1400)== r2 -- r3 -- t
    2001:db8:1::/64  2001:db8:2::/64  2001:db8:3::/64  2001:db8:4::/64

r2 also holds an ``unreachable`` route (2001:db8:99::/64, ICMPv6 code 0,
``!N``) and a ``prohibit`` route (2001:db8:98::/64, code 1, ``!X``).  ICMP
rate limits are off in every namespace (``net.ipv6.icmp.ratelimit=0``, and
``net.ipv4.icmp_msgs_per_sec``/``icmp_msgs_burst``, which also govern
ICMPv6), or back-to-back runs print ``*``.  The traces must agree hop for
hop, annotations included, and the path MTU with tracepath's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from netns import netns_unavailable

ROOT = Path(__file__).resolve().parent.parent
TARGET = "2001:db8:4::2"
HOPS = ["2001:db8:1::1", "2001:db8:2::2", "2001:db8:3::2", TARGET]


def _missing() -> str | None:
    why = netns_unavailable()
    if why:
        return why
    for program in ("traceroute", "tracepath"):
        if shutil.which(program) is None:
            return f"{program} is not installed (.ci/run installs it)"
    return None


pytestmark = pytest.mark.skipif(bool(_missing()), reason=str(_missing()))

#: namespace -> [(interface, its addresses, peer namespace, peer interface)] and routes
LINKS = [("h", "eth0", "r1", "a", "1", 1500), ("r1", "b", "r2", "a", "2", 1400),
         ("r2", "b", "r3", "a", "3", 1500), ("r3", "b", "t", "eth0", "4", 1500)]
ROUTES = {
    "h": [["default", "via", "2001:db8:1::1"]],
    "r1": [["default", "via", "2001:db8:2::2"]],
    "r2": [["2001:db8:1::/64", "via", "2001:db8:2::1"], ["default", "via", "2001:db8:3::2"],
           ["unreachable", "2001:db8:99::/64"], ["prohibit", "2001:db8:98::/64"]],
    "r3": [["default", "via", "2001:db8:3::1"]],
    "t": [["default", "via", "2001:db8:4::1"]],
}
RATE_LIMITS_OFF = ["net.ipv6.icmp.ratelimit=0", "net.ipv4.icmp_msgs_per_sec=100000",
                   "net.ipv4.icmp_msgs_burst=100000"]


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


class Path5:
    """Five namespaces in a line: h, r1, r2, r3, t (see the module doc)."""

    def __init__(self) -> None:
        self.tag = f"{os.getpid() % 100000}x{int(time.monotonic() * 1000) % 100000}"
        self.ns = {n: f"tr{n}{self.tag}" for n in ("h", "r1", "r2", "r3", "t")}

    def __enter__(self) -> Path5:
        try:
            for name, ns in self.ns.items():
                _ip("netns", "add", ns)
                _ip("-n", ns, "link", "set", "lo", "up")
                sysctls = [*RATE_LIMITS_OFF, "net.ipv6.conf.all.accept_dad=0",
                           "net.ipv6.conf.default.accept_dad=0"]
                if name.startswith("r"):
                    sysctls.append("net.ipv6.conf.all.forwarding=1")
                subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw", *sysctls], check=True,
                               capture_output=True)
            for left, lif, right, rif, net, mtu in LINKS:
                ta, tb = f"t{lif}{self.tag}"[:15], f"u{rif}{self.tag}"[:15]
                _ip("link", "add", ta, "mtu", str(mtu), "type", "veth", "peer", "name", tb, "mtu", str(mtu))
                for ns, tmp, name, host in ((left, ta, lif, 1), (right, tb, rif, 2)):
                    if ns == "h":
                        host = 2
                    if ns == "r1" and name == "a":
                        host = 1
                    _ip("link", "set", tmp, "netns", self.ns[ns])
                    _ip("-n", self.ns[ns], "link", "set", "dev", tmp, "name", name)
                    _ip("-n", self.ns[ns], "addr", "add", f"2001:db8:{net}::{host}/64", "dev", name, "nodad")
                    _ip("-n", self.ns[ns], "link", "set", "dev", name, "up")
            for ns, routes in ROUTES.items():
                for route in routes:
                    _ip("-n", self.ns[ns], "-6", "route", "add", *route)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for ns in self.ns.values():
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def run(self, *argv: str, timeout: float = 60) -> str:
        """Run a program in namespace h; its standard output."""
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        out = subprocess.run(["ip", "netns", "exec", self.ns["h"], *argv], capture_output=True, text=True,
                             timeout=timeout, env=env)
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout


@pytest.fixture(scope="module")
def path() -> Path5:
    with Path5() as p:
        # neighbours resolved once, so that no probe of the first run waits for ND
        p.run("ping", "-6", "-c", "1", "-W", "2", TARGET) if shutil.which("ping") else None
        yield p  # type: ignore[misc]


def hops(output: str) -> list[tuple[int, list[str], list[str]]]:
    """(hop, addresses, annotations) of each hop line of traceroute -n style output."""
    out = []
    for line in output.splitlines():
        match = re.match(r"^\s*(\d+)\s+(.*)$", line)
        if not match:
            continue
        words = match.group(2).split()
        addresses = [w for w in words if ":" in w]
        notes = [w for w in words if w.startswith("!")]
        out.append((int(match.group(1)), addresses, notes))
    return out


def ours(path: Path5, *args: str) -> str:
    return path.run(sys.executable, str(ROOT / "examples" / "traceroute6.py"), *args)


def theirs(path: Path5, *args: str) -> str:
    return path.run("traceroute", "-6", "-n", *args)


def test_matches_traceroute_hop_for_hop(path: Path5) -> None:
    mine = hops(ours(path, "-n", "-q", "3", "-w", "2", TARGET))
    reference = hops(theirs(path, "-q", "3", "-w", "2", TARGET))
    assert [(h, sorted(set(a))) for h, a, _ in mine] == [(h, sorted(set(a))) for h, a, _ in reference]
    assert [sorted(set(a)) for _, a, _ in mine] == [[h] for h in HOPS]


@pytest.mark.parametrize(("target", "note"), [("2001:db8:99::1", "!N"), ("2001:db8:98::1", "!X")])
def test_annotations_match_traceroute(path: Path5, target: str, note: str) -> None:
    mine = hops(ours(path, "-n", "-q", "2", "-w", "2", "-m", "5", target))
    reference = hops(theirs(path, "-q", "2", "-w", "2", "-m", "5", target))
    assert mine == reference
    assert mine[-1] == (2, ["2001:db8:2::2"], [note, note])


def test_address_unreachable_matches_traceroute(path: Path5) -> None:
    """No neighbour answers for 2001:db8:4::99: r3 reports address unreachable (code 3) after ND gives up."""
    target = "2001:db8:4::99"
    mine = hops(ours(path, "-n", "-q", "1", "-w", "6", "-m", "5", target))
    reference = hops(theirs(path, "-q", "1", "-w", "6", "-m", "5", target))
    assert mine == reference
    assert mine[-1] == (4, ["2001:db8:3::2"], ["!H"])


def test_max_hops_and_probe_count(path: Path5) -> None:
    mine = hops(ours(path, "-n", "-q", "1", "-m", "2", "-w", "2", TARGET))
    assert mine == [(1, [HOPS[0]], []), (2, [HOPS[1]], [])]


def test_path_mtu_matches_tracepath(path: Path5) -> None:
    path.run("ip", "-6", "route", "flush", "cache")  # forget a path MTU an earlier run learnt
    mine = ours(path, "-n", "-q", "1", "-w", "2", "--pmtu", TARGET)
    reference = path.run("tracepath", "-6", "-n", TARGET)
    resume = re.search(r"Resume: pmtu (\d+)", reference)
    assert resume is not None, reference
    assert resume.group(1) == "1400"
    assert re.search(r"Resume: pmtu (\d+) hops 4", mine) is not None, mine
    assert re.search(r"Resume: pmtu (\d+)", mine).group(1) == resume.group(1)  # type: ignore[union-attr]
    lines = {h: line for line in mine.splitlines() if (m := re.match(r"^\s*(\d+)\s", line))
             for h in [int(m.group(1))]}
    assert lines[1].endswith("pmtu 1500") and lines[2].endswith("pmtu 1400"), mine
    assert [a for _, a, _ in hops(mine)] == [[h] for h in HOPS]
