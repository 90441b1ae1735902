"""Per-call cost of the C-port functions (RFC 3542 sections 7 and 10), both backends.

Prints ns/call for each of the 13 functions on ``pure`` and ``libc`` (where
this libc has it) and through the top-level dispatch, then whole tasks
(build/parse an options header, build/read a 3-segment routing header)
against hand-written ``struct`` code producing the same bytes.

    python benchmarks/bench_cport.py [seconds-per-figure]
"""

from __future__ import annotations

import struct
import sys
import timeit
from ipaddress import IPv6Address

import sockapi6.rfc3542 as top
from sockapi6.rfc3542 import libc, pure

BUDGET = float(sys.argv[1]) if len(sys.argv) > 1 else 0.2
A = [IPv6Address(f"2001:db8::{i}") for i in (1, 2, 3)]
PACKED = [a.packed for a in A]


def ns_per_call(fn):
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * BUDGET / 0.2))
    return min(timer.repeat(repeat=7, number=number)) / number * 1e9


def per_function(m):
    """One closure per function, each a single call on prepared, valid input."""
    opt = bytearray(16)
    m.inet6_opt_init(opt, 16)
    end, data = m.inet6_opt_append(opt, 16, 2, 0x1E, 4, 4)
    m.inet6_opt_set_val(data, 0, b"\x01\x02\x03\x04")
    m.inet6_opt_finish(opt, 16, end)
    scratch = bytearray(16)
    rth = bytearray(56)
    m.inet6_rth_init(rth, 56, 0, 3)
    for a in A:
        m.inet6_rth_add(rth, a)
    addbuf = bytearray(24)
    out = bytearray(56)
    return {
        "inet6_opt_init": lambda: m.inet6_opt_init(scratch, 16),
        "inet6_opt_append": lambda: m.inet6_opt_append(scratch, 16, 2, 0x1E, 4, 4),
        "inet6_opt_finish": lambda: m.inet6_opt_finish(scratch, 16, 8),
        "inet6_opt_set_val": lambda: m.inet6_opt_set_val(data, 0, b"\x01\x02\x03\x04"),
        "inet6_opt_next": lambda: m.inet6_opt_next(opt, 16, 0),
        "inet6_opt_find": lambda: m.inet6_opt_find(opt, 16, 0, 0x1E),
        "inet6_opt_get_val": lambda: m.inet6_opt_get_val(data, 0, 4),
        "inet6_rth_space": lambda: m.inet6_rth_space(0, 3),
        "inet6_rth_init": lambda: m.inet6_rth_init(addbuf, 24, 0, 1),
        "inet6_rth_add": lambda: (m.inet6_rth_add(addbuf, PACKED[0]), addbuf.__setitem__(3, 0)),
        "inet6_rth_reverse": lambda: m.inet6_rth_reverse(rth, out),
        "inet6_rth_segments": lambda: m.inet6_rth_segments(rth),
        "inet6_rth_getaddr": lambda: m.inet6_rth_getaddr(rth, 1),
    }


def build_options(m):
    """Destination options: X (4n+2: 12 bytes) and a 2-byte option, as section 22.1 does."""
    buf = bytearray(24)
    cur = m.inet6_opt_init(buf, 24)
    cur, data = m.inet6_opt_append(buf, 24, cur, 0x1E, 12, 8)
    m.inet6_opt_set_val(data, 0, b"\x12\x34\x56\x78\x01\x02\x03\x04\x05\x06\x07\x08")
    cur, data = m.inet6_opt_append(buf, 24, cur, 0x3E, 2, 2)
    m.inet6_opt_set_val(data, 0, b"\x13\x31")
    m.inet6_opt_finish(buf, 24, cur)
    return buf


_OPTS = struct.Struct("!BBBB12sBB2sBB2x")


def build_options_struct():
    return _OPTS.pack(0, 2, 0x1E, 12, b"\x12\x34\x56\x78\x01\x02\x03\x04\x05\x06\x07\x08",
                      0x3E, 2, b"\x13\x31", 1, 2)


def parse_options(m, buf):
    out = []
    cur = 0
    while True:
        cur, kind, _length, data = m.inet6_opt_next(buf, len(buf), cur)
        if cur < 0:
            return out
        out.append((kind, bytes(data)))


def parse_options_struct(buf):
    out = []
    i, n = 2, len(buf)
    while i < n:
        kind = buf[i]
        if kind == 0:
            i += 1
            continue
        length = buf[i + 1]
        if kind != 1:
            out.append((kind, bytes(buf[i + 2:i + 2 + length])))
        i += 2 + length
    return out


def build_rth(m):
    buf = bytearray(m.inet6_rth_space(0, 3))
    rth = m.inet6_rth_init(buf, len(buf), 0, 3)
    for a in PACKED:
        m.inet6_rth_add(rth, a)
    return buf


_RTH = struct.Struct("!BBBB4x16s16s16s")


def build_rth_struct():
    return _RTH.pack(0, 6, 0, 3, *PACKED)


def read_rth(m, buf):
    return [m.inet6_rth_getaddr(buf, i) for i in range(m.inet6_rth_segments(buf))]


def read_rth_struct(buf):
    return [IPv6Address(bytes(buf[8 + 16 * i:24 + 16 * i])) for i in range(buf[1] // 2)]


def main():
    impls = [("python", pure)]
    if hasattr(libc, "inet6_opt_init"):
        impls.append(("libc", libc))
    impls.append(("dispatch", top))
    print(f"python {sys.version.split()[0]}; ns per call (best of 7); dispatch serves: "
          f"{', '.join(sorted(set(top.SERVED_BY.values())))}")
    header = "function".ljust(22) + "".join(name.rjust(11) for name, _ in impls)
    print(header)
    tables = {name: per_function(m) for name, m in impls}
    for fn in per_function(pure):
        print(fn.ljust(22) + "".join(f"{ns_per_call(tables[name][fn]):11.0f}" for name, _ in impls))

    print()
    ref_opts = bytes(build_options_struct())
    ref_rth = bytes(build_rth_struct())
    tasks = [
        ("build dstopts (2 opts)", build_options, build_options_struct, None),
        ("parse dstopts (next)", lambda m: parse_options(m, ref_opts), lambda: parse_options_struct(ref_opts),
         None),
        ("build rthdr0 (3 segs)", build_rth, build_rth_struct, ref_rth),
        ("read rthdr0 (3 addrs)", lambda m: read_rth(m, ref_rth), lambda: read_rth_struct(ref_rth), None),
    ]
    print("task".ljust(24) + "struct".rjust(9) + "".join(f"{name:>11}  ratio" for name, _ in impls))
    for label, ours, theirs, expected in tasks:
        if expected is not None:
            assert all(bytes(ours(m)) == expected for _, m in impls)
        base = ns_per_call(theirs)
        row = label.ljust(24) + f"{base:9.0f}"
        for _name, m in impls:
            t = ns_per_call(lambda m=m, ours=ours: ours(m))
            row += f"{t:11.0f} {t / base:5.1f}x"
        print(row)
    assert parse_options(pure, ref_opts) == parse_options_struct(ref_opts)
    print("(ratio: time of ours / time of the hand-written struct code; the struct build of the options "
          "header hard-codes the padding the functions compute)")


if __name__ == "__main__":
    main()
