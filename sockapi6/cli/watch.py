"""``python -m sockapi6 watch``: print every datagram arriving on a UDP port or raw protocol, decoded.

One line per datagram (or a JSON object per line with ``--json``): sender,
destination and interface (``IPV6_RECVPKTINFO``), hop limit, traffic class,
extension headers and any other ancillary item -- the diagnostic tool
RFC 4584 section 2 expects to be built on the advanced API.  Every receive
option the OS has is turned on.  ``--count N`` stops after N datagrams,
``--timeout S`` after S seconds (exit status 1 if ``--count`` was not
reached).  The bound address goes to standard error first
(``listening on [::]:PORT``), so ``--udp 0`` picks a free port usable by
scripts.

``--join GROUP%IF`` (repeatable) joins a multicast group on an interface
(RFC 3493 5.2), or only from ``--source S`` (RFC 3678 5.1, source-specific):
the socket then also sees the group's datagrams arriving on other
interfaces where anyone joined (docs/kernel-facts.md row 31), so each line
shows the arrival interface.  ``--errqueue`` turns ``IPV6_RECVERR`` on and
prints the socket's error queue too (``MSG_ERRQUEUE``, woken by
``POLLERR``): one line per ICMPv6 error with the offender, type and code --
its address is the failed datagram's destination, not a sender.
"""

from __future__ import annotations

import argparse
import json
import select
import socket
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Optional

    from ..messaging import ReceivedMessage

#: receive options turned on, where the OS has them
_RECEIVE_OPTIONS = (
    "IPV6_RECVPKTINFO", "IPV6_RECVHOPLIMIT", "IPV6_RECVTCLASS", "IPV6_RECVHOPOPTS",
    "IPV6_RECVDSTOPTS", "IPV6_RECVRTHDR", "IPV6_RECVPATHMTU",
)
#: and for IPv4 traffic on a dual-stack socket
_RECEIVE_OPTIONS_IPV4 = ("IP_PKTINFO", "IP_RECVTTL", "IP_RECVTOS")


def _protocol(text: str) -> int:
    if text.isdigit():
        value = int(text)
        if not 0 <= value <= 255:
            raise argparse.ArgumentTypeError(f"protocol {value} is out of range 0..255")
        return value
    aliases = {"icmpv6": "ipv6-icmp", "icmp6": "ipv6-icmp", "mh": "mobility-header"}
    try:
        return socket.getprotobyname(aliases.get(text.lower(), text))
    except OSError:
        raise argparse.ArgumentTypeError(f"unknown protocol {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sockapi6 watch", description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--udp", type=int, metavar="PORT", help="listen on this UDP port (0: any free port)")
    what.add_argument("--raw", type=_protocol, metavar="PROTO",
                      help="open a raw socket for this protocol (number or name: icmpv6, 253...)")
    parser.add_argument("--bind", default="::", metavar="ADDR", help="local address (default ::)")
    parser.add_argument("--dual-stack", action="store_true", help="turn IPV6_V6ONLY off: IPv4 traffic too")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--count", type=int, metavar="N", help="stop after N datagrams")
    parser.add_argument("--timeout", type=float, metavar="S", help="stop after S seconds")
    parser.add_argument("--bufsize", type=int, default=65535, help="receive buffer (default 65535)")
    parser.add_argument("--join", action="append", default=[], metavar="GROUP%IF",
                        help="join a multicast group on an interface (repeatable)")
    parser.add_argument("--source", metavar="S", help="with --join: receive the group from this source only")
    parser.add_argument("--errqueue", action="store_true",
                        help="IPV6_RECVERR: print queued ICMPv6 errors too (MSG_ERRQUEUE)")
    return parser


def _join(sock: socket.socket, specs: Sequence[str], source: Optional[str]) -> None:
    """Join each ``GROUP%IF`` (from ``source`` only, when given)."""
    from ..multicast import join_group, join_source_group

    for spec in specs:
        group, sep, interface = spec.partition("%")
        if not sep or not interface:
            raise ValueError(f"--join {spec!r}: give the interface as GROUP%IF")
        if source is None:
            join_group(sock, group, interface)
        else:
            join_source_group(sock, group, source, interface)


def _open(args: argparse.Namespace) -> socket.socket:
    from .._system.binding import CONSTANTS
    from ..address import to_sockaddr_tuple

    if args.udp is not None:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        port = args.udp
    else:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, args.raw)
        port = 0
    if args.dual_stack:
        sock.setsockopt(socket.IPPROTO_IPV6, CONSTANTS["IPV6_V6ONLY"], 0)
    for name in _RECEIVE_OPTIONS:
        if name in CONSTANTS:
            try:
                sock.setsockopt(socket.IPPROTO_IPV6, CONSTANTS[name], 1)
            except OSError as exc:
                print(f"note: {name} refused: {exc.strerror}", file=sys.stderr)
    if args.dual_stack:
        for name in _RECEIVE_OPTIONS_IPV4:
            if name in CONSTANTS:
                try:
                    sock.setsockopt(socket.IPPROTO_IP, CONSTANTS[name], 1)
                except OSError:
                    pass
    if args.errqueue:
        sock.setsockopt(socket.IPPROTO_IPV6, CONSTANTS["IPV6_RECVERR"], 1)
    if args.join or args.errqueue:  # next to a daemon on the same port (odhcpd sets SO_REUSEADDR too)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(to_sockaddr_tuple(args.bind, port))
    _join(sock, args.join, args.source)
    return sock


def _header_text(header: Any) -> str:
    options = getattr(header, "options", None)
    if options is None:
        return repr(header)
    return "[" + ",".join(f"0x{o.type:02x}:{bytes(o.data).hex()}" for o in options) + "]"


def _record(msg: ReceivedMessage) -> dict[str, Any]:
    """The datagram as a JSON-ready dictionary."""
    address = msg.address
    peer = msg.peer
    out: dict[str, Any] = {
        "time": round(time.time(), 6),
        "from": str(peer) if peer is not None else None,
        "port": address[1] if isinstance(address, tuple) else None,
        "length": len(msg.data),
    }
    info = msg.pktinfo
    if info is not None:
        out["to"] = info.address_text
        out["ifindex"] = info.ifindex
    if msg.hoplimit is not None:
        out["hoplimit"] = msg.hoplimit
    if msg.tclass is not None:
        out["tclass"] = msg.tclass
    from ..exthdr import DestinationOptions, HopByHopOptions

    items: list[str] = []
    for item in msg.ancillary:
        name = type(item).__name__
        if name in ("PacketInfo", "HopLimit", "TrafficClass"):
            continue
        if isinstance(item, (HopByHopOptions, DestinationOptions)):
            key = "hopopts" if isinstance(item, HopByHopOptions) else "dstopts"
            out.setdefault(key, []).append([[o.type, bytes(o.data).hex()] for o in item.options])
        else:
            items.append(repr(item))
    if items:
        out["other"] = items
    if msg.truncated:
        out["truncated"] = True
    if msg.control_truncated:
        out["control_truncated"] = True
    out["data"] = msg.data[:64].hex()
    return out


def _error_record(msg: ReceivedMessage) -> dict[str, Any]:
    """An error-queue message as a JSON-ready dictionary: the address is the datagram's destination."""
    err = msg.error
    address = msg.address
    out: dict[str, Any] = {
        "time": round(time.time(), 6), "error": True,
        "to": str(address[0]) if isinstance(address, tuple) else None,
        "port": address[1] if isinstance(address, tuple) else None, "length": len(msg.data),
    }
    if err is not None:
        out.update(errno=err.errno, origin=int(err.origin), type=err.type, code=err.code, info=err.info,
                   offender=str(err.offender) if err.offender is not None else None)
    out["data"] = msg.data[:64].hex()
    return out


def _error_line(rec: dict[str, Any]) -> str:
    """An error-queue record as one human-readable line."""
    import os

    where = f"[{rec['to']}]:{rec['port']}" if rec.get("port") else str(rec.get("to"))
    if "errno" not in rec:
        return f"error queue: datagram to {where}, no extended error"
    return (f"error from {rec['offender']}: type {rec['type']} code {rec['code']} info {rec['info']} "
            f"({os.strerror(rec['errno'])}) for datagram to {where}, len {rec['length']}")


def _line(msg: ReceivedMessage) -> str:
    """The datagram as one human-readable line."""
    rec = _record(msg)
    parts = [f"from [{rec['from']}]:{rec['port']}" if rec["port"] else f"from {rec['from']}"]
    if "to" in rec:
        parts.append(f"to {rec['to']} if {rec['ifindex']}")
    parts.append(f"len {rec['length']}")
    if "hoplimit" in rec:
        parts.append(f"hlim {rec['hoplimit']}")
    if "tclass" in rec:
        parts.append(f"tclass 0x{rec['tclass']:02x}")
    for item in msg.ancillary:
        name = type(item).__name__
        if name == "HopByHopOptions":
            parts.append(f"hbh {_header_text(item)}")
        elif name == "DestinationOptions":
            parts.append(f"dst {_header_text(item)}")
    parts.extend(rec.get("other", []))
    if rec.get("truncated"):
        parts.append("TRUNCATED")
    if rec.get("control_truncated"):
        parts.append("CONTROL-TRUNCATED")
    return "  ".join(parts)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m sockapi6 watch (--udp PORT | --raw PROTO) [--json] [--count N] [--timeout S]``."""
    from .._system.binding import CONSTANTS
    from ..messaging import recvmsg

    parser = _parser()
    args = parser.parse_args(list(argv or []))
    if args.source is not None and not args.join:
        parser.error("--source needs --join GROUP%IF")
    errqueue = CONSTANTS.get("MSG_ERRQUEUE", 0)
    if args.errqueue and not (errqueue and "IPV6_RECVERR" in CONSTANTS):
        print("--errqueue: this OS has no IPV6_RECVERR / MSG_ERRQUEUE (Linux only)", file=sys.stderr)
        return 1
    try:
        sock = _open(args)
    except (OSError, ValueError) as exc:
        print(f"cannot listen: {exc}", file=sys.stderr)
        return 1
    host, port = sock.getsockname()[:2]
    kind = f"udp [{host}]:{port}" if args.udp is not None else f"raw protocol {args.raw} on [{host}]"
    print(f"listening on {kind}", file=sys.stderr, flush=True)
    deadline = None if args.timeout is None else time.monotonic() + args.timeout
    poller = select.poll()
    poller.register(sock, select.POLLIN | select.POLLERR)  # queued errors wake POLLERR only
    seen = 0
    try:
        while args.count is None or seen < args.count:
            wait = -1
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                wait = max(int(left * 1000), 1)
            events = poller.poll(wait)
            if not events:
                break
            if events[0][1] & select.POLLERR and args.errqueue:
                rec = _error_record(recvmsg(sock, args.bufsize, errqueue))
                print(json.dumps(rec) if args.json else _error_line(rec), flush=True)
            else:
                msg = recvmsg(sock, args.bufsize)
                print(json.dumps(_record(msg)) if args.json else _line(msg), flush=True)
            seen += 1
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    if args.count is not None and seen < args.count:
        print(f"timed out after {seen} of {args.count} datagrams", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
