"""Differential test: this libc's RFC 2292 ``inet6_option_*`` against the pure code, byte for byte.

Hypothesis builds option objects step by step (init, append/alloc with
random alignments) on both implementations and compares every return value
and the whole buffer; then walks well-formed and mutated objects with
next/find on both.  The differences allowed are the rows R1-R4 of
docs/platform-differences.md, each expected explicitly:

* R1: glibc pads ``(-off) % multx + plusy`` bytes before an option, not
  reduced modulo ``multx``; the RFC (and KAME) place it at the first
  ``x*n + y`` offset.  The option lands ``multx`` bytes later in glibc.
* R2: at the end of the options glibc's ``next`` leaves ``*tptrp`` at the
  end of the header; the RFC sets it to NULL.
* R3: glibc's ``find`` leaves ``*tptrp`` unchanged when nothing matches;
  the RFC sets it to NULL.
* R4: on a malformed option glibc's ``find`` leaves ``*tptrp`` unchanged;
  the pure code points it at the malformed option (the RFC: "not NULL").
"""

from __future__ import annotations

import pytest
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sockapi6
from sockapi6.rfc2292 import libc, pure
from sockapi6.rfc2292._cmsg import HDR, read_header

pytestmark = [
    pytest.mark.backend,
    pytest.mark.skipif(not hasattr(libc, "inet6_option_init"), reason="this libc has no inet6_option_*"),
]

MANY = settings(max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
DST = sockapi6.lib.IPV6_DSTOPTS if hasattr(sockapi6.lib, "IPV6_DSTOPTS") else 0
MULTX = st.sampled_from([1, 2, 4, 8])


@st.composite
def steps(draw: st.DrawFn) -> list[tuple[str, int, int, int, bytes]]:
    out = []
    for _ in range(draw(st.integers(0, 6))):
        multx = draw(MULTX)
        plusy = draw(st.integers(0, 7))
        kind = draw(st.integers(0, 255))
        length = draw(st.integers(0, 40))
        data = bytes([kind]) if kind == 0 else bytes([kind, length]) + draw(st.binary(min_size=length,
                                                                                    max_size=length))
        out.append((draw(st.sampled_from(["append", "alloc"])), multx, plusy, kind, data))
    return out


def _used(buf: bytearray) -> int:
    header = read_header(memoryview(buf))
    assert header is not None
    return header[0] - HDR or 2


@MANY
@given(steps(), st.integers(HDR, HDR + 400))
def test_building_matches_glibc_except_r1(plan: list[tuple[str, int, int, int, bytes]], size: int) -> None:
    bufs = {m: bytearray(size) for m in ("libc", "pure")}
    assert libc.inet6_option_init(bufs["libc"], DST)[0] == pure.inet6_option_init(bufs["pure"], DST)[0] == 0
    for call, multx, plusy, _kind, data in plan:
        used = _used(bufs["pure"])
        r1 = (-used) % multx + plusy >= multx
        if call == "append":
            got_libc = libc.inet6_option_append(bufs["libc"], data, multx, plusy)
            got_pure = pure.inet6_option_append(bufs["pure"], data, multx, plusy)
        else:
            view_libc = libc.inet6_option_alloc(bufs["libc"], len(data), multx, plusy)
            view_pure = pure.inet6_option_alloc(bufs["pure"], len(data), multx, plusy)
            got_libc = -1 if view_libc is None else 0
            got_pure = -1 if view_pure is None else 0
            if view_libc is not None:
                view_libc[:] = data
            if view_pure is not None:
                view_pure[:] = data
        if r1:
            # R1: glibc may need multx more bytes; where both fit, the option is multx further on
            if got_libc == got_pure == 0:
                end_libc, end_pure = _used(bufs["libc"]), _used(bufs["pure"])
                assert end_libc >= end_pure
                assert bufs["libc"].find(data, HDR) >= 0
            return
        assert got_libc == got_pure, (call, multx, plusy, data)
        assert bufs["libc"] == bufs["pure"]


@st.composite
def objects(draw: st.DrawFn) -> bytearray:
    """A well-formed options object built by the pure code, sometimes mutated afterwards."""
    buf = bytearray(HDR + 256)
    pure.inet6_option_init(buf, DST)
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.integers(0, 255))
        length = draw(st.integers(0, 20))
        data = bytes([kind]) if kind == 0 else bytes([kind, length]) + bytes(length)
        multx = draw(MULTX)
        pure.inet6_option_append(buf, data, multx, draw(st.integers(0, multx - 1)))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(buf) - 1))
        buf[at] = draw(st.integers(0, 255))
    return buf


def _end(buf: bytearray) -> int:
    return HDR + (buf[HDR + 1] + 1) * 8


@MANY
@given(objects())
def test_next_matches_glibc_except_r2(buf: bytearray) -> None:
    tptr_libc = tptr_pure = None
    for _ in range(300):
        rc_libc, tptr_libc = libc.inet6_option_next(buf, tptr_libc)
        rc_pure, tptr_pure = pure.inet6_option_next(buf, tptr_pure)
        assert rc_libc == rc_pure
        if rc_pure == -1:
            if tptr_pure is None and tptr_libc is not None:
                assert tptr_libc == _end(buf)          # R2
            else:
                assert tptr_libc == tptr_pure
            return
        assert tptr_libc == tptr_pure


@MANY
@given(objects(), st.integers(0, 255))
def test_find_matches_glibc_except_r3_r4(buf: bytearray, kind: int) -> None:
    tptr_libc = tptr_pure = None
    for _ in range(300):
        before = tptr_pure
        rc_libc, tptr_libc = libc.inet6_option_find(buf, tptr_libc, kind)
        rc_pure, tptr_pure = pure.inet6_option_find(buf, tptr_pure, kind)
        assert rc_libc == rc_pure
        if rc_pure == -1:
            if tptr_libc != tptr_pure:
                assert tptr_libc == before                 # R3 (none found) / R4 (malformed option)
            return
        assert tptr_libc == tptr_pure


@settings(max_examples=examples(500), deadline=None)
@given(st.binary(max_size=HDR + 64), st.one_of(st.none(), st.integers(-4, HDR + 80)), st.integers(0, 255))
def test_garbage_never_crashes_and_agrees(data: bytes, tptr: int | None, kind: int) -> None:
    for rc_libc, rc_pure in ((libc.inet6_option_next(data, tptr)[0], pure.inet6_option_next(data, tptr)[0]),
                             (libc.inet6_option_find(data, tptr, kind)[0],
                              pure.inet6_option_find(data, tptr, kind)[0])):
        assert rc_libc == rc_pure


@settings(max_examples=examples(300), deadline=None)
@given(st.integers(-10, 5000))
def test_space_matches_glibc(nbytes: int) -> None:
    assert libc.inet6_option_space(nbytes) == pure.inet6_option_space(nbytes)


@settings(max_examples=examples(500), deadline=None)
@given(st.integers(0, 120), st.integers(0, 100), st.integers(-2, 10), st.integers(-2, 10))
def test_growth_past_the_buffer_is_refused_and_views_are_slices(size: int, datalen: int, multx: int,
                                                               plusy: int) -> None:
    for impl in (libc, pure):
        buf = bytearray(HDR + size)
        impl.inet6_option_init(buf, DST)
        before = bytes(buf)
        view = impl.inet6_option_alloc(buf, datalen, multx, plusy)
        if view is None:
            assert bytes(buf) == before          # nothing written when it does not fit or is refused
        else:
            assert view.obj is buf and len(view) == datalen
            header = read_header(memoryview(buf))
            assert header is not None and header[0] <= len(buf)
