"""examples/ping6.py, ra_daemon.py and dhcpv6_server.py run for real between two network namespaces.

Each script runs as a separate process (``ip netns exec NS python examples/X.py``) with this interpreter and
the very ``sockapi6`` the tests import (the installed wheel under tox, the source tree otherwise); the
other end is test code in the peer namespace, with its own raw or UDP socket.
"""

from __future__ import annotations

import os
import select
import socket
import struct
import subprocess
import sys
import time
from ipaddress import IPv6Address
from typing import TYPE_CHECKING

import pytest
from netns import VethPair, netns_unavailable

import sockapi6
from sockapi6 import HopLimit, ICMP6Filter, SocketOptions, icmp6, recvmsg, sendmsg, to_ipv6

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable())),
]

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
#: the directory holding the sockapi6 under test, so that the scripts import that one
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(sockapi6.__file__)))


def _command(pair: VethPair, side: str, script: str, *args: str) -> list[str]:
    return ["ip", "netns", "exec", pair.ns[side], sys.executable, os.path.join(EXAMPLES, script), *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": PACKAGE_ROOT}


def _run(pair: VethPair, side: str, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(pair, side, script, *args), capture_output=True, text=True, env=_env(),
                          timeout=60)


@pytest.fixture
def pair() -> Iterator[VethPair]:
    with VethPair() as p:
        yield p


@pytest.mark.parametrize("examples", ["link-local", "global"])
def test_ping6_counts_replies_with_hop_limit_and_interface(pair: VethPair, examples: str) -> None:
    if examples == "link-local":
        target = pair.lladdr["b"]
        done = _run(pair, "a", "ping6.py", "-c", "3", "-i", "0.2", "-I", pair.ifname["a"], str(target))
    else:
        target = pair.addr["b"]
        done = _run(pair, "a", "ping6.py", "-c", "3", "-i", "0.2", "-t", "7", str(target))
    assert done.returncode == 0, done.stdout + done.stderr
    replies = [line for line in done.stdout.splitlines() if " bytes from " in line]
    assert len(replies) == 3, done.stdout
    for seq, line in enumerate(replies):
        assert line.startswith(f"64 bytes from {target}")
        assert f"icmp_seq={seq} hlim=64 if={pair.ifname['a']} time=" in line  # b's kernel replies with 64
    assert "3 packets transmitted, 3 received, 0% packet loss" in done.stdout
    assert "rtt min/avg/max/mdev = " in done.stdout


def test_ping6_reports_total_loss(pair: VethPair) -> None:
    done = _run(pair, "a", "ping6.py", "-c", "2", "-i", "0.2", "-W", "0.5", "2001:db8::99")  # on-link, absent
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 packets transmitted, 0 received, 100% packet loss" in done.stdout


def _router_advertisements(ifname: str, solicit: bool) -> list[tuple[bytes, int, str, str, float]]:
    """In namespace a: wait for an RA; with ``solicit``, send a bad (hop limit 64) and a good RS, repeat."""
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    opts = SocketOptions(sock)
    opts.icmp6_filter = ICMP6Filter.block_all().set_pass(sockapi6.ND_ROUTER_ADVERT)
    opts.recv_hoplimit = opts.recv_pktinfo = True
    got = []
    for round_ in range(2 if solicit else 1):
        if round_:
            all_routers = to_ipv6("ff02::2", ifname)
            sendmsg(sock, bytes(icmp6.RouterSolicitation()), all_routers, [HopLimit(64)])   # must be ignored
            sendmsg(sock, bytes(icmp6.RouterSolicitation()), all_routers, [HopLimit(255)])
        start = time.monotonic()
        if not select.select([sock], [], [], 20)[0]:
            raise TimeoutError(f"no Router Advertisement in round {round_}")
        msg = recvmsg(sock)
        assert msg.pktinfo is not None and msg.hoplimit is not None
        waited = time.monotonic() - start
        got.append((msg.data, msg.hoplimit, str(msg.peer), str(msg.pktinfo.address), waited))
    sock.close()
    return got


RA_ARGS = ("--prefix", "2001:db8:1::/64", "--mtu", "1400", "--rdnss", "2001:db8::53",
           "--rdnss", "2001:db8::54", "--dnssl", "example.com", "--lifetime", "900")
DNS = (IPv6Address("2001:db8::53"), IPv6Address("2001:db8::54"))


def _check_ra(pair: VethPair, data: bytes, hoplimit: int, peer: str, destination: str,
              daemon_out: str) -> None:
    ra = icmp6.parse(data)
    assert isinstance(ra, icmp6.RouterAdvertisement)
    assert hoplimit == 255 and ra.router_lifetime == 900
    # sent from a link-local address of b (RFC 4861 6.1.2): the one the daemon reports
    source = daemon_out.split(" from ", 1)[1].split()[0]
    assert IPv6Address(peer.split("%")[0]).is_link_local and peer.split("%")[0] == source.split("%")[0]
    assert destination.split("%")[0] == "ff02::1"
    by_type = {type(o): o for o in ra.options}
    assert by_type[icmp6.SourceLinkLayerAddress].address == pair.mac["b"]
    assert by_type[icmp6.MTU] == icmp6.MTU(1400)
    prefix = by_type[icmp6.PrefixInformation]
    assert (prefix.prefix, prefix.prefix_length) == (IPv6Address("2001:db8:1::"), 64)
    assert by_type[icmp6.RecursiveDNSServer].servers == DNS
    assert by_type[icmp6.DNSSearchList].domains == ("example.com",)


def test_ra_daemon_once_sends_the_advertisement_of_its_command_line(pair: VethPair) -> None:
    listener = pair.start("a", _router_advertisements, pair.ifname["a"], False)
    time.sleep(1.0)  # the listener's socket exists well before this
    done = _run(pair, "b", "ra_daemon.py", "-i", pair.ifname["b"], *RA_ARGS, "--once")
    assert done.returncode == 0, done.stdout + done.stderr
    [(data, hoplimit, peer, destination, _)] = listener.result(30)
    _check_ra(pair, data, hoplimit, peer, destination, done.stdout)
    assert done.stdout.startswith(f"sent RA to ff02::1%{pair.ifindex('b')} from fe80::")


def test_ra_daemon_answers_only_a_solicitation_with_hop_limit_255(pair: VethPair) -> None:
    listener = pair.start("a", _router_advertisements, pair.ifname["a"], True)
    time.sleep(1.0)  # the listener's socket exists before the daemon's first, unsolicited RA
    command = _command(pair, "b", "ra_daemon.py", "-i", pair.ifname["b"], *RA_ARGS, "--count", "2",
                       "--interval", "120")
    daemon = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=_env())
    try:
        got = listener.result(40)
        out, _ = daemon.communicate(timeout=20)
    finally:
        daemon.kill()
        daemon.wait()
    assert daemon.returncode == 0, out
    for data, hoplimit, peer, destination, _ in got:
        _check_ra(pair, data, hoplimit, peer, destination, out)
    assert got[1][4] < 10  # answered, not the 120 s unsolicited interval (3 s MIN_DELAY_BETWEEN_RAS at most)
    lines = out.splitlines()
    assert lines[1].startswith("ignored ICMPv6 from fe80::") and lines[1].endswith("(hop limit 64)"), out
    assert lines[2].startswith("RS from fe80::"), out
    assert len(lines) == 4 and lines[3].startswith("sent RA"), out


CLIENT_DUID = struct.pack("!HH", 3, 1) + bytes.fromhex("02000000000a")  # DUID-LL of side a
XID = 0xC0FFEE


def _dhcpv6_solicit(ifname: str) -> tuple[bytes, int, str, int]:
    """In namespace a: a Solicit from [fe80::a]:546 to ff02::1:2; return the answer, ifindex and sender."""
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    SocketOptions(sock).recv_pktinfo = True
    sock.bind(("fe80::a", 546, 0, socket.if_nametoindex(ifname)))
    solicit = (bytes([1]) + XID.to_bytes(3, "big") + struct.pack("!HH", 1, len(CLIENT_DUID)) + CLIENT_DUID
               + struct.pack("!HHH", 8, 2, 0))  # Client Identifier, Elapsed Time (RFC 8415 21.2, 21.9)
    sendmsg(sock, solicit, f"[ff02::1:2%{ifname}]:547")
    if not select.select([sock], [], [], 15)[0]:
        raise TimeoutError("no Advertise")
    msg = recvmsg(sock)
    sock.close()
    assert msg.pktinfo is not None
    return msg.data, msg.pktinfo.ifindex, str(msg.peer), msg.address[1]


def test_dhcpv6_server_advertises_on_the_arrival_interface(pair: VethPair) -> None:
    server = subprocess.Popen(_command(pair, "b", "dhcpv6_server.py", "-i", pair.ifname["b"], "--once",
                                       "--timeout", "30"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=_env())
    try:
        assert server.stdout is not None
        ready = server.stdout.readline()
        assert ready.startswith("listening on [::]:547"), ready + server.stdout.read()
        data, ifindex, peer, port = pair.run("a", _dhcpv6_solicit, pair.ifname["a"])
        out, _ = server.communicate(timeout=20)
    finally:
        server.kill()
        server.wait()
    assert server.returncode == 0, out
    assert ifindex == pair.ifindex("a") and IPv6Address(peer.split("%")[0]).is_link_local and port == 547
    assert data[0] == 2 and int.from_bytes(data[1:4], "big") == XID  # Advertise, same transaction
    options, offset = {}, 4
    while offset < len(data):
        code, length = struct.unpack_from("!HH", data, offset)
        options[code] = data[offset + 4:offset + 4 + length]
        offset += 4 + length
    assert offset == len(data)
    assert options[1] == CLIENT_DUID  # Client Identifier echoed
    assert options[2] == struct.pack("!HH", 3, 1) + bytes.fromhex("02000000000b")  # b's DUID-LL
    assert options[13][:2] == b"\0\2"  # NoAddrsAvail
    assert f"xid=0x{XID:06x} duid={CLIENT_DUID.hex()}" in out
    assert f"on {pair.ifname['b']}" in out and "Advertise to [fe80::a%" in out
