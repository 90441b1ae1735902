"""Differential test: this libc's inet6_opt_* / inet6_rth_* against the pure code, byte for byte.

Hypothesis generates thousands of call sequences (init/append/set_val/finish
then next/find/get_val; rth space/init/add/segments/getaddr/reverse) on
random, truncated and mutated buffers, runs each on both backends and
compares every return value and the whole buffer afterwards.  The rows of
docs/platform-differences.md are the only cases allowed to differ, and each
is expected explicitly: P1 (padding when len % align != 0), P2 (find with
type 0/1), P4 (type 2), P6 (type 0 with an odd length byte), P7 (type 0 with
segments left above the count).
"""

from __future__ import annotations

from ipaddress import IPv6Address

import pytest
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sockapi6.rfc3542 import libc, pure

pytestmark = pytest.mark.skipif(
    not (hasattr(libc, "inet6_opt_init") and hasattr(libc, "inet6_rth_space")),
    reason="this libc has no inet6_opt_* / inet6_rth_* to compare with",
)

MANY = settings(max_examples=examples(2000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])

option_kinds = st.integers(2, 255)
aligns = st.sampled_from([1, 2, 4, 8])


@st.composite
def option_plans(draw, aligned):
    """Options (type, len, align, data, split); ``aligned``: every len a multiple of its align."""
    plan = []
    for _ in range(draw(st.integers(0, 6))):
        align = draw(aligns)
        length = draw(st.integers(align, 48))
        if aligned:
            length -= length % align
        data = draw(st.binary(min_size=length, max_size=length))
        plan.append((draw(option_kinds), length, align, data, draw(st.integers(0, length))))
    return plan


def build(m, plan, extlen, initial):
    """Run init/append/set_val/finish on a copy of ``initial``; return (trace, buffer)."""
    trace = []
    buf = bytearray(initial)
    cur = m.inet6_opt_init(buf, extlen)
    trace.append(("init", cur))
    if cur == -1:
        cur = 2
    for kind, length, align, data, split in plan:
        end, databuf = m.inet6_opt_append(buf, extlen, cur, kind, length, align)
        trace.append(("append", end, None if databuf is None else len(databuf)))
        if end == -1:
            break
        offset = m.inet6_opt_set_val(databuf, 0, data[:split])
        offset = m.inet6_opt_set_val(databuf, offset, data[split:])
        trace.append(("set_val", offset, m.inet6_opt_set_val(databuf, offset, b"x")))
        trace.append(("get_val", m.inet6_opt_get_val(databuf, 0, length)))
        cur = end
    trace.append(("finish", m.inet6_opt_finish(buf, extlen, cur)))
    return trace, bytes(buf)


def lengths_only(m, plan):
    cur = m.inet6_opt_init(None, 0)
    out = [cur]
    for kind, length, align, _data, _split in plan:
        cur, databuf = m.inet6_opt_append(None, 0, cur, kind, length, align)
        assert databuf is None
        out.append(cur)
    out.append(m.inet6_opt_finish(None, 0, cur))
    return out


def walk(m, buf, extlen, offset=0):
    """Every option inet6_opt_next returns from ``offset`` as (end, type, len, data)."""
    seen = []
    while True:
        end, kind, length, data = m.inet6_opt_next(buf, extlen, offset)
        if end == -1:
            assert (kind, length, data) == (0, 0, None)
            return seen
        assert len(data) == length
        seen.append((end, kind, length, bytes(data)))
        offset = end


@MANY
@given(plan=option_plans(aligned=True), slack=st.integers(-16, 24), fill=st.integers(0, 255),
       lie=st.integers(-8, 8))
def test_build_aligned_options_identical(plan, slack, fill, lie):
    """Options whose len is a multiple of align: identical return values and bytes."""
    needed = lengths_only(pure, plan)
    assert lengths_only(libc, plan) == needed
    extlen = max(0, needed[-1] + slack)
    initial = bytes([fill]) * max(0, extlen + lie)  # a buffer shorter than extlen: a lying extlen
    built_pure = build(pure, plan, extlen, initial)
    assert build(libc, plan, extlen, initial) == built_pure
    trace, data = built_pure
    if trace[-1][1] > 0:
        assert walk(libc, data, trace[-1][1]) == walk(pure, data, trace[-1][1])


@MANY
@given(plan=option_plans(aligned=False))
def test_build_unaligned_options_same_content(plan):
    """Row P1: with len % align != 0 the padding differs, but each builds a header both parse the same."""
    needed_pure = lengths_only(pure, plan)
    needed_libc = lengths_only(libc, plan)
    if all(length % align == 0 for _k, length, align, _d, _s in plan):
        assert needed_libc == needed_pure
    options = [(kind, data) for kind, _length, _align, data, _split in plan]
    for m, needed in ((pure, needed_pure), (libc, needed_libc)):
        extlen = needed[-1]
        trace, data = build(m, plan, extlen, bytes(extlen))
        assert trace[-1] == ("finish", extlen) and extlen % 8 == 0
        for parser in (pure, libc):
            assert [(k, d) for _e, k, _n, d in walk(parser, data, extlen)] == options
        for (end, _kind, length, _d), (_k, _n, align, _dd, _s) in zip(walk(pure, data, extlen), plan):
            # RFC 3542 section 10.2 (pure): the end of each option is aligned; glibc: its data start
            assert (end if m is pure else end - length) % align == 0


@st.composite
def option_headers(draw):
    """Random extension-header bodies made of Pad1, PadN and options, then possibly damaged."""
    body = bytearray(draw(st.binary(min_size=2, max_size=2)))
    for _ in range(draw(st.integers(0, 8))):
        what = draw(st.integers(0, 2))
        if what == 0:
            body.append(0)
        else:
            n = draw(st.integers(0, 12))
            body += bytes([1 if what == 1 else draw(st.integers(2, 255)), n])
            body += draw(st.binary(min_size=n, max_size=n))
    if draw(st.booleans()):
        body.extend(bytes(-len(body) % 8))
    for _ in range(draw(st.integers(0, 3))):  # damage
        if body:
            body[draw(st.integers(0, len(body) - 1))] = draw(st.sampled_from([0, 1, 2, 0x1E, 255]))
    if draw(st.integers(0, 4)) == 0:
        body = body[:draw(st.integers(0, len(body)))]
    return bytes(body)


@MANY
@given(data=option_headers(), extlen_delta=st.integers(-6, 3), offset=st.integers(-3, 40),
       kind=st.integers(2, 255), spare=st.booleans())
def test_parse_identical(data, extlen_delta, offset, kind, spare):
    """inet6_opt_next / find (types 2..255) agree on any bytes, extlen and offset."""
    extlen = max(0, len(data) + extlen_delta)
    buf = data + (b"\x1e" if spare else b"")
    assert walk(libc, buf, extlen) == walk(pure, buf, extlen)
    r_libc, r_pure = libc.inet6_opt_next(buf, extlen, offset), pure.inet6_opt_next(buf, extlen, offset)
    assert r_libc[:3] == r_pure[:3]
    assert (r_libc[3] is None) == (r_pure[3] is None)
    if r_pure[3] is not None:
        assert bytes(r_libc[3]) == bytes(r_pure[3])
    f_libc = libc.inet6_opt_find(buf, extlen, offset, kind)
    f_pure = pure.inet6_opt_find(buf, extlen, offset, kind)
    assert f_libc[:2] == f_pure[:2]
    if f_pure[2] is not None:
        assert bytes(f_libc[2]) == bytes(f_pure[2])
    # row P2: pure never finds padding; glibc may
    assert pure.inet6_opt_find(buf, extlen, offset, 0)[0] == -1
    assert pure.inet6_opt_find(buf, extlen, offset, 1)[0] == -1


@SOME
@given(databuf=st.binary(max_size=40), offset=st.integers(-4, 44), vallen=st.integers(-4, 44),
       val=st.binary(max_size=20))
def test_get_set_val_identical(databuf, offset, vallen, val):
    assert libc.inet6_opt_get_val(databuf, offset, vallen) == pure.inet6_opt_get_val(databuf, offset, vallen)
    a, b = bytearray(databuf), bytearray(databuf)
    assert libc.inet6_opt_set_val(a, offset, val) == pure.inet6_opt_set_val(b, offset, val)
    assert a == b


@SOME
@given(kind=st.sampled_from([-1, 0, 1, 2, 3, 4, 255, 2 ** 31, -(2 ** 33)]),
       segments=st.one_of(st.integers(-2, 130), st.sampled_from([2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 64])),
       size=st.integers(0, 2100), bp_len_delta=st.integers(-8, 8), fill=st.integers(0, 255))
def test_rth_space_init_identical(kind, segments, size, bp_len_delta, fill):
    if kind == 2:  # row P4
        assert libc.inet6_rth_space(kind, segments) == 0
        return
    assert libc.inet6_rth_space(kind, segments) == pure.inet6_rth_space(kind, segments)
    a, b = bytearray([fill]) * size, bytearray([fill]) * size
    bp_len = max(0, size + bp_len_delta)
    r_libc = libc.inet6_rth_init(a, bp_len, kind, segments)
    r_pure = pure.inet6_rth_init(b, bp_len, kind, segments)
    assert (r_libc is None) == (r_pure is None)
    if r_pure is not None:
        assert bytes(r_libc) == bytes(r_pure)
    assert a == b


addresses = st.binary(min_size=16, max_size=16)


@st.composite
def routing_headers(draw):
    kind = draw(st.sampled_from([0, 0, 0, 0, 2, 4, 1, 253]))
    hlen = draw(st.one_of(st.integers(0, 8).map(lambda n: 2 * n), st.integers(0, 20), st.just(255)))
    nseg = hlen // 2
    segleft = draw(st.one_of(st.integers(0, max(nseg, 0)), st.integers(0, 255)))
    head = bytes([draw(st.integers(0, 255)), hlen, kind, segleft]) + draw(st.binary(min_size=4, max_size=4))
    size = max(0, (hlen + 1) * 8 + draw(st.sampled_from([0, 0, 0, 8, 16, -1, -8, -16])))
    tail = b"".join(draw(st.lists(addresses, min_size=20, max_size=20)))
    return (head + tail)[:size] if size <= len(head + tail) else head + tail + bytes(size - len(head + tail))


def documented_rth_row(hdr):
    """Which documented row (if any) lets the two backends differ on this header."""
    if len(hdr) < 8 or (hdr[1] + 1) * 8 > len(hdr):
        return None
    if hdr[2] == 2:
        return "P4"
    if hdr[2] == 0 and hdr[1] % 2:
        return "P6"
    if hdr[2] == 0 and hdr[3] > hdr[1] // 2:
        return "P7"
    return None


@MANY
@given(hdr=routing_headers(), index=st.integers(-2, 130), addr=addresses,
       out_delta=st.sampled_from([0, 0, 8, -8, -1]), fill=st.integers(0, 255))
def test_rth_identical(hdr, index, addr, out_delta, fill):
    """segments/getaddr/add/reverse agree on any header, except rows P4, P6 and P7 (then pure refuses)."""
    row = documented_rth_row(hdr)
    calls = {
        "segments": lambda m, b: m.inet6_rth_segments(b),
        "getaddr": lambda m, b: m.inet6_rth_getaddr(b, index),
    }
    for name, call in calls.items():
        r_libc, r_pure = call(libc, hdr), call(pure, hdr)
        if row is None:
            assert r_libc == r_pure, name
        elif row in ("P6", "P7"):
            assert r_pure in (-1, None)
        else:  # P4: type 2, served by pure; libc refuses
            assert r_libc in (-1, None)
    a, b = bytearray(hdr), bytearray(hdr)
    r_libc, r_pure = libc.inet6_rth_add(a, addr), pure.inet6_rth_add(b, addr)
    if row is None or row == "P7":
        assert (r_libc, a) == (r_pure, b)
    elif row == "P6":
        assert r_pure == -1 and b == bytearray(hdr)
    else:
        assert r_libc == -1 and a == bytearray(hdr)
    out_size = max(0, len(hdr) + out_delta)
    oa, ob = bytearray([fill]) * out_size, bytearray([fill]) * out_size
    r_libc, r_pure = libc.inet6_rth_reverse(hdr, oa), pure.inet6_rth_reverse(hdr, ob)
    if row is None:
        assert (r_libc, oa) == (r_pure, ob)
        a, b = bytearray(hdr), bytearray(hdr)
        assert (libc.inet6_rth_reverse(a, a), a) == (pure.inet6_rth_reverse(b, b), b)
    else:
        assert r_pure == -1 or row == "P4"
        assert ob == bytearray([fill]) * out_size or row == "P4"


@SOME
@given(n=st.integers(0, 127), addrs=st.lists(addresses, min_size=130, max_size=130),
       shift=st.integers(-24, 24))
def test_rth_build_reverse_overlapping_identical(n, addrs, shift):
    """Build with add until full, then reverse into an overlapping window of the same buffer."""
    results = []
    for m in (libc, pure):
        space = m.inet6_rth_space(0, n)
        buf = bytearray(space + 64)
        whole = memoryview(buf)
        region = whole[32:32 + space]
        rth = m.inet6_rth_init(region, space, 0, n)
        adds = [m.inet6_rth_add(rth, a) for a in addrs[:n + 1]]
        segs = m.inet6_rth_segments(region)
        got = [m.inet6_rth_getaddr(region, i) for i in (0, n - 1, n)]
        start = 32 + shift
        rev = m.inet6_rth_reverse(region, whole[start:start + space])
        del rth, region, whole
        results.append((adds, segs, got, rev, bytes(buf)))
    assert results[0] == results[1]
    assert results[1][0] == [0] * n + [-1]
    assert results[1][2][:2] == ([IPv6Address(addrs[0]), IPv6Address(addrs[n - 1])] if n else [None, None])
