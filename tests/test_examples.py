"""The examples under examples/ run and do what they say (root tests run in a namespace of their own)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from netns import netns_unavailable, run_in_netns

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


def _mh_monitor_one_packet() -> tuple[str, str, int]:
    env = {**os.environ, "PYTHONPATH": ROOT}
    script = os.path.join(EXAMPLES, "mh_monitor.py")
    monitor = subprocess.Popen(
        [sys.executable, script, "--count", "1", "--timeout", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    time.sleep(1.0)  # let the monitor open its socket
    sender = subprocess.run(
        [sys.executable, script, "--send", "hoti", "--to", "::1", "--count", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
    )
    out, err = monitor.communicate(timeout=20)
    return sender.stdout, out + err, monitor.returncode


@pytest.mark.root
@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
def test_mh_monitor_sees_one_packet() -> None:
    sent, seen, code = run_in_netns(_mh_monitor_one_packet, timeout=60)
    assert code == 0, seen
    assert sent.startswith("sent to ::1: HomeTestInit(cookie=")
    assert seen.startswith("::1: HomeTestInit (16 octets) HomeTestInit(cookie=")
    cookie = sent.split("cookie=")[1].split(")")[0]
    assert f"cookie={cookie}" in seen and "checksum=" in seen
