"""``python -m sockapi6 watch --errqueue``: queued ICMPv6 errors printed with offender, type and code.

The watch binds ``[::1]:PORT`` next to a sender on ``[::]:PORT`` (both
``SO_REUSEADDR``); the port unreachable error for the sender's datagram is
delivered to the more specific socket, the watch, whose error line names the
datagram's destination (not a sender).
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


def _watch_errors() -> tuple[int, list[dict[str, object]], str]:
    port, unused = 47001, 47002
    watch = subprocess.Popen([sys.executable, "-m", "sockapi6", "watch", "--udp", str(port), "--bind", "::1",
                              "--errqueue", "--json", "--count", "1", "--timeout", "10"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": ROOT})
    assert watch.stderr is not None
    ready = watch.stderr.readline()
    sender = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sender.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sender.bind(("::", port))
    time.sleep(0.1)
    sender.sendto(b"nobody listens", ("::1", unused))
    out, err = watch.communicate(timeout=20)
    sender.close()
    return watch.returncode, [json.loads(line) for line in out.splitlines()], ready + err


@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
def test_watch_errqueue_prints_the_icmpv6_error() -> None:
    code, records, err = run_in_netns(_watch_errors)
    assert code == 0, err
    assert err.startswith("listening on udp [::1]:47001")
    assert len(records) == 1
    rec = records[0]
    assert rec["error"] is True and rec["to"] == "::1" and rec["port"] == 47002  # the destination
    assert (rec["offender"], rec["type"], rec["code"]) == ("::1", 1, 4)  # port unreachable (RFC 4443 3.1)
    assert bytes.fromhex(str(rec["data"])) == b"nobody listens"
