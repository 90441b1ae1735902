"""The C-port layer of RFC 3542 (sections 7, 10, 22) on both backends.

``IMPLS`` runs each test on the pure code, on this libc's functions (where
it has them) and on the top-level dispatch, whatever SOCKAPI6_BACKEND says;
the tests marked ``backend`` check the dispatch itself, which honours the
variable (tox runs them under both values).
"""

from __future__ import annotations

import array
import os
import struct
from ipaddress import IPv6Address

import pytest
from rfc3542_walk import walk_options

import sockapi6.rfc3542 as top
from sockapi6._system import binding as _binding
from sockapi6.rfc3542 import IMPLEMENTATIONS, SERVED_BY, libc, pure

NAMES = (
    "inet6_opt_init", "inet6_opt_append", "inet6_opt_finish", "inet6_opt_set_val",
    "inet6_opt_next", "inet6_opt_find", "inet6_opt_get_val",
    "inet6_rth_space", "inet6_rth_init", "inet6_rth_add", "inet6_rth_reverse",
    "inet6_rth_segments", "inet6_rth_getaddr",
)
HAS_LIBC_OPT = hasattr(libc, "inet6_opt_init")
HAS_LIBC_RTH = hasattr(libc, "inet6_rth_space")
no_libc_opt = pytest.mark.skipif(not HAS_LIBC_OPT, reason="this libc has no inet6_opt_* (musl, Windows)")
no_libc_rth = pytest.mark.skipif(not HAS_LIBC_RTH, reason="this libc has no inet6_rth_* (musl, Windows)")

OPT_IMPLS = [
    pytest.param(pure, id="python"),
    pytest.param(libc, id="libc", marks=no_libc_opt),
    pytest.param(top, id="dispatch", marks=pytest.mark.backend),
]
RTH_IMPLS = [
    pytest.param(pure, id="python"),
    pytest.param(libc, id="libc", marks=no_libc_rth),
    pytest.param(top, id="dispatch", marks=pytest.mark.backend),
]
OPT_X, OPT_Y = 0x1E, 0x3E  # action bits 00: skipped if unknown (RFC 8200 section 4.2)


def build_rfc3542_22_1(m, first="X"):
    """RFC 3542 section 22.1, line by line (C's NULL is None); returns (extlen, buffer)."""
    opts = {"X": (OPT_X, 12, 8), "Y": (OPT_Y, 7, 4)}
    order = [opts[first], opts["Y" if first == "X" else "X"]]
    currentlen = m.inet6_opt_init(None, 0)
    assert currentlen != -1
    for kind, length, align in order:
        currentlen, databuf = m.inet6_opt_append(None, 0, currentlen, kind, length, align)
        assert currentlen != -1 and databuf is None
    currentlen = m.inet6_opt_finish(None, 0, currentlen)
    assert currentlen != -1
    extlen = currentlen
    extbuf = bytearray(extlen)
    currentlen = m.inet6_opt_init(extbuf, extlen)
    assert currentlen != -1
    for kind, length, align in order:
        currentlen, databuf = m.inet6_opt_append(extbuf, extlen, currentlen, kind, length, align)
        assert currentlen != -1
        if kind == OPT_X:
            offset = m.inet6_opt_set_val(databuf, 0, struct.pack("!I", 0x12345678))
            offset = m.inet6_opt_set_val(databuf, offset, struct.pack("!Q", 0x0102030405060708))
        else:
            offset = m.inet6_opt_set_val(databuf, 0, b"\x01")
            offset = m.inet6_opt_set_val(databuf, offset, struct.pack("!H", 0x1331))
            offset = m.inet6_opt_set_val(databuf, offset, struct.pack("!I", 0x01020304))
        assert offset == length
    currentlen = m.inet6_opt_finish(extbuf, extlen, currentlen)
    assert currentlen == extlen
    return extlen, extbuf


def parse_rfc3542_22_2(m, extbuf, extlen):
    """RFC 3542 section 22.2: the options and field values print_opt() would print."""
    seen = []
    for _end, kind, length, databuf in walk_options(m, extbuf, extlen):
        if kind == OPT_X:
            offset, v4 = m.inet6_opt_get_val(databuf, 0, 4)
            offset, v8 = m.inet6_opt_get_val(databuf, offset, 8)
            seen.append(("X", length, struct.unpack("!I", v4)[0], struct.unpack("!Q", v8)[0]))
        elif kind == OPT_Y:
            offset, v1 = m.inet6_opt_get_val(databuf, 0, 1)
            offset, v2 = m.inet6_opt_get_val(databuf, offset, 2)
            offset, v4 = m.inet6_opt_get_val(databuf, offset, 4)
            seen.append(("Y", length, v1[0], struct.unpack("!H", v2)[0], struct.unpack("!I", v4)[0]))
        else:
            seen.append(("?", kind))
    return seen


X_FIELDS = ("X", 12, 0x12345678, 0x0102030405060708)
Y_FIELDS = ("Y", 7, 0x01, 0x1331, 0x01020304)
X_DATA = bytes.fromhex("12345678 0102030405060708")
Y_DATA = bytes.fromhex("01 1331 01020304")

# RFC 8200 appendix A, example 3 (the figures the section 22.1 code follows)
RFC8200_X_THEN_Y = (bytes([0, 3, OPT_X, 12]) + X_DATA + bytes([1, 1, 0, OPT_Y, 7]) + Y_DATA
                    + bytes([1, 2, 0, 0]))
RFC8200_Y_THEN_X = (bytes([0, 3, 0, OPT_Y, 7]) + Y_DATA + bytes([1, 4, 0, 0, 0, 0, OPT_X, 12]) + X_DATA)


# ---------------------------------------------------------------- section 22


def test_section_22_pure_builds_rfc8200_appendix_a_bytes():
    """The pure code lays out section 22.1's options exactly as RFC 8200 appendix A draws them."""
    assert build_rfc3542_22_1(pure, "X") == (32, bytearray(RFC8200_X_THEN_Y))
    assert build_rfc3542_22_1(pure, "Y") == (32, bytearray(RFC8200_Y_THEN_X))


@pytest.mark.parametrize("m", OPT_IMPLS)
@pytest.mark.parametrize("first", ["X", "Y"])
def test_section_22_round_trip(m, first):
    """Section 22.1 builds, section 22.2 reads back the same fields, on every backend."""
    extlen, extbuf = build_rfc3542_22_1(m, first)
    assert extlen == 32 and extbuf[1] == 3
    expected = [X_FIELDS, Y_FIELDS] if first == "X" else [Y_FIELDS, X_FIELDS]
    assert parse_rfc3542_22_2(m, extbuf, extlen) == expected


@pytest.mark.parametrize("m", OPT_IMPLS)
@pytest.mark.parametrize("header", [RFC8200_X_THEN_Y, RFC8200_Y_THEN_X], ids=["XY", "YX"])
def test_section_22_2_parses_rfc8200_headers(m, header):
    """Section 22.2's parser reads RFC 8200's example headers on every backend."""
    expected = [X_FIELDS, Y_FIELDS] if header[2] == OPT_X else [Y_FIELDS, X_FIELDS]
    assert parse_rfc3542_22_2(m, header, len(header)) == expected
    assert parse_rfc3542_22_2(m, bytearray(header), len(header)) == expected


# ---------------------------------------------------------------- section 10


@pytest.mark.parametrize("m", OPT_IMPLS)
def test_opt_init(m):
    assert m.inet6_opt_init(None, 0) == 2
    buf = bytearray(b"\xaa" * 24)
    assert m.inet6_opt_init(buf, 24) == 2
    assert buf == bytearray(b"\xaa\x02" + b"\xaa" * 22)  # only the length byte is set
    big = bytearray(2048)
    assert m.inet6_opt_init(big, 2048) == 2 and big[1] == 255
    for extlen in (0, 4, 12, 2056, -8):
        assert m.inet6_opt_init(bytearray(4096), extlen) == -1
    assert m.inet6_opt_init(bytearray(8), 16) == -1  # claims more than the buffer


@pytest.mark.parametrize("m", OPT_IMPLS)
def test_opt_append_aligned_and_databuf_is_a_view_of_the_buffer(m):
    buf = bytearray(16)
    assert m.inet6_opt_init(buf, 16) == 2
    end, databuf = m.inet6_opt_append(buf, 16, 2, 0xC2, 4, 4)  # Jumbo-like: 4n+2
    assert (end, bytes(buf[2:4])) == (8, b"\xc2\x04")
    assert isinstance(databuf, memoryview) and len(databuf) == 4
    databuf[:] = b"\x01\x02\x03\x04"
    assert buf[4:8] == b"\x01\x02\x03\x04"
    assert m.inet6_opt_finish(buf, 16, end) == 8


@pytest.mark.parametrize("m", OPT_IMPLS)
def test_opt_append_error_values(m):
    buf = bytearray(16)
    for kind, length, align in [(0, 4, 1), (1, 4, 1), (256, 4, 1), (5, 256, 1), (5, 4, 3), (5, 4, 0),
                                (5, 4, 16), (5, 3, 4), (5, 0, 1), (-1, 4, 1)]:
        assert m.inet6_opt_append(buf, 16, 2, kind, length, align) == (-1, None), (kind, length, align)
        assert m.inet6_opt_append(None, 0, 2, kind, length, align) == (-1, None)
    for offset in (-10, -1, 0, 1, 15, 17, 2 ** 40):
        assert m.inet6_opt_append(buf, 16, offset, 5, 2, 1) == (-1, None), offset
    assert m.inet6_opt_append(buf, 16, 2, 5, 13, 1) == (-1, None)  # does not fit
    assert m.inet6_opt_append(buf, 64, 2, 5, 13, 1) == (-1, None)  # extlen lies about the buffer
    assert buf == bytearray(16)
    assert m.inet6_opt_append(None, 0, 2, 5, 13, 1) == (17, None)  # NULL: lengths only


@pytest.mark.parametrize("m", OPT_IMPLS)
def test_opt_finish(m):
    assert [m.inet6_opt_finish(None, 0, o) for o in (2, 3, 8, 9, 15)] == [8, 8, 8, 16, 16]
    assert [m.inet6_opt_finish(None, 0, o) for o in (-3, 0, 1)] == [-1, -1, -1]
    buf = bytearray(b"\xaa" * 16)
    assert m.inet6_opt_finish(buf, 16, 3) == 8
    assert buf[3:8] == b"\x01\x03\x00\x00\x00"  # PadN
    assert m.inet6_opt_finish(buf, 16, 15) == 16 and buf[15] == 0  # Pad1
    assert m.inet6_opt_finish(buf, 8, 9) == -1
    assert m.inet6_opt_finish(buf, 24, 9) == -1  # extlen beyond the buffer


@pytest.mark.parametrize("m", OPT_IMPLS)
def test_opt_set_val_get_val_are_bounded_by_databuf(m):
    buf = bytearray(16)
    m.inet6_opt_init(buf, 16)
    _end, databuf = m.inet6_opt_append(buf, 16, 2, 0x1E, 6, 2)
    assert m.inet6_opt_set_val(databuf, 0, b"\x01\x02") == 2
    assert m.inet6_opt_set_val(databuf, 2, memoryview(b"\x03\x04\x05\x06")) == 6
    assert m.inet6_opt_set_val(databuf, 3, b"\x00" * 4) == -1  # would leave the option
    assert m.inet6_opt_set_val(databuf, -1, b"\x00") == -1
    assert m.inet6_opt_set_val(databuf, 6, b"") == 6
    assert m.inet6_opt_get_val(databuf, 0, 6) == (6, b"\x01\x02\x03\x04\x05\x06")
    assert m.inet6_opt_get_val(databuf, 4, 2) == (6, b"\x05\x06")
    assert m.inet6_opt_get_val(databuf, 4, 3) == (-1, b"")
    assert m.inet6_opt_get_val(databuf, -1, 1) == (-1, b"")
    assert m.inet6_opt_get_val(b"\x07\x08", 1, 1) == (2, b"\x08")  # any bytes-like to read


@pytest.mark.parametrize("m", OPT_IMPLS)
def test_opt_next_skips_padding_and_detects_malformed(m):
    hdr = bytes([17, 1, 0, 0x1E, 1, 0xAB, 1, 2, 0, 0, 0x3E, 2, 0xCD, 0xEF, 1, 0])
    end, kind, length, data = m.inet6_opt_next(hdr, 16, 0)
    assert (end, kind, length, bytes(data)) == (6, 0x1E, 1, b"\xab")
    end, kind, length, data = m.inet6_opt_next(hdr, 16, end)
    assert (end, kind, length, bytes(data)) == (14, 0x3E, 2, b"\xcd\xef")
    assert m.inet6_opt_next(hdr, 16, end) == (-1, 0, 0, None)
    assert m.inet6_opt_next(hdr, 16, 1) == (-1, 0, 0, None)
    assert m.inet6_opt_next(hdr, 16, -2) == (-1, 0, 0, None)
    assert m.inet6_opt_next(hdr, 17, 0) == (-1, 0, 0, None)  # extlen beyond the buffer
    assert m.inet6_opt_next(hdr, 12, 6)[0] == -1  # option runs past extlen
    assert m.inet6_opt_next(hdr[:11], 11, 6)[0] == -1  # type byte last, no length byte


@pytest.mark.parametrize("m", OPT_IMPLS)
def test_opt_find(m):
    hdr = bytes([17, 1, 5, 1, 0xAA, 0x1E, 1, 0xBB, 5, 2, 0xCC, 0xDD, 0x3E, 0, 1, 0])
    end, length, data = m.inet6_opt_find(hdr, 16, 0, 5)
    assert (end, length, bytes(data)) == (5, 1, b"\xaa")
    end, length, data = m.inet6_opt_find(hdr, 16, end, 5)
    assert (end, length, bytes(data)) == (12, 2, b"\xcc\xdd")
    assert m.inet6_opt_find(hdr, 16, end, 5) == (-1, 0, None)
    end, length, data = m.inet6_opt_find(hdr, 16, 0, 0x3E)
    assert (end, length, bytes(data)) == (14, 0, b"")
    assert m.inet6_opt_find(hdr, 16, 0, 0x99) == (-1, 0, None)
    assert m.inet6_opt_find(hdr, 16, 0, 256) == (-1, 0, None)


# ----------------------------------------------------------------- section 7


A = [IPv6Address(f"2001:db8::{i:x}") for i in range(1, 128)]


@pytest.mark.parametrize("m", RTH_IMPLS)
def test_rth_type0_build_read_reverse(m):
    assert [m.inet6_rth_space(0, n) for n in (0, 1, 3, 127)] == [8, 24, 56, 2040]
    assert [m.inet6_rth_space(0, n) for n in (-1, 128, 2 ** 40)] == [0, 0, 0]
    buf = bytearray(b"\xaa" * 64)
    rth = m.inet6_rth_init(buf, 64, 0, 3)
    assert isinstance(rth, memoryview) and len(rth) == 56
    assert buf[:8] == b"\x00\x06\x00\x00\x00\x00\x00\x00" and buf[56:] == b"\xaa" * 8
    rth[0] = 17  # next header, as a user would set it
    assert [m.inet6_rth_add(rth, a) for a in (A[0], str(A[1]), A[2].packed)] == [0, 0, 0]
    assert m.inet6_rth_add(rth, A[3]) == -1  # full
    assert buf[3] == 3
    assert m.inet6_rth_segments(rth) == 3 and m.inet6_rth_segments(buf) == 3
    assert [m.inet6_rth_getaddr(buf, i) for i in range(-1, 4)] == [None, A[0], A[1], A[2], None]
    out = bytearray(56)
    assert m.inet6_rth_reverse(rth, out) == 0
    assert out == bytes([17, 6, 0, 3, 0, 0, 0, 0]) + A[2].packed + A[1].packed + A[0].packed
    assert m.inet6_rth_reverse(buf, buf) == 0 and buf[:56] == out  # in place
    assert m.inet6_rth_reverse(bytes(out), bytearray(55)) == -1  # out too small


@pytest.mark.parametrize("m", RTH_IMPLS)
def test_rth_127_segments(m):
    buf = bytearray(m.inet6_rth_space(0, 127))
    rth = m.inet6_rth_init(buf, len(buf), 0, 127)
    assert all(m.inet6_rth_add(rth, a) == 0 for a in A)
    assert m.inet6_rth_add(rth, A[0]) == -1
    assert m.inet6_rth_segments(buf) == 127 and m.inet6_rth_getaddr(buf, 126) == A[126]


@pytest.mark.parametrize("m", RTH_IMPLS)
def test_rth_init_errors(m):
    assert m.inet6_rth_init(bytearray(23), 23, 0, 1) is None
    assert m.inet6_rth_init(bytearray(24), 40, 0, 1) is None  # bp_len lies about the buffer
    assert m.inet6_rth_init(bytearray(64), 64, 0, 128) is None
    assert m.inet6_rth_init(bytearray(64), 64, 5, 1) is None
    assert m.inet6_rth_init(bytearray(64), 64, 4, 1) is None  # SRH: not for inet6_rth_*


@pytest.mark.parametrize("m", [pytest.param(pure, id="python"),
                               pytest.param(top, id="dispatch", marks=pytest.mark.backend)])
def test_rth_type2_rfc4584(m):
    """RFC 4584 section 5.1: type 2, one segment, 24 bytes; reverse refuses it."""
    assert m.inet6_rth_space(2, 1) == 24
    assert [m.inet6_rth_space(2, n) for n in (0, 2, -1)] == [0, 0, 0]
    assert m.inet6_rth_init(bytearray(24), 24, 2, 0) is None
    buf = bytearray(b"\xff" * 24)
    rth = m.inet6_rth_init(buf, 24, 2, 1)
    assert bytes(rth) == bytes([0, 2, 2, 0]) + bytes(20)
    home = IPv6Address("2001:db8:1::99")
    assert m.inet6_rth_add(rth, home) == 0
    assert m.inet6_rth_add(rth, home) == -1
    assert bytes(buf) == bytes([0, 2, 2, 1, 0, 0, 0, 0]) + home.packed
    assert m.inet6_rth_segments(buf) == 1
    assert m.inet6_rth_getaddr(buf, 0) == home and m.inet6_rth_getaddr(buf, 1) is None
    assert m.inet6_rth_reverse(buf, bytearray(24)) == -1
    assert m.inet6_rth_segments(bytes([0, 4, 2, 1]) + bytes(36)) == -1  # type 2 is always 24 bytes


@pytest.mark.backend
def test_dispatch_follows_sockapi6_backend():
    """SOCKAPI6_BACKEND picks the implementation once, at import; type 2 is always served."""
    wanted = os.environ.get("SOCKAPI6_BACKEND", "auto").strip().lower() or "auto"
    expect_libc = wanted != "python"
    assert _binding.backend() == ("libc" if expect_libc else "python")
    for name in NAMES:
        served = "libc" if expect_libc and hasattr(libc, name) else "python"
        assert SERVED_BY[name] == served
        if name.startswith("inet6_opt"):
            assert getattr(top, name) is getattr(IMPLEMENTATIONS[served], name)
        elif served == "python":
            assert getattr(top, name) is getattr(pure, name)
    assert top.inet6_rth_space(2, 1) == 24
    buf = bytearray(24)
    assert top.inet6_rth_add(top.inet6_rth_init(buf, 24, 2, 1), "2001:db8::1") == 0
    assert top.inet6_rth_getaddr(buf, 0) == IPv6Address("2001:db8::1")


@pytest.mark.backend
def test_dispatch_libc_lacks_type2():
    """Why type 2 is routed to the pure code: this libc refuses it (platform_abi.md section 5)."""
    if not HAS_LIBC_RTH:
        pytest.skip("this libc has no inet6_rth_*")
    assert libc.inet6_rth_space(2, 1) == 0
    assert libc.inet6_rth_init(bytearray(24), 24, 2, 1) is None


def test_libc_module_has_only_what_libc_exports():
    for name in NAMES:
        assert hasattr(libc, name) == hasattr(_binding.lib, name)
        assert hasattr(pure, name)
    assert set(libc.__all__) == {n for n in NAMES if hasattr(_binding.lib, n)}


# ------------------------------------------------------------- Python types


@pytest.mark.parametrize("m", OPT_IMPLS)
def test_buffers_of_any_kind(m):
    ffi = _binding.ffi
    for make in (bytearray, lambda n: memoryview(bytearray(n)), lambda n: array.array("B", bytes(n)),
                 lambda n: array.array("I", bytes(n)), lambda n: ffi.buffer(ffi.new("char[]", n))):
        buf = make(16)
        assert m.inet6_opt_init(buf, 16) == 2
        end, databuf = m.inet6_opt_append(buf, 16, 2, 0x1E, 4, 4)
        assert m.inet6_opt_set_val(databuf, 0, b"\x01\x02\x03\x04") == 4
        assert m.inet6_opt_finish(buf, 16, end) == 8
        assert bytes(memoryview(buf).cast("B"))[:8] == bytes([0, 1, 0x1E, 4, 1, 2, 3, 4])
        assert m.inet6_opt_next(buf, 8, 0)[:3] == (8, 0x1E, 4)


@pytest.mark.parametrize("m", OPT_IMPLS)
def test_opt_type_errors(m):
    with pytest.raises(TypeError):
        m.inet6_opt_init(bytes(8), 8)  # never written through
    with pytest.raises(TypeError):
        m.inet6_opt_init(bytearray(8), 8.0)
    with pytest.raises(TypeError):
        m.inet6_opt_init("12345678", 8)
    with pytest.raises(TypeError):
        m.inet6_opt_append(bytes(16), 16, 2, 5, 2, 1)
    with pytest.raises(TypeError):
        m.inet6_opt_append(bytearray(16), 16, 2, "5", 2, 1)
    with pytest.raises(TypeError):
        m.inet6_opt_finish(bytes(8), 8, 2)
    with pytest.raises(TypeError):
        m.inet6_opt_set_val(b"\x00\x00", 0, b"\x01")
    with pytest.raises(TypeError):
        m.inet6_opt_set_val(bytearray(2), 0, 1)
    with pytest.raises(TypeError):
        m.inet6_opt_next(None, 0, 0)
    with pytest.raises(TypeError):
        m.inet6_opt_find([0, 0], 2, 0, 5)
    with pytest.raises(TypeError):
        m.inet6_opt_get_val(None, 0, 1)
    with pytest.raises(TypeError):
        m.inet6_opt_next(memoryview(bytes(16))[::2], 8, 0)  # not contiguous


@pytest.mark.parametrize("m", RTH_IMPLS)
def test_rth_type_errors(m):
    with pytest.raises(TypeError):
        m.inet6_rth_space("0", 1)
    with pytest.raises(TypeError):
        m.inet6_rth_init(bytes(24), 24, 0, 1)
    buf = bytearray(24)
    m.inet6_rth_init(buf, 24, 0, 1)
    with pytest.raises(TypeError):
        m.inet6_rth_add(bytes(buf), A[0])
    with pytest.raises(TypeError):
        m.inet6_rth_add(buf, 42)
    with pytest.raises(TypeError):
        m.inet6_rth_add(buf, None)
    with pytest.raises(TypeError):  # C could not pass these where a struct in6_addr * goes
        m.inet6_rth_add(buf, "not an address")
    with pytest.raises(TypeError):
        m.inet6_rth_add(buf, "1.2.3.4")
    with pytest.raises(TypeError):
        m.inet6_rth_add(buf, b"\x00" * 15)
    with pytest.raises(TypeError):
        m.inet6_rth_reverse(buf, bytes(24))
    with pytest.raises(TypeError):
        m.inet6_rth_segments(None)
    with pytest.raises(TypeError):
        m.inet6_rth_getaddr(buf, 0.0)
    assert buf == bytes([0, 2, 0, 0]) + bytes(20)
    assert m.inet6_rth_add(buf, "fe80::1%1") == 0  # the scope is no part of an in6_addr
    assert m.inet6_rth_getaddr(bytes(buf), 0) == IPv6Address("fe80::1")


def test_no_pointer_kept_bytearray_resizes_after_calls():
    """Nothing holds the caller's buffer after a call returns (design rule 3)."""
    for m in [pure] + ([libc] if HAS_LIBC_OPT and HAS_LIBC_RTH else []):
        buf = bytearray(16)
        m.inet6_opt_init(buf, 16)
        m.inet6_opt_next(buf, 16, 0)
        m.inet6_rth_segments(buf)
        buf.extend(b"\x00" * 4096)  # BufferError if an export were still alive
        buf2 = bytearray(24)
        m.inet6_rth_add(m.inet6_rth_init(buf2, 24, 0, 1), A[0])
        m.inet6_rth_getaddr(buf2, 0)
        del buf2[:]
