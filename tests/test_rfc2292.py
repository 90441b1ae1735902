"""RFC 2292 sections 6.3 and 8 against the RFC's own examples, and the BSD headers' constants.

The pure code must reproduce RFC 2292 section 6.3.7 (options X, 8n+2, and
Y, 4n+3, in one Hop-by-Hop object) and section 8.9 (a type 0 routing
header through I1, I2, I3), with this OS's ``cmsghdr`` in place of the
RFC's 12-byte 32-bit one.  glibc's placement of option X differs (R1 of
docs/platform-differences.md) and is pinned here too.
"""

from __future__ import annotations

import struct
from ipaddress import IPv6Address

import pytest

import sockapi6
from sockapi6 import CMSG_LEN, CMSG_SPACE
from sockapi6._system.binding import abi_module
from sockapi6.rfc2292 import SERVED_BY, libc, pure
from sockapi6.rfc2292._cmsg import HDR, read_header

HOP = sockapi6.IPV6_HOPOPTS
RTHDR = sockapi6.IPV6_RTHDR
LOOSE, STRICT = sockapi6.IPV6_RTHDR_LOOSE, sockapi6.IPV6_RTHDR_STRICT
X = bytes([0x3E, 12]) + struct.pack("!IQ", 0x01020304, 0x1112131415161718)    # RFC 1883 appendix A option X
Y = bytes([0x3F, 7, 0xAA]) + struct.pack("!HI", 0xBBBB, 0xCCCCCCCC)             # option Y
I1, I2, I3 = (IPv6Address(f"2001:db8::{i}") for i in (1, 2, 3))

implementations = [pytest.param(pure, id="pure"),
                   pytest.param(sockapi6, id="dispatch", marks=pytest.mark.backend)]


def test_top_level_names_are_the_c_names() -> None:
    for name in SERVED_BY:
        assert callable(getattr(sockapi6, name))
    assert all(SERVED_BY[n] == "python" for n in SERVED_BY if n.startswith("inet6_rthdr_"))


def test_option_space_counts_the_cmsghdr_and_pads_to_8() -> None:
    assert pure.inet6_option_space(len(X) + 2 + len(Y) + 3) == CMSG_SPACE(32)
    assert pure.inet6_option_space(0) == CMSG_SPACE(8)
    assert pure.inet6_option_space(6) == CMSG_SPACE(8)
    assert pure.inet6_option_space(7) == CMSG_SPACE(16)
    assert pure.inet6_option_space(-1) == -1


def test_section_6_3_7_example_byte_for_byte() -> None:
    buf = bytearray(pure.inet6_option_space(2 + len(X) + 3 + len(Y)))
    rc, cmsg = pure.inet6_option_init(buf, HOP)
    assert rc == 0 and cmsg is not None and cmsg.obj is buf
    assert read_header(memoryview(buf)) == (CMSG_LEN(0), sockapi6.IPPROTO_IPV6, HOP)
    assert pure.inet6_option_append(buf, X, 8, 2) == 0
    # "cmsg_len is incremented by 16"; X sits right after the 2 header bytes, Hdr Ext Len 1
    assert read_header(memoryview(buf))[0] == CMSG_LEN(16)
    assert buf[HDR + 1] == 1 and buf[HDR + 2:HDR + 16] == X
    assert pure.inet6_option_append(buf, Y, 4, 3) == 0
    # the RFC's figure: PadN of 3 (4n+3 at offset 19), Y, then PadN of 4: cmsg_len 12 + 32 = 44 there
    assert read_header(memoryview(buf))[0] == CMSG_LEN(32)
    assert buf[HDR + 1] == 3
    assert buf[HDR + 16:HDR + 19] == b"\x01\x01\x00"
    assert buf[HDR + 19:HDR + 28] == Y
    assert buf[HDR + 28:HDR + 32] == b"\x01\x02\x00\x00"
    # walking it back: next returns pads too; find skips to the type asked for
    walked = []
    tptr = None
    while True:
        rc, tptr = pure.inet6_option_next(buf, tptr)
        if rc == -1:
            break
        walked.append(buf[tptr])
    assert walked == [0x3E, 1, 0x3F, 1]
    assert tptr is None                                        # no more options: NULL (section 6.3.5)
    assert pure.inet6_option_find(buf, None, 0x3F) == (0, HDR + 19)
    assert pure.inet6_option_find(buf, HDR + 19, 0x3F) == (-1, None)


@pytest.mark.skipif(not hasattr(libc, "inet6_option_append"), reason="this libc has no inet6_option_*")
def test_glibc_places_option_x_a_whole_multx_later_r1() -> None:
    buf = bytearray(HDR + 64)
    libc.inet6_option_init(buf, HOP)
    assert libc.inet6_option_append(buf, X, 8, 2) == 0
    assert buf[HDR + 2:HDR + 10] == b"\x01\x06" + bytes(6)       # 8 bytes of PadN before X
    assert buf[HDR + 10:HDR + 24] == X


@pytest.mark.skipif(not hasattr(sockapi6, "IPV6_2292HOPOPTS"), reason="no RFC 2292 numbers on this OS")
def test_rfc_2292_cmsg_numbers_work_in_pure_code_r8() -> None:
    # pim6sd calls inet6_option_init(..., IPV6_2292HOPOPTS) on Linux; glibc refuses that number
    buf = bytearray(HDR + 16)
    assert pure.inet6_option_init(buf, sockapi6.IPV6_2292HOPOPTS)[0] == 0
    assert pure.inet6_option_append(buf, b"\x05\x02\x00\x00", 2, 0) == 0      # Router Alert, MLD
    assert pure.inet6_option_find(buf, None, 5) == (0, HDR + 2)
    if hasattr(libc, "inet6_option_init"):
        assert libc.inet6_option_init(bytearray(HDR + 16), sockapi6.IPV6_2292HOPOPTS) == (-1, None)


@pytest.mark.parametrize("m", implementations)
def test_option_calls_refuse_bad_arguments(m: object) -> None:
    buf = bytearray(HDR + 8)
    assert m.inet6_option_init(buf, RTHDR) == (-1, None)               # type: ignore[attr-defined]
    assert m.inet6_option_init(bytearray(HDR - 1), HOP) == (-1, None)  # type: ignore[attr-defined]
    assert m.inet6_option_init(buf, HOP)[0] == 0                       # type: ignore[attr-defined]
    assert m.inet6_option_append(buf, X, 3, 0) == -1                   # type: ignore[attr-defined]
    assert m.inet6_option_append(buf, X, 8, 8) == -1                   # type: ignore[attr-defined]
    assert m.inet6_option_append(buf, X[:5], 8, 2) == -1               # shorter than its length byte says
    assert m.inet6_option_append(buf, X, 8, 2) == -1                   # does not fit in HDR + 8 bytes
    assert read_header(memoryview(buf))[0] == CMSG_LEN(0)              # and nothing was written
    assert m.inet6_option_alloc(buf, 4, 1, 0) is not None              # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        m.inet6_option_init(bytes(HDR + 16), HOP)                      # type: ignore[attr-defined]


def _rthdr_example() -> bytearray:
    buf = bytearray(sockapi6.inet6_rthdr_space(0, 3))
    assert sockapi6.inet6_rthdr_init(buf, 0) is not None
    for address in (I1, I2, I3):
        assert sockapi6.inet6_rthdr_add(buf, address, LOOSE) == 0
    assert sockapi6.inet6_rthdr_lasthop(buf, LOOSE) == 0
    return buf


def test_section_8_9_example() -> None:
    # "inet6_rthdr_space(3) returns 68: 12 bytes for the cmsghdr structure and 56 for the Routing header"
    assert sockapi6.inet6_rthdr_space(0, 3) == CMSG_SPACE(56)
    buf = bytearray(sockapi6.inet6_rthdr_space(0, 3))
    sockapi6.inet6_rthdr_init(buf, 0)
    # after init: cmsg_len = header + 8 (the RFC's 20), Hdr Ext Len 0, type 0, Segments Left 0
    assert read_header(memoryview(buf)) == (CMSG_LEN(8), sockapi6.IPPROTO_IPV6, RTHDR)
    assert buf[HDR:HDR + 8] == bytes(8)
    buf = _rthdr_example()
    assert read_header(memoryview(buf))[0] == CMSG_LEN(56)
    assert buf[HDR + 1] == 6 and buf[HDR + 2] == 0 and buf[HDR + 3] == 3
    assert buf[HDR + 8:HDR + 56] == I1.packed + I2.packed + I3.packed
    assert sockapi6.inet6_rthdr_segments(buf) == 3
    assert [sockapi6.inet6_rthdr_getaddr(buf, i) for i in (1, 2, 3)] == [I1, I2, I3]
    assert sockapi6.inet6_rthdr_getaddr(buf, 0) is None and sockapi6.inet6_rthdr_getaddr(buf, 4) is None
    assert [sockapi6.inet6_rthdr_getflags(buf, i) for i in range(5)] == [LOOSE] * 4 + [-1]
    # reversed: I3, I2, I1 (in place allowed)
    assert sockapi6.inet6_rthdr_reverse(buf, buf) == 0
    assert [sockapi6.inet6_rthdr_getaddr(buf, i) for i in (1, 2, 3)] == [I3, I2, I1]
    out = bytearray(len(buf))
    assert sockapi6.inet6_rthdr_reverse(buf, out) == 0 and bytes(out) == bytes(_rthdr_example())


def test_rthdr_limits_follow_the_rfc_and_kame() -> None:
    assert sockapi6.inet6_rthdr_space(0, 0) == 0
    assert sockapi6.inet6_rthdr_space(0, 23) == CMSG_SPACE(8 + 16 * 23)
    assert sockapi6.inet6_rthdr_space(0, 24) == 0
    assert sockapi6.inet6_rthdr_space(2, 1) == 0                  # only type 0 in RFC 2292
    assert sockapi6.inet6_rthdr_init(bytearray(64), 2) is None
    assert sockapi6.inet6_rthdr_init(bytearray(CMSG_LEN(8) - 1), 0) is None
    buf = bytearray(sockapi6.inet6_rthdr_space(0, 23) + 16)
    sockapi6.inet6_rthdr_init(buf, 0)
    assert sockapi6.inet6_rthdr_add(buf, I1, STRICT) == -1        # no Strict/Loose bit map since RFC 2460
    assert sockapi6.inet6_rthdr_lasthop(buf, STRICT) == -1
    assert sockapi6.inet6_rthdr_add(buf, I1, 7) == -1
    for _ in range(23):
        assert sockapi6.inet6_rthdr_add(buf, I1, LOOSE) == 0
    assert sockapi6.inet6_rthdr_add(buf, I1, LOOSE) == -1         # 23 addresses at most
    small = bytearray(sockapi6.inet6_rthdr_space(0, 1))
    sockapi6.inet6_rthdr_init(small, 0)
    assert sockapi6.inet6_rthdr_add(small, I1, LOOSE) == 0
    room = len(small) - CMSG_LEN(24)
    if room < 16:
        assert sockapi6.inet6_rthdr_add(small, I2, LOOSE) == -1   # no room: refused, nothing written
    bad = bytearray(_rthdr_example())
    bad[HDR + 1] = 5                                              # odd Hdr Ext Len
    assert sockapi6.inet6_rthdr_segments(bad) == -1
    assert sockapi6.inet6_rthdr_getaddr(bad, 1) is None
    assert sockapi6.inet6_rthdr_reverse(bad, bytearray(len(bad))) == -1
    assert sockapi6.inet6_rthdr_segments(bytes(_rthdr_example())[:CMSG_LEN(40)]) == -1   # cut short


@pytest.mark.parametrize("platform", ["darwin", "freebsd", "netbsd", "openbsd", "linux_glibc"])
def test_bsd_headers_constants(platform: str) -> None:
    # <netinet6/in6.h> (KAME): IPV6_RTHDR_LOOSE 0, IPV6_RTHDR_TYPE_0 0; IPV6_RTHDR_STRICT 1 is
    # "old spec" in FreeBSD and gone from OpenBSD: why the pure code refuses STRICT
    constants = abi_module(platform).CONSTANTS
    assert (constants["IPV6_RTHDR_LOOSE"], constants["IPV6_RTHDR_TYPE_0"]) == (0, 0)
    assert constants.get("IPV6_RTHDR_STRICT", 1) == 1
    assert ("IPV6_RTHDR_STRICT" in constants) == (platform != "openbsd")
    assert "IPV6_RTHDR" in constants and "IPV6_HOPOPTS" in constants and "IPV6_DSTOPTS" in constants
