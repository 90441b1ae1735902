"""One test per row of docs/platform-differences.md (the C-port layer): this machine's behaviour, pinned.

Rows are named P1, P2, ... as in the document.  Where this libc has no
``inet6_opt_*`` / ``inet6_rth_*`` (musl, Windows) the libc half of a row is
skipped and the pure half still runs.
"""

from __future__ import annotations

import struct
from ipaddress import IPv6Address

import pytest

import sockapi6.rfc3542 as top
from sockapi6._system import binding as _binding
from sockapi6.rfc3542 import SERVED_BY, libc, pure

GLIBC = _binding.PLATFORM == "linux_glibc"
glibc_only = pytest.mark.skipif(not GLIBC, reason="pins glibc's behaviour; this is " + _binding.PLATFORM)
A1, A2, A3 = (IPv6Address(f"2001:db8::{i}") for i in (1, 2, 3))


def rth0(hlen, segleft, addresses, nxt=17, reserved=b"\x00" * 4):
    return bytearray(bytes([nxt, hlen, 0, segleft]) + reserved + b"".join(a.packed for a in addresses))


@glibc_only
def test_p1_append_padding_when_len_is_not_a_multiple_of_align():
    """P1: glibc aligns the start of the data; the RFC (and pure) the end of the option."""
    g, p = bytearray(16), bytearray(16)
    end, data = libc.inet6_opt_append(g, 16, 2, 0x1E, 3, 2)
    assert (end, len(data), g[:7].hex()) == (7, 3, "00001e03000000")  # data at 4, no pad
    assert libc.inet6_opt_append(None, 0, 2, 0x1E, 3, 2) == (7, None)
    end, data = pure.inet6_opt_append(p, 16, 2, 0x1E, 3, 2)
    assert (end, len(data), p[:8].hex()) == (8, 3, "0000001e03000000")  # Pad1, data at 5, end 8
    assert pure.inet6_opt_append(None, 0, 2, 0x1E, 3, 2) == (8, None)
    # RFC 3542 section 22.1's own example (X: len 12 align 8, then Y: len 7 align 4)
    assert libc.inet6_opt_append(None, 0, 2, 0x1E, 12, 8) == (20, None)
    assert pure.inet6_opt_append(None, 0, 2, 0x1E, 12, 8) == (16, None)
    assert libc.inet6_opt_append(None, 0, 20, 0x3E, 7, 4) == (31, None)
    assert pure.inet6_opt_append(None, 0, 16, 0x3E, 7, 4) == (28, None)
    # when len % align == 0 both agree
    assert libc.inet6_opt_append(None, 0, 2, 0x1E, 8, 8) == pure.inet6_opt_append(None, 0, 2, 0x1E, 8, 8) == (
        16, None)


@glibc_only
def test_p2_find_padding_types():
    """P2: glibc's inet6_opt_find returns Pad1/PadN when asked for type 0/1; pure never does."""
    hdr = bytes([0, 0, 0x1E, 2, 0xAA, 0xBB, 1, 0])
    assert libc.inet6_opt_find(hdr, 8, 0, 1)[:2] == (8, 0)
    hdr1 = bytes([0, 0, 0, 0, 0x1E, 0, 0, 0])
    end, length, data = libc.inet6_opt_find(hdr1, 8, 0, 0)
    assert (end, length, len(data)) == (3, 0, 0)
    assert pure.inet6_opt_find(hdr, 8, 0, 1) == (-1, 0, None)
    assert pure.inet6_opt_find(hdr1, 8, 0, 0) == (-1, 0, None)
    # inet6_opt_next skips padding on both
    assert libc.inet6_opt_next(hdr, 8, 6)[0] == pure.inet6_opt_next(hdr, 8, 6)[0] == -1


def test_p3_opt_init_null():
    """P3: inet6_opt_init(NULL, 0) is 2 here on both (macOS returns -1: from sources, not run here)."""
    assert pure.inet6_opt_init(None, 0) == 2
    if hasattr(libc, "inet6_opt_init"):
        assert libc.inet6_opt_init(None, 0) == 2
        assert libc.inet6_opt_init(None, 8) == pure.inet6_opt_init(None, 8) == 2


@pytest.mark.backend
def test_p4_type2_routing_header():
    """P4: libc refuses type 2; pure serves it, and so does the dispatch under either backend."""
    if hasattr(libc, "inet6_rth_space"):
        assert libc.inet6_rth_space(2, 1) == 0
        assert libc.inet6_rth_init(bytearray(24), 24, 2, 1) is None
        hdr = bytearray(bytes([0, 2, 2, 0]) + bytes(20))
        assert libc.inet6_rth_add(hdr, A1) == -1
        hdr[3] = 1
        assert libc.inet6_rth_segments(hdr) == -1 and libc.inet6_rth_getaddr(hdr, 0) is None
    assert pure.inet6_rth_space(2, 1) == top.inet6_rth_space(2, 1) == 24
    hdr = bytearray(24)
    assert top.inet6_rth_add(top.inet6_rth_init(hdr, 24, 2, 1), A1) == 0
    assert top.inet6_rth_segments(hdr) == 1 and top.inet6_rth_getaddr(hdr, 0) == A1
    assert top.inet6_rth_reverse(hdr, bytearray(24)) == pure.inet6_rth_reverse(hdr, bytearray(24)) == -1


@pytest.mark.parametrize("m", [pure, top] + ([libc] if hasattr(libc, "inet6_rth_space") else []))
def test_p5_type4_srh_not_handled(m):
    """P5: no inet6_rth_* handles the Segment Routing Header (RFC 8754); pure answers as C does."""
    assert m.inet6_rth_space(4, 1) == 0
    assert m.inet6_rth_init(bytearray(64), 64, 4, 1) is None
    # a valid SRH: 1 segment, last_entry 0, flags 0, tag 0
    srh = bytearray(bytes([41, 2, 4, 1, 0, 0, 0, 0]) + A1.packed)
    assert m.inet6_rth_segments(srh) == -1
    assert m.inet6_rth_getaddr(srh, 0) is None
    assert m.inet6_rth_add(srh, A2) == -1
    assert m.inet6_rth_reverse(srh, bytearray(24)) == -1
    assert bytes(srh) == bytes([41, 2, 4, 1, 0, 0, 0, 0]) + A1.packed


@glibc_only
def test_p6_type0_odd_length_byte():
    """P6: glibc reads a type 0 header with an odd length byte as floor(len/2) addresses; pure refuses it."""
    hdr = rth0(3, 0, [A1, A2])  # 32 bytes: the length byte says 3 (1.5 addresses)
    assert libc.inet6_rth_segments(hdr) == 1
    assert libc.inet6_rth_getaddr(hdr, 0) == A1 and libc.inet6_rth_getaddr(hdr, 1) is None
    out = bytearray(32)
    assert libc.inet6_rth_reverse(hdr, out) == 0 and out[:24] == bytes([17, 3, 0, 1, 0, 0, 0, 0]) + A1.packed
    assert libc.inet6_rth_add(hdr, A3) == 0 and hdr[3] == 1
    hdr = rth0(3, 0, [A1, A2])
    assert pure.inet6_rth_segments(hdr) == -1
    assert pure.inet6_rth_getaddr(hdr, 0) is None
    assert pure.inet6_rth_reverse(hdr, bytearray(32)) == -1
    assert pure.inet6_rth_add(hdr, A3) == -1


@glibc_only
def test_p7_type0_segleft_above_segments():
    """P7: glibc ignores a segments-left byte above the address count; pure refuses the header."""
    hdr = rth0(4, 5, [A1, A2])
    assert libc.inet6_rth_segments(hdr) == 2
    assert libc.inet6_rth_getaddr(hdr, 1) == A2
    out = bytearray(40)
    assert libc.inet6_rth_reverse(hdr, out) == 0 and out[3] == 2
    assert pure.inet6_rth_segments(hdr) == -1
    assert pure.inet6_rth_getaddr(hdr, 1) is None
    assert pure.inet6_rth_reverse(hdr, bytearray(40)) == -1
    # adding is refused by both (and guarded: raw glibc would write past the header)
    assert libc.inet6_rth_add(hdr, A3) == pure.inet6_rth_add(hdr, A3) == -1


@pytest.mark.parametrize("m", [pure] + ([libc] if hasattr(libc, "inet6_rth_init") else []))
def test_p8_rth_init_zeroes_only_the_header(m):
    """P8: inet6_rth_init zeroes inet6_rth_space() bytes, not all of bp_len (KAME: all; from sources)."""
    buf = bytearray(b"\xee" * 64)
    assert len(m.inet6_rth_init(buf, 64, 0, 1)) == 24
    assert buf == bytes([0, 2, 0, 0]) + bytes(20) + b"\xee" * 40


@pytest.mark.parametrize("m", [pure] + ([libc] if hasattr(libc, "inet6_rth_reverse") else []))
def test_p9_reverse_copies_next_header_and_reserved(m):
    """P9: reverse copies next header and the reserved bytes, sets segleft to the count (illumos differs)."""
    hdr = rth0(4, 1, [A1, A2], nxt=58, reserved=b"\x01\x02\x03\x04")
    out = bytearray(b"\xcc" * 48)
    assert m.inet6_rth_reverse(hdr, out) == 0
    assert out == bytes([58, 4, 0, 2, 1, 2, 3, 4]) + A2.packed + A1.packed + b"\xcc" * 8


@pytest.mark.parametrize("m", [pure] + ([libc] if hasattr(libc, "inet6_opt_append") else []))
def test_p10_append_ranges(m):
    """P10: type 2..255, len 0..255, align 1/2/4/8 and not above len (so len 0 is refused) on both."""
    assert m.inet6_opt_append(None, 0, 2, 5, 0, 1) == (-1, None)
    assert m.inet6_opt_append(None, 0, 2, 5, 1, 1) == (5, None)
    assert m.inet6_opt_append(None, 0, 2, 5, 3, 4) == (-1, None)
    assert m.inet6_opt_append(None, 0, 2, 1, 3, 1) == (-1, None)
    assert m.inet6_opt_append(None, 0, 2, 255, 255, 8) != (-1, None)
    assert m.inet6_opt_append(None, 0, 3, 5, 1, 1) == (6, None)  # any offset >= 2, even odd


@pytest.mark.parametrize("m", [pure] + ([libc] if hasattr(libc, "inet6_opt_next") else []))
def test_p11_extlen_multiple_of_8_only_for_init(m):
    """P11: only inet6_opt_init needs extlen % 8 == 0; append/finish/next take any (KAME's next: no)."""
    assert m.inet6_opt_init(bytearray(12), 12) == -1
    assert m.inet6_opt_append(bytearray(12), 12, 2, 0x1E, 4, 1)[0] == 8
    assert m.inet6_opt_finish(bytearray(12), 12, 3) == 8
    assert m.inet6_opt_next(bytes([0, 0, 0x1E, 1, 9, 0, 0]), 7, 0)[:3] == (5, 0x1E, 1)


@pytest.mark.parametrize("m", [pure] + ([libc] if hasattr(libc, "inet6_rth_space") else []))
def test_p12_rth_segment_range(m):
    """P12: 0..127 segments for type 0 (NetBSD/OpenBSD do not check: from sources)."""
    assert m.inet6_rth_space(0, 127) == 2040
    assert m.inet6_rth_space(0, 128) == m.inet6_rth_space(0, -1) == 0
    assert m.inet6_rth_init(bytearray(4096), 4096, 0, 128) is None


@pytest.mark.parametrize("m", [pure] + ([libc] if hasattr(libc, "inet6_opt_init") else []))
def test_p13_opt_init_largest_header(m):
    """P13: extlen up to 2048 (length byte 255); 2056 is refused by both."""
    assert m.inet6_opt_init(bytearray(2048), 2048) == 2
    assert m.inet6_opt_init(bytearray(2056), 2056) == -1


@pytest.mark.parametrize("m", [pure] + ([libc] if hasattr(libc, "inet6_opt_finish") else []))
def test_p14_guarded_inputs_get_c_error_values(m):
    """P14: inputs raw glibc mishandles (section 6) get the error value from both backends."""
    assert m.inet6_opt_finish(None, 0, -3) == -1  # raw glibc: 0
    assert m.inet6_opt_append(bytearray(16), 16, -10, 5, 20, 1) == (-1, None)  # raw: writes before
    assert m.inet6_opt_next(bytes([0, 0, 0x1E, 0, 0x1E]), 5, 4) == (-1, 0, 0, None)  # raw: 1-byte over-read
    assert m.inet6_rth_add(rth0(2, 5, [A1]), A2) == -1  # raw: writes at byte 88
    assert m.inet6_rth_getaddr(rth0(254, 0, [A1]), 100) is None  # length byte lies
    assert m.inet6_opt_set_val(bytearray(2), 1, b"\x00\x00") == -1


def test_p15_served_by_table_is_consistent():
    """P15: musl/bionic/Windows have none of the 13: SERVED_BY then says python everywhere."""
    for name, who in SERVED_BY.items():
        assert who in ("libc", "python")
        if not hasattr(_binding.lib, name):
            assert who == "python"


def test_struct_helpers_agree_with_section_22_fields():
    """The values section 22 stores come back through struct in network order on both backends."""
    for m in [pure] + ([libc] if hasattr(libc, "inet6_opt_append") else []):
        buf = bytearray(16)
        m.inet6_opt_init(buf, 16)
        end, data = m.inet6_opt_append(buf, 16, 2, 0x1E, 4, 4)
        m.inet6_opt_set_val(data, 0, struct.pack("!I", 0xDEADBEEF))
        assert struct.unpack_from("!I", buf, end - 4)[0] == 0xDEADBEEF
