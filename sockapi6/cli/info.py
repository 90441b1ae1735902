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

#: options probed, in report order: (constant name, socket kind)
_PROBES = (
    ("IPV6_V6ONLY", "udp"), ("IPV6_UNICAST_HOPS", "udp"), ("IPV6_MULTICAST_IF", "udp"),
    ("IPV6_MULTICAST_HOPS", "udp"), ("IPV6_MULTICAST_LOOP", "udp"), ("IPV6_RECVPKTINFO", "udp"),
    ("IPV6_RECVHOPLIMIT", "udp"), ("IPV6_RECVTCLASS", "udp"), ("IPV6_RECVRTHDR", "udp"),
    ("IPV6_RECVHOPOPTS", "udp"), ("IPV6_RECVDSTOPTS", "udp"), ("IPV6_RECVPATHMTU", "udp"),
    ("IPV6_TCLASS", "udp"), ("IPV6_DONTFRAG", "udp"), ("IPV6_USE_MIN_MTU", "udp"), ("IPV6_PKTINFO", "udp"),
    ("IPV6_NEXTHOP", "udp"), ("IPV6_HOPOPTS", "udp"), ("IPV6_DSTOPTS", "udp"), ("IPV6_RTHDRDSTOPTS", "udp"),
    ("IPV6_RTHDR", "udp"), ("IPV6_ADDR_PREFERENCES", "udp"), ("IPV6_RECVORIGDSTADDR", "udp"),
    ("IPV6_RECVERR", "udp"), ("IPV6_MTU_DISCOVER", "udp"), ("IPV6_FREEBIND", "udp"),
    ("IPV6_TRANSPARENT", "udp"), ("IPV6_CHECKSUM", "raw"), ("ICMP6_FILTER", "icmp6"),
)

_LEVEL = {"ICMP6_FILTER": "IPPROTO_ICMPV6"}

#: what to write when the option cannot be read back: a value that changes nothing
#: (an empty sticky header clears it; an all-zero in6_pktinfo selects nothing)
_NEUTRAL = {
    "IPV6_PKTINFO": bytes(20), "IPV6_NEXTHOP": b"", "IPV6_HOPOPTS": b"", "IPV6_DSTOPTS": b"",
    "IPV6_RTHDRDSTOPTS": b"", "IPV6_RTHDR": b"",
}


def _socket(kind: str) -> socket.socket:
    proto = {"udp": 0, "raw": 253, "icmp6": socket.IPPROTO_ICMPV6}[kind]
    stype = socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_RAW
    return socket.socket(socket.AF_INET6, stype, proto)


def _probe(name: str, kind: str) -> str:
    from .. import _binding

    number = _binding.CONSTANTS.get(name)
    if number is None:
        return "not declared on this OS"
    level = _binding.CONSTANTS[_LEVEL.get(name, "IPPROTO_IPV6")]
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


def _raw_allowed() -> bool:
    try:
        socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6).close()
    except OSError:
        return False
    return True


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
        "kernel_options": {name: _probe(name, kind) for name, kind in _PROBES},
        "raw_sockets": _raw_allowed(),
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
