"""``python -m sockapi6 watch --join GROUP%IF [--source S]``: multicast a relay or server would receive.

In a namespace with two veth pairs: the watch joins ff02::1:2 on ``p1b`` and
prints the datagram sent to the group out of ``p1a`` with its arrival
interface; with ``--source`` it receives only that source's datagrams
(RFC 3678 source-specific join).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest
from netns import netns_unavailable, run_in_netns

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _sh(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True)


def _watch_group(source: bool) -> tuple[int, list[dict[str, object]], str, int, str]:
    _sh("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0")
    _sh("ip", "link", "add", "p1a", "type", "veth", "peer", "name", "p1b")
    for name in ("p1a", "p1b"):
        _sh("ip", "link", "set", name, "up")
    _sh("ip", "addr", "add", "fe80::1a/64", "dev", "p1a", "nodad")
    _sh("ip", "addr", "add", "fe80::2a/64", "dev", "p1a", "nodad")
    time.sleep(0.2)
    argv = [sys.executable, "-m", "sockapi6", "watch", "--udp", "5547", "--join", "ff02::1:2%p1b", "--json",
            "--count", "1", "--timeout", "5"]
    if source:
        argv += ["--source", "fe80::2a"]
    watch = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": ROOT})
    assert watch.stderr is not None
    ready = watch.stderr.readline()
    time.sleep(0.2)
    out_index = socket.if_nametoindex("p1a")
    for sender_address, payload in (("fe80::1a", b"from 1a"), ("fe80::2a", b"from 2a")):
        sender = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        sender.bind((sender_address, 0, 0, out_index))
        sender.sendto(payload, ("ff02::1:2", 5547, 0, out_index))
        sender.close()
    out, err = watch.communicate(timeout=20)
    return (watch.returncode, [json.loads(line) for line in out.splitlines()], ready + err,
            socket.if_nametoindex("p1b"), "")


@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
@pytest.mark.parametrize("source", [False, True], ids=["any-source", "source-specific"])
def test_watch_join_sees_the_group(source: bool) -> None:
    code, records, err, p1b, _ = run_in_netns(_watch_group, source)
    assert code == 0, err
    assert len(records) == 1, records
    rec = records[0]
    assert str(rec["to"]).partition("%")[0] == "ff02::1:2" and rec["ifindex"] == p1b and rec["port"] != 0
    expected = b"from 2a" if source else b"from 1a"
    assert bytes.fromhex(str(rec["data"])) == expected
    assert str(rec["from"]).partition("%")[0] == ("fe80::2a" if source else "fe80::1a")


def test_watch_source_needs_join() -> None:
    out = subprocess.run([sys.executable, "-m", "sockapi6", "watch", "--udp", "0", "--source", "::1"],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ROOT})
    assert out.returncode == 2 and "--source needs --join" in out.stderr
