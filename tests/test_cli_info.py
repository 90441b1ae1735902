"""``python -m sockapi6 info`` on the real system."""

from __future__ import annotations

import json
import subprocess
import sys


def _info(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sockapi6", "info", *args],
                          capture_output=True, text=True, timeout=60)


def test_info_text_names_the_backend_and_options() -> None:
    result = _info()
    assert result.returncode == 0, result.stderr
    assert "backend" in result.stdout
    assert "IPV6_RECVPKTINFO" in result.stdout
    assert "accepted" in result.stdout


def test_info_json_matches_the_running_kernel() -> None:
    result = _info("--json")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["libc_functions"]["getsockopt"] is True
    assert facts["kernel_options"]["IPV6_RECVPKTINFO"] == "accepted"
    if sys.platform.startswith("linux"):
        # design.md kernel fact: Linux refuses IPV6_NEXTHOP
        assert facts["kernel_options"]["IPV6_NEXTHOP"].startswith("refused")


def test_unknown_command_fails() -> None:
    result = subprocess.run([sys.executable, "-m", "sockapi6", "frobnicate"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "unknown command" in result.stderr
