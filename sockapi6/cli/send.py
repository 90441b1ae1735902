"""``python -m sockapi6 send``: send one datagram with the ancillary items you choose.

    python -m sockapi6 send ::1 --port 9000 --data hello --hoplimit 5 --tclass 0xb8
    python -m sockapi6 send fe80::1%eth0 --port 547 --pktinfo-if eth0 --dstopt 0x1e:cafe

Items (RFC 3542 section 6): ``--hoplimit`` (IPV6_HOPLIMIT), ``--tclass``
(IPV6_TCLASS), ``--pktinfo-if`` / ``--source`` (IPV6_PKTINFO: outgoing
interface and source address), ``--dstopt TYPE:HEX`` and ``--hbhopt
TYPE:HEX`` (a Destination / Hop-by-Hop Options header; repeatable; Linux
needs CAP_NET_RAW), ``--raw-cmsg LEVEL:TYPE:HEX`` (anything else).  Sends
over UDP, or over a raw socket with ``--raw PROTO``.  Prints what was sent.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Optional


def _int(text: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def _option(text: str) -> tuple[int, bytes]:
    type_text, sep, hex_text = text.partition(":")
    try:
        type_ = int(type_text, 0)
        data = bytes.fromhex(hex_text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected TYPE:HEX, e.g. 0x1e:cafe") from None
    if not sep or not 2 <= type_ <= 255:
        raise argparse.ArgumentTypeError(f"{text!r}: expected TYPE:HEX with TYPE 2..255, e.g. 0x1e:cafe")
    return type_, data


def _raw_cmsg(text: str) -> tuple[int, int, bytes]:
    parts = text.split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        return int(parts[0], 0), int(parts[1], 0), bytes.fromhex(parts[2])
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected LEVEL:TYPE:HEX") from None


def _parser() -> argparse.ArgumentParser:
    from .watch import _protocol

    parser = argparse.ArgumentParser(prog="python -m sockapi6 send", description=__doc__.splitlines()[0])
    parser.add_argument("destination", help="address, with %%interface for a link-local one")
    parser.add_argument("--port", type=int, default=0, help="UDP port (ignored for --raw)")
    parser.add_argument("--raw", type=_protocol, metavar="PROTO",
                        help="send on a raw socket of this protocol")
    payload = parser.add_mutually_exclusive_group()
    payload.add_argument("--data", default="", help="payload text (UTF-8)")
    payload.add_argument("--hex", help="payload as hex digits")
    parser.add_argument("--hoplimit", type=_int, help="IPV6_HOPLIMIT for this datagram (-1..255)")
    parser.add_argument("--tclass", type=_int, help="IPV6_TCLASS for this datagram (-1..255, e.g. 0xb8)")
    parser.add_argument("--pktinfo-if", metavar="IF", help="IPV6_PKTINFO outgoing interface (name or index)")
    parser.add_argument("--source", metavar="ADDR", help="IPV6_PKTINFO source address (default ::)")
    parser.add_argument("--dstopt", type=_option, action="append", default=[], metavar="TYPE:HEX",
                        help="add an option to a Destination Options header (repeatable)")
    parser.add_argument("--hbhopt", type=_option, action="append", default=[], metavar="TYPE:HEX",
                        help="add an option to a Hop-by-Hop Options header (repeatable)")
    parser.add_argument("--raw-cmsg", type=_raw_cmsg, action="append", default=[], metavar="LEVEL:TYPE:HEX",
                        help="add any control message as it is (repeatable)")
    return parser


def _items(args: argparse.Namespace) -> list[Any]:
    from ..ancillary import HopLimit, PacketInfo, TrafficClass

    items: list[Any] = []
    if args.pktinfo_if is not None or args.source is not None:
        interface: Any = args.pktinfo_if or 0
        if isinstance(interface, str) and interface.isdigit():
            interface = int(interface)
        items.append(PacketInfo(args.source or "::", interface))
    if args.hoplimit is not None:
        items.append(HopLimit(args.hoplimit))
    if args.tclass is not None:
        items.append(TrafficClass(args.tclass))
    if args.hbhopt or args.dstopt:
        from ..exthdr import DestinationOptions, HopByHopOptions, Option

        if args.hbhopt:
            items.append(HopByHopOptions([Option(t, d) for t, d in args.hbhopt]))
        if args.dstopt:
            items.append(DestinationOptions([Option(t, d) for t, d in args.dstopt]))
    items.extend(args.raw_cmsg)
    return items


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m sockapi6 send DEST [--port P] [items...]``."""
    import socket

    from ..ancillary import cmsg_name, to_cmsg
    from ..messaging import sendmsg

    args = _parser().parse_args(list(argv or []))
    try:
        items = _items(args)
        data = bytes.fromhex(args.hex) if args.hex is not None else args.data.encode()
    except (ValueError, TypeError, OSError) as exc:
        print(f"bad item: {exc}", file=sys.stderr)
        return 2
    if args.raw is not None:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, args.raw)
        port = 0
    else:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        port = args.port
    try:
        sent = sendmsg(sock, data, (args.destination, port), items)
    except OSError as exc:
        hint = " (hop-by-hop and destination options need CAP_NET_RAW)" if exc.errno == 1 else ""
        print(f"send failed: {exc}{hint}", file=sys.stderr)
        return 1
    except (ValueError, TypeError) as exc:
        print(f"bad destination or item: {exc}", file=sys.stderr)
        return 2
    finally:
        sock.close()
    names = ", ".join(f"{cmsg_name(level, type_)}={item!r}" for item in items
                      for level, type_, _d in (to_cmsg(item),)) or "no ancillary data"
    target = f"[{args.destination}]:{port}" if args.raw is None else f"{args.destination} (raw {args.raw})"
    print(f"sent {sent} bytes to {target} with {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
