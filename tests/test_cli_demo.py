"""``python -m sockapi6 demo | watch | send``, run as subprocesses on the real kernel."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from netns import netns_unavailable, run_in_netns

ROOT = str(Path(__file__).resolve().parents[1])
ENV = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _cli(*args: str, prefix: tuple[str, ...] = (), timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "sockapi6", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, env=ENV)


def _row(output: str, datagram: int, label: str) -> str:
    block = output.split(f"datagram {datagram}:", 1)[1].split("\ndatagram ", 1)[0]
    for line in block.splitlines()[1:]:  # [0] is the title
        if line.strip().startswith(label):
            return line
    raise AssertionError(f"no {label!r} row in datagram {datagram}:\n{block}")


def test_demo_shows_sent_and_delivered_side_by_side() -> None:
    result = _cli("demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "IPV6_RECVPKTINFO" in out and "delivered by the kernel" in out
    lo = str(__import__("socket").if_nametoindex("lo"))
    # datagram 1: nothing sent; the kernel still reports destination, interface and defaults
    assert re.search(rf"packet info\s+-\s+::1 on interface {lo} \(lo\)", _row(out, 1, "packet info"))
    assert _row(out, 1, "hop limit").split()[-1] == "64"
    # datagram 2: what was sent is what was delivered
    assert re.search(r"hop limit\s+7\s+7$", _row(out, 2, "hop limit"))
    assert _row(out, 2, "traffic class").count("0xb8") == 2
    # datagram 3: zero is a value
    assert re.search(r"hop limit\s+0\s+0$", _row(out, 3, "hop limit"))
    if os.geteuid() == 0:
        assert _row(out, 4, "destination options").count("option 0x1e 'sockapi6'") == 2
        assert _row(out, 5, "hop-by-hop options").count("option 0x1e 'hop'") == 2
        assert "no privileges were missing" in out


def _unprivileged_prefix() -> tuple[str, ...]:
    """A command prefix that runs without CAP_NET_RAW: user nobody if it can run this Python,
    else root with CAP_NET_RAW dropped from the bounding set."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run the demo unprivileged")
    nobody = ("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups")
    probe = subprocess.run([*nobody, sys.executable, "-c", f"import sys; sys.path.insert(0, {ROOT!r}); "
                            "import sockapi6"], capture_output=True, timeout=30, cwd="/")
    if probe.returncode == 0:
        return nobody
    return ("setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw")


def test_demo_as_an_ordinary_user_names_what_needed_privileges() -> None:
    result = _cli("demo", prefix=_unprivileged_prefix())
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert re.search(r"hop limit\s+7\s+7$", _row(out, 2, "hop limit"))  # no privilege needed for these
    assert "refused IPV6_DSTOPTS with EPERM" in out
    assert "refused IPV6_HOPOPTS with EPERM" in out
    assert "needed privileges: IPV6_DSTOPTS; IPV6_HOPOPTS" in out


def _watch(*args: str) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen([sys.executable, "-m", "sockapi6", "watch", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=ENV)
    assert proc.stderr is not None
    first = proc.stderr.readline()
    match = re.search(r"listening on udp \[[^\]]*\]:(\d+)", first)
    assert match, first + proc.stderr.read()
    return proc, int(match.group(1))


def test_watch_and_send_one_line_per_datagram() -> None:
    proc, port = _watch("--udp", "0", "--bind", "::1", "--count", "2", "--timeout", "30")
    first = _cli("send", "::1", "--port", str(port), "--data", "hi", "--hoplimit", "5", "--tclass", "0xb8",
                 "--pktinfo-if", "lo")
    assert first.returncode == 0, first.stderr
    assert "IPV6_HOPLIMIT=HopLimit(5)" in first.stdout and "IPV6_PKTINFO=" in first.stdout
    second = _cli("send", "::1", "--port", str(port), "--hex", "0001", "--hoplimit", "0", "--tclass", "0")
    assert second.returncode == 0, second.stderr
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert re.search(r"to ::1 if \d+\s+len 2\s+hlim 5\s+tclass 0xb8", lines[0]), lines[0]
    assert "hlim 0  tclass 0x00" in lines[1]


def test_watch_json_lines_with_a_destination_option() -> None:
    proc, port = _watch("--udp", "0", "--bind", "::1", "--count", "1", "--timeout", "30", "--json")
    args = ["send", "::1", "--port", str(port), "--data", "hello", "--tclass", "1"]
    if os.geteuid() == 0:
        args += ["--dstopt", "0x1e:cafe"]
    sent = _cli(*args)
    assert sent.returncode == 0, sent.stderr
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    record: dict[str, Any] = json.loads(out)
    assert record["to"] == "::1" and record["from"] == "::1"
    assert record["tclass"] == 1 and record["hoplimit"] == 64 and record["length"] == 5
    assert bytes.fromhex(record["data"]) == b"hello"
    if os.geteuid() == 0:
        assert record["dstopts"] == [[[0x1E, "cafe"]]]


def test_watch_timeout_without_enough_datagrams_fails() -> None:
    result = _cli("watch", "--udp", "0", "--bind", "::1", "--count", "1", "--timeout", "0.3")
    assert result.returncode == 1
    assert "timed out after 0 of 1" in result.stderr


def test_send_rejects_bad_items() -> None:
    bad = _cli("send", "::1", "--port", "9", "--hoplimit", "300")
    assert bad.returncode == 2 and "out of range" in bad.stderr
    bad = _cli("send", "::1", "--dstopt", "nonsense")
    assert bad.returncode == 2 and "TYPE:HEX" in bad.stderr


def _raw_watch_and_send() -> tuple[int, str, str]:
    # inside a network namespace of its own: the raw socket sees only this test's packet
    proc = subprocess.Popen([sys.executable, "-m", "sockapi6", "watch", "--raw", "253", "--count", "1",
                             "--timeout", "20", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env=ENV)
    assert proc.stderr is not None
    ready = proc.stderr.readline()
    sent = subprocess.run([sys.executable, "-m", "sockapi6", "send", "::1", "--raw", "253", "--hex", "c0ffee",
                           "--hoplimit", "9"], capture_output=True, text=True, timeout=30, cwd=ROOT, env=ENV)
    out, err = proc.communicate(timeout=30)
    return proc.returncode, ready + sent.stdout + sent.stderr + err, out


@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
def test_watch_raw_protocol_in_a_namespace() -> None:
    rc, log, out = run_in_netns(_raw_watch_and_send, timeout=60)
    assert rc == 0, log
    assert "raw protocol 253" in log
    record = json.loads(out)
    assert record["data"] == "c0ffee" and record["hoplimit"] == 9 and record["to"] == "::1"
