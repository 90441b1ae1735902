"""``python -m sockapi6 demo``: ancillary data on ``::1``, what was sent beside what the kernel delivered.

A receiving UDP socket on ``::1`` turns on every receive option this OS has
(RFC 3542 sections 4.1 and 6: ``IPV6_RECVPKTINFO``, ``IPV6_RECVHOPLIMIT``,
``IPV6_RECVTCLASS``, ``IPV6_RECVHOPOPTS``, ``IPV6_RECVDSTOPTS``,
``IPV6_RECVRTHDR``...).  A second socket sends a few datagrams, each with
different ancillary items (packet info, hop limit, traffic class, a
destination-options and a hop-by-hop header); for every datagram the demo
prints, side by side, what was sent and what the receiver got, decoded.
Run as an ordinary user it still works and names the items that need
privileges (Linux wants CAP_NET_RAW to send hop-by-hop and destination
options: EPERM).
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Optional

#: receive options the demo turns on, with what each asks the kernel for (RFC 3542 section)
_RECEIVE_OPTIONS = (
    ("IPV6_RECVPKTINFO", "destination address and arrival interface (6.1)"),
    ("IPV6_RECVHOPLIMIT", "hop limit of the packet (6.3)"),
    ("IPV6_RECVTCLASS", "traffic class of the packet (6.5)"),
    ("IPV6_RECVHOPOPTS", "hop-by-hop options header (4.1)"),
    ("IPV6_RECVDSTOPTS", "destination options headers (4.1)"),
    ("IPV6_RECVRTHDR", "routing header (4.1)"),
)

#: the rows of each side-by-side table: (label, shortcut of ReceivedMessage)
_ROWS = (
    ("packet info", "pktinfo"),
    ("hop limit", "hoplimit"),
    ("traffic class", "tclass"),
    ("hop-by-hop options", "hopopts"),
    ("destination options", "dstopts"),
)

_WIDTH = 34


def _ifname(index: int) -> str:
    try:
        return socket.if_indextoname(index)
    except OSError:
        return "?"


def _describe(kind: str, value: Any) -> str:
    """A newcomer's wording of one item's value."""
    if value is None:
        return "-"
    if kind == "pktinfo":
        where = f"interface {value.ifindex} ({_ifname(value.ifindex)})" if value.ifindex else "any interface"
        return f"{value.address_text} on {where}"
    if kind == "tclass":
        return f"{value} (0x{value:02x}, DSCP {value >> 2}, ECN {value & 3})"
    if kind == "hoplimit":
        return str(value)
    return _describe_header(value)


def _describe_header(header: Any) -> str:
    """``option 0x1e 'sockapi6'`` for each option of an extension header (padding left out)."""
    options = getattr(header, "options", None)
    if options is None:
        return repr(header)
    parts = []
    for option in options:
        data = bytes(option.data)
        shown = repr(data.decode()) if data.isascii() and data.decode().isprintable() else data.hex()
        parts.append(f"option 0x{option.type:02x} {shown}")
    return ", ".join(parts) or "no options"


def _datagrams(lo: int) -> list[tuple[str, dict[str, Any], str]]:
    """(title, {row kind: item sent}, what to look at) for each datagram of the demo."""
    from ..ancillary import HopLimit, PacketInfo, TrafficClass

    plan: list[tuple[str, dict[str, Any], str]] = [
        ("no ancillary data", {},
         "the kernel's defaults: unicast hop limit 64, traffic class 0; packet info always tells the "
         "destination and the arrival interface"),
        ("packet info + hop limit + traffic class", {
            "pktinfo": PacketInfo("::1", lo), "hoplimit": HopLimit(7), "tclass": TrafficClass(0xB8)},
         "IPV6_PKTINFO picked source ::1 and interface lo; IPV6_HOPLIMIT and IPV6_TCLASS set this "
         "datagram's header fields (0xb8 = DSCP 46 'expedited forwarding')"),
        ("hop limit 0 and traffic class 0", {"hoplimit": HopLimit(0), "tclass": TrafficClass(0)},
         "0 is a value, not 'absent': a hop limit of 0 still reaches a local receiver"),
    ]
    try:
        from ..exthdr import DestinationOptions, HopByHopOptions, Option
    except ImportError:  # pragma: no cover - extension-header classes not in this build
        return plan
    plan.append(("destination options header", {
        "dstopts": DestinationOptions([Option(0x1E, b"sockapi6")])},
        "an IPV6_DSTOPTS item adds a Destination Options header; option type 0x1e is 'skip if "
        "unknown', so the receiver keeps the packet and IPV6_RECVDSTOPTS hands the header up"))
    plan.append(("hop-by-hop options header", {
        "hopopts": HopByHopOptions([Option(0x1E, b"hop")])},
        "an IPV6_HOPOPTS item adds a Hop-by-Hop Options header, seen with IPV6_RECVHOPOPTS"))
    return plan


def _enable(sock: socket.socket, lib: dict[str, int]) -> tuple[list[str], list[str]]:
    on, failed = [], []
    for name, _what in _RECEIVE_OPTIONS:
        number = lib.get(name)
        if number is None:
            continue
        try:
            sock.setsockopt(socket.IPPROTO_IPV6, number, 1)
            on.append(name)
        except OSError as exc:
            failed.append(f"{name} ({errno.errorcode.get(exc.errno or 0, exc.errno)})")
    return on, failed


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return str(os.geteuid()) if hasattr(os, "geteuid") else "?"


def _cmsg_names(sent: dict[str, Any]) -> str:
    from ..ancillary import cmsg_name, to_cmsg

    return ", ".join(cmsg_name(level, type_) for level, type_, _d in (to_cmsg(v) for v in sent.values()))


def run(count_only: bool = False) -> int:
    """Run the demo and print it; return the exit status."""
    from .._system.binding import CONSTANTS, PLATFORM_DESCRIPTION
    from ..messaging import recvmsg, sendmsg

    if not socket.has_ipv6:
        print("this Python has no IPv6 support", file=sys.stderr)
        return 1
    try:
        rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        rx.bind(("::1", 0))
    except OSError as exc:
        print(f"cannot bind a UDP socket to ::1: {exc}", file=sys.stderr)
        return 1
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.settimeout(2.0)
    try:
        lo = socket.if_nametoindex("lo")
    except OSError:
        lo = 0
    port = rx.getsockname()[1]
    on, failed = _enable(rx, CONSTANTS)
    print(f"sockapi6 demo: ancillary data over ::1 on {PLATFORM_DESCRIPTION}, as user {_user()}")
    print()
    print(f"receiver [::1]:{port} asks the kernel, for every datagram, for:")
    for name, what in _RECEIVE_OPTIONS:
        if name in on:
            print(f"  {name:<18} {what}")
    if failed:
        print(f"  (refused: {', '.join(failed)})")
    needs_privilege: list[str] = []
    errors = 0
    for number, (title, sent, note) in enumerate(_datagrams(lo), 1):
        print()
        names = _cmsg_names(sent) if sent else "none"
        print(f"datagram {number}: {title}  [ancillary items sent: {names}]")
        payload = f"datagram {number}".encode()
        try:
            sendmsg(tx, payload, ("::1", port), list(sent.values()))
        except OSError as exc:
            if exc.errno in (errno.EPERM, errno.EACCES):
                needs_privilege.append(names)
                print(f"  not sent: the kernel refused {names} with "
                      f"{errno.errorcode[exc.errno]} - sending it needs CAP_NET_RAW (run as root)")
            else:
                errors += 1
                print(f"  not sent: {exc}")
            continue
        try:
            msg = recvmsg(rx)
        except socket.timeout:
            errors += 1
            print("  nothing arrived within 2 s")
            continue
        print(f"  {'item':<21} {'sent':<{_WIDTH}} delivered by the kernel")
        for label, kind in _ROWS:
            given = sent.get(kind)
            got = getattr(msg, kind)
            shown_sent = _describe(kind, getattr(given, "value", given)) if kind in ("hoplimit", "tclass") \
                else _describe(kind, given)
            if given is None:
                shown_sent = "- (kernel default)" if kind in ("hoplimit", "tclass") else "-"
            print(f"  {label:<21} {shown_sent:<{_WIDTH}} {_describe(kind, got)}")
        others = [item for item in msg.ancillary
                  if type(item).__name__ not in ("PacketInfo", "HopLimit", "TrafficClass",
                                                 "HopByHopOptions", "DestinationOptions")]
        for item in others:
            print(f"  {'other':<21} {'':<{_WIDTH}} {item!r}")
        print(f"  payload {msg.data!r} from [{msg.address[0]}]:{msg.address[1]}"
              + ("  (TRUNCATED)" if msg.truncated or msg.control_truncated else ""))
        print(f"  -> {note}")
    print()
    if needs_privilege:
        print("needed privileges: " + "; ".join(needs_privilege)
              + " (Linux requires CAP_NET_RAW to send hop-by-hop and destination options: EPERM)")
    else:
        print("every item was sent and delivered; no privileges were missing")
    rx.close()
    tx.close()
    return 1 if errors else 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m sockapi6 demo``."""
    parser = argparse.ArgumentParser(prog="python -m sockapi6 demo", description=__doc__.splitlines()[0])
    parser.parse_args(list(argv or []))
    return run()


if __name__ == "__main__":
    sys.exit(main())
