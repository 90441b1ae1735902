"""Building and parsing extension headers: sockapi6's classes against scapy (design budget).

The workload (issue 3): a Destination Options header with two options
(Tunnel Encapsulation Limit and an 8n+2-aligned 12-octet option) and a type 0
routing header with 3 segments.

* build = construct the objects and take ``bytes()``: ours vs scapy's
  ``bytes(IPv6ExtHdrDestOpt(...))`` / ``bytes(IPv6ExtHdrRouting(...))``;
  and, when the C-port functions are importable, the same options header
  through ``inet6_opt_*`` on each backend (pure, libc);
* parse = ``Class.parse(data)`` and read every field vs scapy's
  ``Layer(data)`` with the same fields read.

Budget (design.md): build at least 30x faster than scapy, parse at least 8x,
and building the routing header from ``ipaddress.IPv6Address`` objects within
10% of building it from text.

    PYTHONPATH=. python benchmarks/bench_exthdr.py [seconds-per-figure]
"""

from __future__ import annotations

import sys
import timeit
from ipaddress import IPv6Address
from typing import Any, Callable

from sockapi6.exthdr import DestinationOptions, Option, TunnelEncapsulationLimit
from sockapi6.routing import RoutingHeader

BUDGET = float(sys.argv[1]) if len(sys.argv) > 1 else 0.3
ADDRS = ["2001:db8::1", "2001:db8::2", "2001:db8::3"]
ADDR_OBJECTS = [IPv6Address(a) for a in ADDRS]
X_DATA = bytes.fromhex("12345678 0102030405060708")


def per_op_us(fn: Callable[[], Any]) -> float:
    timer = timeit.Timer(fn)
    number, took = timer.autorange()
    number = max(1, int(number * BUDGET / max(took, 1e-9)))
    return min(timer.repeat(repeat=5, number=number)) / number * 1e6


# --------------------------------------------------------------------------- ours


def ours_build() -> tuple[bytes, bytes]:
    d = DestinationOptions([TunnelEncapsulationLimit(4), Option(0x1E, X_DATA, align=8)], next_header=43)
    r = RoutingHeader(ADDRS, segments_left=3, next_header=17)
    return bytes(d), bytes(r)


def ours_build_from(addrs: list[Any]) -> Callable[[], bytes]:
    """Build the routing header alone from ``addrs`` (text or IPv6Address objects)."""
    def build() -> bytes:
        return bytes(RoutingHeader(addrs, segments_left=3, next_header=17))
    return build


def ours_parse(dst: bytes, rth: bytes) -> tuple[Any, ...]:
    d = DestinationOptions.parse(dst)
    r = RoutingHeader.parse(rth)
    o1, o2 = d.options
    return (d.next_header, o1.type, o1.limit, o2.type, o2.data,  # type: ignore[attr-defined]
            r.next_header, r.type, r.segments_left, r.addresses)


# --------------------------------------------------------------------------- scapy


def scapy_funcs() -> tuple[Callable[[], Any], Callable[[bytes, bytes], Any]]:
    from scapy.layers.inet6 import HBHOptUnknown, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting, PadN

    def build() -> tuple[bytes, bytes]:
        # scapy does not align unknown options itself: the PadN is placed by hand, as ours computes it
        d = IPv6ExtHdrDestOpt(nh=43, options=[HBHOptUnknown(otype=4, optdata=b"\x04"),
                                              PadN(optdata=b"\0\0\0"),
                                              HBHOptUnknown(otype=0x1E, optdata=X_DATA)])
        r = IPv6ExtHdrRouting(nh=17, segleft=3, addresses=ADDRS)
        return bytes(d), bytes(r)

    def parse(dst: bytes, rth: bytes) -> tuple[Any, ...]:
        d = IPv6ExtHdrDestOpt(dst)
        r = IPv6ExtHdrRouting(rth)
        o = [x for x in d.options if x.otype > 1]
        return (d.nh, o[0].otype, o[0].optdata, o[1].otype, o[1].optdata,
                r.nh, r.type, r.segleft, r.addresses)

    return build, parse


# --------------------------------------------------------------------------- the C-port functions


def cport_build(m: Any) -> Callable[[], bytes]:
    """The same options header through inet6_opt_* of module ``m`` (RFC 3542 section 10)."""
    def build() -> bytes:
        size = m.inet6_opt_init(None, 0)
        size, _ = m.inet6_opt_append(None, 0, size, 4, 1, 1)
        size, _ = m.inet6_opt_append(None, 0, size, 0x1E, 12, 8)
        size = m.inet6_opt_finish(None, 0, size)
        buf = bytearray(size)
        off = m.inet6_opt_init(buf, size)
        off, data = m.inet6_opt_append(buf, size, off, 4, 1, 1)
        m.inet6_opt_set_val(data, 0, b"\x04")
        off, data = m.inet6_opt_append(buf, size, off, 0x1E, 12, 8)
        m.inet6_opt_set_val(data, 0, X_DATA)
        m.inet6_opt_finish(buf, size, off)
        buf[0] = 43
        return bytes(buf)
    return build


def main() -> int:
    dst, rth = ours_build()
    rows: list[tuple[str, float]] = []
    build_ours = per_op_us(ours_build)
    parse_ours = per_op_us(lambda: ours_parse(dst, rth))
    rows += [("ours  build (dstopts + rthdr0)", build_ours), ("ours  parse (dstopts + rthdr0)", parse_ours)]
    try:
        s_build, s_parse = scapy_funcs()
    except ImportError:
        print("scapy is not installed: no comparison")
        s_build = s_parse = None  # type: ignore[assignment]
    if s_build is not None:
        assert s_build() == (dst, rth), "scapy builds different bytes"
        assert s_parse(dst, rth)[1:5] == (4, b"\x04", 0x1E, X_DATA)
        build_scapy = per_op_us(s_build)
        parse_scapy = per_op_us(lambda: s_parse(dst, rth))
        rows += [("scapy build (dstopts + rthdr0)", build_scapy),
                 ("scapy parse (dstopts + rthdr0)", parse_scapy)]
    ours_dst_only = per_op_us(lambda: bytes(DestinationOptions(
        [TunnelEncapsulationLimit(4), Option(0x1E, X_DATA, align=8)], next_header=43)))
    rows.append(("ours  build dstopts only", ours_dst_only))
    assert ours_build_from(ADDR_OBJECTS)() == ours_build_from(ADDRS)() == rth
    # interleaved, best of several rounds: the two figures are close, and a shared machine is noisy
    text_fn, objects_fn = ours_build_from(ADDRS), ours_build_from(ADDR_OBJECTS)
    rounds = [(per_op_us(text_fn), per_op_us(objects_fn)) for _ in range(4)]
    rth_text = min(r[0] for r in rounds)
    rth_objects = min(r[1] for r in rounds)
    rows += [("ours  build rthdr0 from text", rth_text), ("ours  build rthdr0 from IPv6Address", rth_objects)]
    for name in ("pure", "libc"):
        try:
            mod = __import__(f"sockapi6.rfc3542.{name}", fromlist=["inet6_opt_init"])
        except ImportError as exc:
            print(f"inet6_opt_* ({name}) not importable: {exc}")
            continue
        if not all(hasattr(mod, f) for f in ("inet6_opt_init", "inet6_opt_append", "inet6_opt_finish",
                                             "inet6_opt_set_val")):
            print(f"inet6_opt_* ({name}): this libc lacks them")
            continue
        fn = cport_build(mod)
        if fn() != dst:
            print(f"note: inet6_opt_* ({name}) lays the header out differently: {fn().hex()}")
        rows.append((f"inet6_opt_* ({name}) build dstopts only", per_op_us(fn)))
    width = max(len(n) for n, _ in rows)
    for name, us in rows:
        print(f"{name:<{width}}  {us:9.2f} us/op")
    ra = rth_objects / rth_text
    print(f"rthdr0 from IPv6Address objects: {ra:.2f}x the time from text "
          f"(budget <= 1.10x: {'ok' if ra <= 1.10 else 'MISSED'})")
    if s_build is not None:
        rb, rp = build_scapy / build_ours, parse_scapy / parse_ours
        print(f"build: ours is {rb:.1f}x faster than scapy (budget >= 30x: {'ok' if rb >= 30 else 'MISSED'})")
        print(f"parse: ours is {rp:.1f}x faster than scapy (budget >= 8x: {'ok' if rp >= 8 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
