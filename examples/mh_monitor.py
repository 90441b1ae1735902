#!/usr/bin/env python3
"""Mobility Header monitor: the "mh-ping"-style debugging tool of RFC 4584 section 2.

Prints every Mobility Header packet this host sees, decoded (raw IPPROTO_MH socket with
IPV6_CHECKSUM 4, RFC 4584 6.1; needs root / CAP_NET_RAW), and can send a Binding Refresh
Request or a Home Test Init to a peer first:

    python examples/mh_monitor.py                       # watch until interrupted
    python examples/mh_monitor.py --count 1             # stop after one packet
    python examples/mh_monitor.py --send brr --to 2001:db8::1 --count 0   # send only
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

from sockapi6 import mhsocket, mobility
from sockapi6.errors import MalformedError


def build(kind: str) -> mobility.MobilityMessage:
    """The message ``--send`` sends: a Binding Refresh Request or a HoTI with a random cookie."""
    if kind == "brr":
        return mobility.BindingRefreshRequest()
    return mobility.HomeTestInit(int.from_bytes(os.urandom(8), "big"))


def describe(data: bytes, source: str) -> str:
    """One line per packet: sender, MH type name, decoded message (or why it does not parse)."""
    try:
        msg = mobility.parse(data)
    except MalformedError as exc:
        return f"{source}: malformed Mobility Header ({exc}): {data.hex()}"
    return f"{source}: {type(msg).__name__} ({len(data)} octets) {msg!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--send", choices=("brr", "hoti"), help="send this message to --to first")
    parser.add_argument("--to", help="the peer's address (with %%interface for link-local)")
    parser.add_argument("--count", type=int, default=-1, help="stop after this many packets (0: send only)")
    parser.add_argument("--timeout", type=float, default=None, help="give up after this many seconds")
    args = parser.parse_args(argv)
    if args.send and not args.to:
        parser.error("--send needs --to ADDR")
    try:
        sock = mhsocket.open_mh_socket()
    except PermissionError:
        print("mh_monitor: raw sockets need root (CAP_NET_RAW)", file=sys.stderr)
        return 1
    with sock:
        sock.settimeout(args.timeout)
        if args.send:
            msg = build(args.send)
            target = socket.getaddrinfo(args.to, None, socket.AF_INET6, socket.SOCK_DGRAM)[0][4]
            sock.sendto(bytes(msg), target)
            print(f"sent to {args.to}: {msg!r}", flush=True)
        seen = 0
        while args.count < 0 or seen < args.count:
            try:
                data, addr = sock.recvfrom(65535)
            except socket.timeout:
                print("mh_monitor: timed out", file=sys.stderr)
                return 2
            seen += 1
            print(describe(data, addr[0]), flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
