"""``python -m sockapi6 info``: what this system offers the IPv6 socket API.

Reports the OS and C library, the declarations in use, the backend the
RFC 3542 functions prefer, which libc functions were found, which IPv6 socket
options the running kernel accepts (probed on throwaway sockets: read the
option, then write back what was read), and whether raw sockets are allowed.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import platform
import socket
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

#: the options the report probes are the rows of sockapi6.sockopt.TABLE; these need
#: a socket other than UDP to be meaningful
_SOCKET_KIND = {"checksum": "raw", "raw_checksum": "raw", "icmp6_filter": "icmp6", "path_mtu": "connected",
                "hdrincl": "raw", "mtu": "connected", "router_alert": "ipproto_raw"}

#: what to write when the option cannot be read back: a value that changes nothing
#: (an empty sticky header clears it; an all-zero in6_pktinfo selects nothing)
_NEUTRAL = {
    "pktinfo": bytes(20), "nexthop": b"", "hopopts": b"", "dstopts": b"",
    "rthdrdstopts": b"", "rthdr": b"", "bind_to_device": b"",
}

def _socket(kind: str) -> socket.socket:
    proto = {"raw": 253, "icmp6": socket.IPPROTO_ICMPV6, "ipproto_raw": socket.IPPROTO_RAW}.get(kind, 0)
    stype = socket.SOCK_RAW if proto else socket.SOCK_DGRAM
    sock = socket.socket(socket.AF_INET6, stype, proto)
    if kind == "connected":  # IPV6_PATHMTU answers only on a connected socket (RFC 3542 section 11.4)
        sock.connect(("::1", 9))
    return sock


def _probe(name: str, level: int, number: int) -> str:
    kind = _SOCKET_KIND.get(name, "udp")
    try:
        sock = _socket(kind)
    except PermissionError:
        return "unknown (needs a raw socket: no permission)"
    with sock:
        try:
            value = sock.getsockopt(level, number, 1024)
        except OSError:
            value = None
        candidate = value if value else _NEUTRAL.get(name, (0).to_bytes(4, sys.byteorder))
        try:
            sock.setsockopt(level, number, candidate)
        except OSError as exc:
            code = errno.errorcode.get(exc.errno or 0, str(exc.errno))
            if value is not None:
                return f"read only here (write: {code})"
            return f"refused by the kernel ({code})"
        return "accepted" if value is not None else "accepted (write only)"


_USUAL_LEVELS = ("IPPROTO_IPV6", "IPPROTO_ICMPV6", "SOL_SOCKET")


def _kernel_options() -> dict[str, str]:
    """C option name -> what the kernel answered, for every option sockapi6 knows (absent ones included)."""
    from ..sockopt import ALL_NAMES, TABLE
    from ..sockopt._table import _C_NAMES

    report: dict[str, str] = {}
    for name in ALL_NAMES:
        spec = TABLE.get(name)
        if spec is None:
            report[_C_NAMES[name]] = "not defined on this OS"
        else:
            label = spec.option_name
            if spec.level_name not in _USUAL_LEVELS:
                label += f" ({spec.level_name})"
            report[label] = _probe(name, spec.level, spec.number)
    return report


def _raw_allowed() -> bool:
    try:
        socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6).close()
    except OSError:
        return False
    return True


def _offload() -> dict[str, object]:
    """UDP GSO / GRO (Linux udp(7)): whether the kernel takes them, and how many segments one send may carry.

    GSO is tried for real: 128, then 64, one-byte datagrams in one send over ``::1`` to a socket of
    this process (the kernel's per-send limit was 64 before Linux 5.19, 128 since).
    """
    from .._binding import CONSTANTS

    facts: dict[str, object] = {"gso": False, "gso_max_segments": 0, "gro": False}
    if "UDP_SEGMENT" not in CONSTANTS:
        return facts
    level, segment, gro = CONSTANTS.get("SOL_UDP", 17), CONSTANTS["UDP_SEGMENT"], CONSTANTS["UDP_GRO"]
    try:
        rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    except OSError:
        return facts
    with rx, tx:
        try:
            rx.bind(("::1", 0))
            rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        except OSError:
            return facts
        for count in (128, 64):
            try:
                tx.sendmsg([bytes(count)], [(level, segment, (1).to_bytes(2, sys.byteorder))], 0,
                           rx.getsockname())
            except OSError:
                continue
            facts["gso"], facts["gso_max_segments"] = True, count
            break
        try:
            rx.setsockopt(level, gro, 1)
            facts["gro"] = bool(rx.getsockopt(level, gro))
        except OSError:
            pass
    return facts


def report() -> dict[str, object]:
    """Return the facts ``info`` prints, as a JSON-ready dict."""
    from .. import _binding

    libc_name, libc_version = platform.libc_ver()
    return {
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "libc": f"{libc_name} {libc_version}".strip() or _binding.PLATFORM,
        "declarations": _binding.PLATFORM,
        "backend": _binding.backend(),
        "backend_setting": os.environ.get("SOCKAPI6_BACKEND", "auto"),
        "libc_functions": {name: _binding.has_function(name) for name in _binding.FUNCTIONS},
        "kernel_options": _kernel_options(),
        "raw_sockets": _raw_allowed(),
        "udp_offload": _offload(),
        "euid": os.geteuid() if hasattr(os, "geteuid") else None,
    }


def _lines(facts: dict[str, object]) -> Iterator[str]:
    yield "sockapi6 on this system"
    keys = ("python", "os", "machine", "libc", "declarations", "backend", "backend_setting", "raw_sockets")
    for key in keys:
        yield f"  {key:<16} {facts[key]}"
    functions = facts["libc_functions"]
    assert isinstance(functions, dict)
    found = [n for n, ok in functions.items() if ok]
    missing = [n for n, ok in functions.items() if not ok]
    yield f"libc functions found ({len(found)}/{len(functions)}):"
    yield "  " + " ".join(found)
    if missing:
        yield "libc functions missing (the pure-Python code serves the RFC 3542 ones):"
        yield "  " + " ".join(missing)
    offload = facts["udp_offload"]
    assert isinstance(offload, dict)
    gso = f"yes, up to {offload['gso_max_segments']} datagrams per send" if offload["gso"] else "no"
    yield f"UDP offload: GSO (UDP_SEGMENT) {gso}; GRO (UDP_GRO) {'yes' if offload['gro'] else 'no'}"
    yield "IPv6 socket options, as the running kernel answers:"
    options = facts["kernel_options"]
    assert isinstance(options, dict)
    for name, verdict in options.items():
        yield f"  {name:<24} {verdict}"


def main(argv: list[str] | None = None) -> int:
    """Print the report (``--json`` for JSON) and return 0."""
    parser = argparse.ArgumentParser(prog="python -m sockapi6 info", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    facts = report()
    if args.json:
        print(json.dumps(facts, indent=2))
    else:
        print("\n".join(_lines(facts)))
    return 0
