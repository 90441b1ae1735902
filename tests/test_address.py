"""sockapi6.address: conversions, sockaddr_in6, IN6_IS_ADDR_*, IPv4-mapped and KAME forms.

The predicates are checked three ways: a hand-written table, the truth
computed from the address as a 128-bit number, and the real C macros of
glibc and musl (a compiled probe, skipped without a compiler).  Where
``ipaddress`` has the same notion it must agree too, except for IPv4-mapped
addresses: since Python 3.13 ``IPv6Address("::ffff:127.0.0.1").is_loopback``
is True (it looks through the mapping) while C's ``IN6_IS_ADDR_LOOPBACK`` is 0.
"""

from __future__ import annotations

import ctypes
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
from ipaddress import IPv4Address, IPv6Address
from typing import Callable

import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sockapi6 import ffi
from sockapi6.address import (
    IN6_ARE_ADDR_EQUAL,
    IN6_IS_ADDR_LINKLOCAL,
    IN6_IS_ADDR_LOOPBACK,
    IN6_IS_ADDR_MC_GLOBAL,
    IN6_IS_ADDR_MC_LINKLOCAL,
    IN6_IS_ADDR_MC_NODELOCAL,
    IN6_IS_ADDR_MC_ORGLOCAL,
    IN6_IS_ADDR_MC_SITELOCAL,
    IN6_IS_ADDR_MULTICAST,
    IN6_IS_ADDR_SITELOCAL,
    IN6_IS_ADDR_UNSPECIFIED,
    IN6_IS_ADDR_V4COMPAT,
    IN6_IS_ADDR_V4MAPPED,
    IN6ADDR_ANY_INIT,
    IN6ADDR_LOOPBACK_INIT,
    Address,
    embed_scope,
    from_sockaddr_tuple,
    has_embedded_scope,
    in6addr_any,
    in6addr_loopback,
    is_v4mapped,
    map_ipv4,
    needs_scope,
    parse_sockaddr_in6,
    sockaddr_in6,
    strip_embedded_scope,
    to_ipv6,
    to_sockaddr_tuple,
    unmap,
)
from sockapi6.errors import MalformedError

LO = socket.if_nametoindex("lo")
LINUX = sys.platform.startswith("linux")

# ---------------------------------------------------------------------------
# constants
# ---------------------------------------------------------------------------


def test_constants_match_inet_pton() -> None:
    assert Address is IPv6Address
    assert IN6ADDR_ANY_INIT == socket.inet_pton(socket.AF_INET6, "::")
    assert IN6ADDR_LOOPBACK_INIT == socket.inet_pton(socket.AF_INET6, "::1")
    assert in6addr_any == IPv6Address("::") and in6addr_any.packed == IN6ADDR_ANY_INIT
    assert in6addr_loopback.packed == IN6ADDR_LOOPBACK_INIT


# ---------------------------------------------------------------------------
# to_ipv6
# ---------------------------------------------------------------------------

TEXTS = ["::", "::1", "2001:db8::1", "fe80::1", "ff02::1:2", "::ffff:192.0.2.1", "fec0::5", "1:2:3:4:5:6:7:8"]


@pytest.mark.parametrize("text", TEXTS)
def test_every_input_form_gives_the_same_address(text: str) -> None:
    packed = socket.inet_pton(socket.AF_INET6, text)
    expected = IPv6Address(packed)
    p = ffi.new("struct in6_addr *")
    ffi.memmove(p, packed, 16)
    sin6 = ffi.new("struct sockaddr_in6 *")
    ffi.memmove(ffi.addressof(sin6.sin6_addr), packed, 16)
    arr = ffi.new("uint8_t[16]", list(packed))
    for form in (text, packed, bytearray(packed), memoryview(packed), expected, p, p[0], sin6.sin6_addr, arr):
        got = to_ipv6(form)
        assert got == expected and got.scope_id is None and type(got) is IPv6Address, form


def test_scope_by_name_and_index_become_the_index() -> None:
    assert to_ipv6("fe80::1%lo") == IPv6Address(f"fe80::1%{LO}")
    assert to_ipv6(f"fe80::1%{LO}").scope_id == str(LO)
    assert to_ipv6(IPv6Address("fe80::1%lo")) == IPv6Address(f"fe80::1%{LO}")
    assert to_ipv6("fe80::1%0").scope_id is None  # 0: no scope (RFC 3493 section 3.3)
    assert to_ipv6("ff02::1%lo").scope_id == str(LO)


def test_interface_argument() -> None:
    assert to_ipv6("fe80::1", interface="lo").scope_id == str(LO)
    assert to_ipv6(b"\xfe\x80" + bytes(13) + b"\x01", interface=LO).scope_id == str(LO)
    assert to_ipv6("ff01::1", interface=LO).scope_id == str(LO)  # interface-local multicast
    # addresses that need no scope are left alone
    assert to_ipv6("2001:db8::1", interface="lo").scope_id is None
    assert to_ipv6("ff05::1:3", interface="lo").scope_id is None
    # the same scope twice is fine, a different one is not
    assert to_ipv6(f"fe80::1%{LO}", interface="lo").scope_id == str(LO)
    with pytest.raises(ValueError, match="scope"):
        to_ipv6(f"fe80::1%{LO + 1000}", interface="lo")


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("192.0.2.1", "IPv4 address; use map_ipv4"),
        (IPv4Address("192.0.2.1"), "IPv4 address; use map_ipv4"),
        ("fe80::1%", "nothing after '%'"),
        ("fe80::1%no-such-if0", "unknown interface 'no-such-if0'"),
        ("fe80::1%lo/64", "'/'"),
        ("fe80::1%4294967296", "out of range"),
        ("::1/128", "not an IPv6 address"),
        ("", "not an IPv6 address"),
        ("1:2:3:4:5:6:7:8:9", "not an IPv6 address"),
        ("hello", "not an IPv6 address"),
    ],
)
def test_garbage_gives_a_clear_value_error(value: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        to_ipv6(value)


def test_wrong_lengths_and_types() -> None:
    with pytest.raises(MalformedError, match="16 bytes, got 4"):
        to_ipv6(b"\x01\x02\x03\x04")
    with pytest.raises(ValueError, match="unknown interface"):
        to_ipv6("fe80::1", interface="no-such-if0")
    for bad in (1, 1.5, None, [0] * 16, True):
        with pytest.raises(TypeError):
            to_ipv6(bad)
    with pytest.raises(TypeError, match="struct in6_addr"):
        to_ipv6(ffi.new("struct sockaddr_in6 *"))
    with pytest.raises(ValueError, match="NULL"):
        to_ipv6(ffi.NULL if False else ffi.cast("struct in6_addr *", 0))
    with pytest.raises(TypeError):
        to_ipv6("fe80::1", interface=1.0)  # type: ignore[arg-type]


@given(st.binary(min_size=16, max_size=16))
def test_bytes_round_trip(packed: bytes) -> None:
    address = to_ipv6(packed)
    assert address.packed == packed
    assert to_ipv6(str(address)) == address
    assert socket.inet_pton(socket.AF_INET6, str(address)) == packed


@given(st.binary().filter(lambda b: len(b) != 16))
def test_other_lengths_are_malformed(data: bytes) -> None:
    with pytest.raises(MalformedError):
        to_ipv6(data)


@given(st.text(alphabet="0123456789abcdefABCDEF:.%/lo ", max_size=45) | st.text(max_size=20))
@settings(max_examples=examples(400))
def test_random_text_parses_or_gives_value_error(text: str) -> None:
    try:
        address = to_ipv6(text)
    except ValueError:
        return
    host = text.partition("%")[0]
    assert address.packed == socket.inet_pton(socket.AF_INET6, host)


# ---------------------------------------------------------------------------
# sockaddr_in6 and the standard library's 4-tuple
# ---------------------------------------------------------------------------


def _expected_sockaddr(packed: bytes, port: int, flowinfo: int, scope: int) -> bytes:
    """The Linux layout of RFC 3493 section 3.3, written out independently with struct."""
    return struct.pack("=H", socket.AF_INET6) + struct.pack("!HI", port, flowinfo) + packed + struct.pack(
        "=I", scope
    )


@pytest.mark.skipif(not LINUX, reason="the expected bytes are Linux's 4.3BSD layout")
def test_sockaddr_in6_bytes_and_byte_order() -> None:
    packed = socket.inet_pton(socket.AF_INET6, "fe80::1")
    data = sockaddr_in6(f"fe80::1%{LO}", 0x1234, 0xABCDE)
    assert len(data) == ffi.sizeof("struct sockaddr_in6") == 28
    assert data == _expected_sockaddr(packed, 0x1234, 0xABCDE, LO)
    assert data[2:4] == b"\x12\x34"  # network byte order
    assert sockaddr_in6("fe80::1", 1, scope_id="lo") == _expected_sockaddr(packed, 1, 0, LO)
    assert sockaddr_in6("::1") == _expected_sockaddr(IN6ADDR_LOOPBACK_INIT, 0, 0, 0)


@given(
    st.binary(min_size=16, max_size=16),
    st.integers(0, 65535),
    st.integers(0, 0xFFFFFFFF),
    st.integers(0, 0xFFFFFFFF),
)
def test_sockaddr_in6_round_trip(packed: bytes, port: int, flowinfo: int, scope: int) -> None:
    data = sockaddr_in6(packed, port, flowinfo, scope_id=scope)
    address, port2, flowinfo2 = parse_sockaddr_in6(data)
    assert (address.packed, port2, flowinfo2) == (packed, port, flowinfo)
    assert address.scope_id == (str(scope) if scope else None)
    # the same through cdata: a pointer, the struct itself, and a sockaddr_storage
    p = ffi.new("struct sockaddr_in6 *")
    ffi.memmove(p, data, len(data))
    storage = ffi.new("struct sockaddr_storage *")
    ffi.memmove(storage, data, len(data))
    for form in (p, p[0], storage, bytearray(data) + bytes(100), memoryview(data)):
        assert parse_sockaddr_in6(form) == (address, port, flowinfo)


def test_sockaddr_in6_bad_input() -> None:
    good = sockaddr_in6("::1", 7)
    with pytest.raises(MalformedError, match="28 bytes, got 27"):
        parse_sockaddr_in6(good[:27])
    with pytest.raises(MalformedError, match="not AF_INET6"):
        parse_sockaddr_in6(struct.pack("=H", socket.AF_INET) + good[2:])
    with pytest.raises(MalformedError, match="NULL"):
        parse_sockaddr_in6(ffi.cast("struct sockaddr_in6 *", 0))
    with pytest.raises(TypeError):
        parse_sockaddr_in6(ffi.new("struct in6_addr *"))
    with pytest.raises(TypeError):
        parse_sockaddr_in6(12)
    with pytest.raises(ValueError, match="port"):
        sockaddr_in6("::1", 65536)
    with pytest.raises(ValueError, match="flowinfo"):
        sockaddr_in6("::1", 0, -1)
    with pytest.raises(TypeError):
        sockaddr_in6("::1", "80")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scope"):
        sockaddr_in6(f"fe80::1%{LO}", scope_id=LO + 1000)


@given(st.binary(min_size=28, max_size=40))
def test_random_sockaddr_bytes_parse_or_are_malformed(data: bytes) -> None:
    try:
        address, port, flowinfo = parse_sockaddr_in6(data)
    except MalformedError:
        return
    assert address.packed == data[8:24] and port == int.from_bytes(data[2:4], "big")
    assert flowinfo == int.from_bytes(data[4:8], "big")


def test_sockaddr_tuple_matches_the_standard_library() -> None:
    assert to_sockaddr_tuple("fe80::1%lo", 53, 7) == ("fe80::1", 53, 7, LO)
    assert to_sockaddr_tuple(b"\x00" * 15 + b"\x01", 9) == ("::1", 9, 0, 0)
    with pytest.raises(ValueError, match="flowinfo"):
        to_sockaddr_tuple("::1", 1, 0x100000)  # the standard library takes 20 bits
    # what recvfrom gives for a link-local peer: "%name" in the host, the index beside it
    assert from_sockaddr_tuple(("fe80::1%lo", 5, 0, LO)) == (IPv6Address(f"fe80::1%{LO}"), 5, 0)
    assert from_sockaddr_tuple(("fe80::1%gone0", 5, 0, 77)) == (IPv6Address("fe80::1%77"), 5, 0)
    assert from_sockaddr_tuple(("::ffff:192.0.2.1", 5, 0, 0)) == (IPv6Address("::ffff:192.0.2.1"), 5, 0)
    assert from_sockaddr_tuple(("::ffff:192.0.2.1", 5, 0, 0), unmap=True) == (IPv4Address("192.0.2.1"), 5, 0)
    assert from_sockaddr_tuple(("192.0.2.1", 5)) == (IPv4Address("192.0.2.1"), 5, 0)
    for bad, exc in [("::1", TypeError), (("::1", 1, 0), ValueError), ((1, 1, 0, 0), TypeError),
                     (("::1", 70000, 0, 0), ValueError), (("nope", 1, 0, 0), ValueError)]:
        with pytest.raises(exc):
            from_sockaddr_tuple(bad)  # type: ignore[arg-type]


def test_round_trip_through_the_kernel_on_loopback() -> None:
    """A datagram sent to to_sockaddr_tuple() arrives; recvfrom's tuple reads back."""
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as rx, \
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as tx:
        rx.bind(to_sockaddr_tuple(in6addr_loopback))
        rx.settimeout(5)
        port = rx.getsockname()[1]
        tx.bind(("::1", 0))
        tx.sendto(b"ping", to_sockaddr_tuple("::1", port))
        data, peer = rx.recvfrom(100)
        assert data == b"ping"
        assert from_sockaddr_tuple(peer) == (in6addr_loopback, tx.getsockname()[1], 0)


def _libc_getsockname(sock: socket.socket) -> bytes:
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(128)
    length = ctypes.c_uint32(128)
    if libc.getsockname(sock.fileno(), buf, ctypes.byref(length)) != 0:
        raise OSError(ctypes.get_errno(), "getsockname")
    return buf.raw[: length.value]


@pytest.mark.skipif(not LINUX, reason="calls libc getsockname through ctypes")
def test_parse_what_the_kernel_writes() -> None:
    """The kernel's own sockaddr_in6 (from libc getsockname) parses; ours equals it byte for byte."""
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.bind(("::1", 0))
        raw = _libc_getsockname(s)
        port = s.getsockname()[1]
    assert parse_sockaddr_in6(raw) == (in6addr_loopback, port, 0)
    assert sockaddr_in6("::1", port) == raw


# ---------------------------------------------------------------------------
# the predicates
# ---------------------------------------------------------------------------

PREDICATES = [
    IN6_IS_ADDR_UNSPECIFIED, IN6_IS_ADDR_LOOPBACK, IN6_IS_ADDR_MULTICAST, IN6_IS_ADDR_LINKLOCAL,
    IN6_IS_ADDR_SITELOCAL, IN6_IS_ADDR_V4MAPPED, IN6_IS_ADDR_V4COMPAT, IN6_IS_ADDR_MC_NODELOCAL,
    IN6_IS_ADDR_MC_LINKLOCAL, IN6_IS_ADDR_MC_SITELOCAL, IN6_IS_ADDR_MC_ORGLOCAL, IN6_IS_ADDR_MC_GLOBAL,
]
NAMES = [p.__name__ for p in PREDICATES]

# address -> the predicates that are true for it (everything else is false)
TABLE = {
    "::": {"IN6_IS_ADDR_UNSPECIFIED"},
    "::1": {"IN6_IS_ADDR_LOOPBACK"},  # not V4COMPAT, not LINKLOCAL (RFC 3493 section 6.4)
    "::2": {"IN6_IS_ADDR_V4COMPAT"},
    "::192.0.2.1": {"IN6_IS_ADDR_V4COMPAT"},
    "::1:0:0:1": set(),
    "::ffff:192.0.2.1": {"IN6_IS_ADDR_V4MAPPED"},
    "::ffff:0.0.0.0": {"IN6_IS_ADDR_V4MAPPED"},
    "::ffff:127.0.0.1": {"IN6_IS_ADDR_V4MAPPED"},  # C: not LOOPBACK
    "fe80::1": {"IN6_IS_ADDR_LINKLOCAL"},
    "febf:ffff::1": {"IN6_IS_ADDR_LINKLOCAL"},
    "fe7f::1": set(),
    "fec0::1": {"IN6_IS_ADDR_SITELOCAL"},
    "feff::1": {"IN6_IS_ADDR_SITELOCAL"},
    "2001:db8::1": set(),
    "fd00::1": set(),
    "ff00::1": {"IN6_IS_ADDR_MULTICAST"},
    "ff01::1": {"IN6_IS_ADDR_MULTICAST", "IN6_IS_ADDR_MC_NODELOCAL"},
    "ff02::1": {"IN6_IS_ADDR_MULTICAST", "IN6_IS_ADDR_MC_LINKLOCAL"},
    "ff12::1": {"IN6_IS_ADDR_MULTICAST", "IN6_IS_ADDR_MC_LINKLOCAL"},  # flags nibble ignored
    "ff32:40:2001:db8::1": {"IN6_IS_ADDR_MULTICAST", "IN6_IS_ADDR_MC_LINKLOCAL"},
    "ff05::1:3": {"IN6_IS_ADDR_MULTICAST", "IN6_IS_ADDR_MC_SITELOCAL"},
    "ff08::1": {"IN6_IS_ADDR_MULTICAST", "IN6_IS_ADDR_MC_ORGLOCAL"},
    "ff0e::101": {"IN6_IS_ADDR_MULTICAST", "IN6_IS_ADDR_MC_GLOBAL"},
    "ff1e::101": {"IN6_IS_ADDR_MULTICAST", "IN6_IS_ADDR_MC_GLOBAL"},
    "ff0f::1": {"IN6_IS_ADDR_MULTICAST"},
    "ff03::1": {"IN6_IS_ADDR_MULTICAST"},
}


def _truth(packed: bytes) -> dict[str, bool]:
    """The C definitions, computed on the address as one 128-bit number."""
    n = int.from_bytes(packed, "big")
    multicast = n >> 120 == 0xFF
    scope = (n >> 112) & 0xF
    return {
        "IN6_IS_ADDR_UNSPECIFIED": n == 0,
        "IN6_IS_ADDR_LOOPBACK": n == 1,
        "IN6_IS_ADDR_MULTICAST": multicast,
        "IN6_IS_ADDR_LINKLOCAL": n >> 118 == 0xFE80 >> 6,
        "IN6_IS_ADDR_SITELOCAL": n >> 118 == 0xFEC0 >> 6,
        "IN6_IS_ADDR_V4MAPPED": n >> 32 == 0xFFFF,
        "IN6_IS_ADDR_V4COMPAT": n >> 32 == 0 and n > 1,
        "IN6_IS_ADDR_MC_NODELOCAL": multicast and scope == 1,
        "IN6_IS_ADDR_MC_LINKLOCAL": multicast and scope == 2,
        "IN6_IS_ADDR_MC_SITELOCAL": multicast and scope == 5,
        "IN6_IS_ADDR_MC_ORGLOCAL": multicast and scope == 8,
        "IN6_IS_ADDR_MC_GLOBAL": multicast and scope == 0xE,
    }


@pytest.mark.parametrize("text", sorted(TABLE))
def test_predicate_table(text: str) -> None:
    packed = socket.inet_pton(socket.AF_INET6, text)
    p = ffi.new("struct in6_addr *")
    ffi.memmove(p, packed, 16)
    expected = {name: name in TABLE[text] for name in NAMES}
    assert expected == _truth(packed)
    forms = (text, f"{text}%7", packed, bytearray(packed), memoryview(packed), IPv6Address(text), p, p[0])
    for form in forms:
        got = {pred.__name__: pred(form) for pred in PREDICATES}
        assert got == expected, form
        assert all(type(v) is bool for v in got.values())


def _ipaddress_agrees(packed: bytes) -> None:
    a = IPv6Address(packed)
    assert IN6_IS_ADDR_V4MAPPED(packed) == (a.ipv4_mapped is not None)
    if a.ipv4_mapped is not None:
        return  # Python >= 3.13 answers the rest for the mapped IPv4 address; C does not
    assert IN6_IS_ADDR_UNSPECIFIED(packed) == a.is_unspecified
    assert IN6_IS_ADDR_LOOPBACK(packed) == a.is_loopback
    assert IN6_IS_ADDR_MULTICAST(packed) == a.is_multicast
    assert IN6_IS_ADDR_LINKLOCAL(packed) == a.is_link_local
    assert IN6_IS_ADDR_SITELOCAL(packed) == a.is_site_local


# random addresses biased to the interesting prefixes
_prefixes = st.sampled_from(
    [b"", b"\xff", b"\xfe", b"\xfe\x80", b"\xfe\xc0", bytes(12), bytes(10) + b"\xff\xff", bytes(15)]
)
addresses = st.builds(lambda p, rest: (p + rest)[:16], _prefixes, st.binary(min_size=16, max_size=16))


@given(addresses)
@settings(max_examples=examples(1000))
def test_predicates_against_the_truth(packed: bytes) -> None:
    truth = _truth(packed)
    address = IPv6Address(packed)
    for pred in PREDICATES:
        assert pred(packed) is truth[pred.__name__]
        assert pred(address) is truth[pred.__name__]
    _ipaddress_agrees(packed)
    assert needs_scope(packed) == (truth["IN6_IS_ADDR_LINKLOCAL"] or truth["IN6_IS_ADDR_MC_NODELOCAL"]
                                   or truth["IN6_IS_ADDR_MC_LINKLOCAL"])


@given(st.text(alphabet="0123456789abcdefABCDEF:.", max_size=45))
@settings(max_examples=examples(500))
def test_predicates_accept_exactly_the_text_to_ipv6_accepts(text: str) -> None:
    """The predicates parse text with inet_pton (fast), to_ipv6 with ipaddress: they must agree."""
    try:
        expected: bytes | None = to_ipv6(text).packed
    except ValueError:
        expected = None
    try:
        IN6_IS_ADDR_MULTICAST(text)
    except TypeError:  # C semantics: what is no address cannot be passed as a struct in6_addr
        assert expected is None
    else:
        assert expected is not None and IN6_ARE_ADDR_EQUAL(text, expected)


def test_predicates_bad_input() -> None:
    # the C macros: TypeError for anything C could not pass as a struct in6_addr (sockapi6.errors)
    for pred in PREDICATES:
        for bad in (b"\x00" * 15, "192.0.2.1", "not an address", 42):
            with pytest.raises(TypeError):
                pred(bad)
        with pytest.raises(TypeError, match="IPv4"):
            pred("192.0.2.1")
    # needs_scope is of the Pythonic layer: ValueError / MalformedError for bad values
    with pytest.raises(MalformedError):
        needs_scope(b"\x00" * 15)
    with pytest.raises(ValueError, match="IPv4"):
        needs_scope("192.0.2.1")
    with pytest.raises(ValueError):
        needs_scope("not an address")
    with pytest.raises(TypeError):
        needs_scope(42)


def test_are_addr_equal_ignores_the_scope_like_c() -> None:
    assert IN6_ARE_ADDR_EQUAL("fe80::1%2", "fe80::1%3")
    assert IN6_ARE_ADDR_EQUAL(IPv6Address("fe80::1"), socket.inet_pton(socket.AF_INET6, "fe80::1"))
    assert not IN6_ARE_ADDR_EQUAL("::1", "::2")
    assert IPv6Address("fe80::1%2") != IPv6Address("fe80::1%3")  # unlike ipaddress's ==


def _probe_source() -> str:
    calls = "".join(f'        putchar({name}(&a) ? \'1\' : \'0\');\n' for name in NAMES)
    return (
        "#include <netinet/in.h>\n#include <stdio.h>\n"
        "int main(void) {\n    char line[64];\n"
        "    while (fgets(line, sizeof line, stdin)) {\n        struct in6_addr a;\n"
        "        for (int i = 0; i < 16; i++) { unsigned v; sscanf(line + 2 * i, \"%2x\", &v); "
        "a.s6_addr[i] = (unsigned char)v; }\n"
        f"{calls}"
        "        putchar(IN6_ARE_ADDR_EQUAL(&a, &a) ? '1' : '0');\n"
        "        putchar('\\n');\n    }\n    return 0;\n}\n"
    )


#: where a libc's macro differs from RFC 3493/glibc/KAME: compiler -> {macro: what that libc computes}.
#: musl 1.2.3 tests only the last byte for V4COMPAT (``a[15] > 1``), so ``::192.0.2.1`` is not
#: IPv4-compatible there; glibc and the BSDs compare the whole last 32-bit word with 1.
LIBC_DIFFERENCES: dict[str, dict[str, Callable[[bytes], bool]]] = {
    "musl-gcc": {"IN6_IS_ADDR_V4COMPAT": lambda b: b[:12] == bytes(12) and b[15] > 1},
}


@pytest.mark.parametrize("compiler", ["gcc", "musl-gcc"])
def test_predicates_match_the_c_macros(compiler: str, tmp_path: os.PathLike[str]) -> None:
    """The real <netinet/in.h> macros of glibc (gcc) and musl (musl-gcc) give the same answers,
    except for the pinned differences of LIBC_DIFFERENCES (where this package follows glibc/KAME)."""
    if shutil.which(compiler) is None:
        pytest.skip(f"{compiler} is not installed")
    src = os.path.join(tmp_path, "probe.c")
    exe = os.path.join(tmp_path, "probe")
    with open(src, "w") as f:
        f.write(_probe_source())
    subprocess.run([compiler, "-O1", "-o", exe, src], check=True, capture_output=True)
    rng = random.Random(3493)
    samples = [socket.inet_pton(socket.AF_INET6, t) for t in TABLE]
    for prefix in (b"", b"\xff", b"\xfe", bytes(12), bytes(10) + b"\xff\xff", bytes(15)):
        samples += [(prefix + rng.randbytes(16))[:16] if hasattr(rng, "randbytes") else
                    (prefix + bytes(rng.getrandbits(8) for _ in range(16)))[:16] for _ in range(400)]
    samples += [bytes([0xFF, flags_scope]) + bytes(14) for flags_scope in range(256)]
    samples += [bytes([0xFE, second]) + bytes(14) for second in range(256)]
    out = subprocess.run([exe], input="".join(s.hex() + "\n" for s in samples), capture_output=True,
                         text=True, check=True).stdout.split()
    assert len(out) == len(samples)
    for packed, line in zip(samples, out):
        c_says = {name: line[i] == "1" for i, name in enumerate(NAMES)}
        ours = {pred.__name__: pred(packed) for pred in PREDICATES}
        for name, rule in LIBC_DIFFERENCES.get(compiler, {}).items():
            assert c_says.pop(name) == rule(packed), (name, packed.hex())
            assert ours.pop(name) == _truth(packed)[name]
        assert ours == c_says, packed.hex()
        assert line[-1] == "1" and IN6_ARE_ADDR_EQUAL(packed, bytes(packed))


# ---------------------------------------------------------------------------
# IPv4-mapped addresses
# ---------------------------------------------------------------------------


def test_map_and_unmap() -> None:
    mapped = IPv6Address("::ffff:192.0.2.1")
    for form in (IPv4Address("192.0.2.1"), "192.0.2.1", b"\xc0\x00\x02\x01", bytearray(b"\xc0\x00\x02\x01")):
        assert map_ipv4(form) == mapped
    assert map_ipv4("0.0.0.0").packed == socket.inet_pton(socket.AF_INET6, "::ffff:0.0.0.0")
    assert unmap(mapped) == IPv4Address("192.0.2.1")
    assert unmap("::ffff:10.1.1.1") == IPv4Address("10.1.1.1")
    assert unmap(IPv4Address("10.1.1.1")) == IPv4Address("10.1.1.1")
    assert unmap("fe80::1%lo") == IPv6Address(f"fe80::1%{LO}")
    assert unmap("::10.1.1.1") == IPv6Address("::10.1.1.1")  # IPv4-compatible is not mapped
    assert is_v4mapped(mapped) and is_v4mapped(str(mapped)) and not is_v4mapped("::1")
    assert not is_v4mapped(IPv4Address("10.1.1.1"))
    with pytest.raises(ValueError):
        map_ipv4("::1")
    with pytest.raises(MalformedError):
        map_ipv4(b"\x01\x02\x03")
    with pytest.raises(TypeError):
        map_ipv4(3232235777)  # type: ignore[arg-type]


def test_a_dual_stack_socket_reports_ipv4_peers_as_mapped() -> None:
    """inet6(4)'s pitfall on the real kernel: an IPv4 peer of a wildcard AF_INET6 socket looks like IPv6."""
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as rx, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx:
        rx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        rx.bind(("::", 0))
        rx.settimeout(5)
        tx.sendto(b"v4", ("127.0.0.1", rx.getsockname()[1]))
        data, peer = rx.recvfrom(10)
    address, port, _ = from_sockaddr_tuple(peer)
    assert data == b"v4" and address == IPv6Address("::ffff:127.0.0.1") and IN6_IS_ADDR_V4MAPPED(address)
    assert not IN6_IS_ADDR_LOOPBACK(address)  # an IPv6 loopback rule would not match it ...
    assert unmap(address) == IPv4Address("127.0.0.1")  # ... the real peer is IPv4 loopback
    assert from_sockaddr_tuple(peer, unmap=True) == (IPv4Address("127.0.0.1"), port, 0)


# ---------------------------------------------------------------------------
# KAME embedded scope
# ---------------------------------------------------------------------------

KAME = [
    ("fe80:2::1", "fe80::1%2"),
    ("fe80:102::1", "fe80::1%258"),
    ("ff02:3::1", "ff02::1%3"),
    ("ff01:3::1", "ff01::1%3"),
    ("ff12:4::1:2", "ff12::1:2%4"),
]


@pytest.mark.parametrize(("embedded", "user"), KAME)
def test_kame_forms(embedded: str, user: str) -> None:
    raw = socket.inet_pton(socket.AF_INET6, embedded)
    assert has_embedded_scope(raw) and has_embedded_scope(embedded)
    assert strip_embedded_scope(raw) == IPv6Address(user)
    assert not has_embedded_scope(user)
    assert embed_scope(user) == raw
    assert embed_scope(strip_embedded_scope(raw)) == raw


@pytest.mark.parametrize("text", ["ff05:3::1", "2001:db8::1", "fe80::1", "fec0:2::1", "::1", "ff0e:3::1"])
def test_kame_leaves_other_addresses_alone(text: str) -> None:
    assert not has_embedded_scope(text)
    assert strip_embedded_scope(text) == IPv6Address(text)
    assert embed_scope(text) == socket.inet_pton(socket.AF_INET6, text)


def test_kame_errors() -> None:
    with pytest.raises(ValueError, match="differs"):
        strip_embedded_scope("fe80:2::1%3")
    assert strip_embedded_scope("fe80:2::1%2") == IPv6Address("fe80::1%2")
    with pytest.raises(ValueError, match="16 bits"):
        embed_scope("fe80::1%65536")
    with pytest.raises(ValueError, match="bytes 2-3"):
        embed_scope("fe80:5::1%2")
    assert embed_scope("fe80::1") == socket.inet_pton(socket.AF_INET6, "fe80::1")  # unscoped: unchanged


@given(addresses)
def test_kame_round_trip(packed: bytes) -> None:
    if has_embedded_scope(packed):
        user = strip_embedded_scope(packed)
        assert user.scope_id == str(int.from_bytes(packed[2:4], "big"))
        assert user.packed[2:4] == b"\x00\x00" and embed_scope(user) == packed
    else:
        assert strip_embedded_scope(packed) == IPv6Address(packed)


def test_the_package_keeps_its_names_and_the_private_ones_other_modules_use() -> None:
    import pickle

    import sockapi6.address as package

    for name in package.__all__:
        obj = getattr(package, name)
        if callable(obj) and name != "Address":  # Address is ipaddress's own class
            assert obj.__module__ == "sockapi6.address", name
            assert pickle.loads(pickle.dumps(obj)) is obj, name
    # _interface_index is the old name of _ifindex.scope_index
    assert package._to_bytes("fe80::1%2") == socket.inet_pton(socket.AF_INET6, "fe80::1")
    assert package._interface_index("lo", "lo") == LO
