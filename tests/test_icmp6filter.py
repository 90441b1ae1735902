"""ICMP6Filter and the ICMP6_FILTER_* macros: values, both bit senses, a raw ICMPv6 socket in a namespace."""

from __future__ import annotations

import os
import pickle
import select
import socket
import struct

import pytest
from netns import netns_unavailable, run_in_netns

import sockapi6
from sockapi6 import ffi
from sockapi6.icmp6filter import (
    ICMP6_FILTER_SETBLOCK,
    ICMP6_FILTER_SETBLOCKALL,
    ICMP6_FILTER_SETPASS,
    ICMP6_FILTER_SETPASSALL,
    ICMP6_FILTER_WILLBLOCK,
    ICMP6_FILTER_WILLPASS,
    SET_BIT_MEANS,
    ICMP6Filter,
)
from sockapi6.sockopt import SocketOptions

C = sockapi6._system.binding.CONSTANTS
ECHO_REQUEST = C["ICMP6_ECHO_REQUEST"]
ECHO_REPLY = C["ICMP6_ECHO_REPLY"]
NETNS = netns_unavailable()
needs_netns = pytest.mark.skipif(NETNS is not None, reason=NETNS or "")


# ---- the value object ----------------------------------------------------------


def test_pass_all_block_all() -> None:
    assert all(ICMP6Filter.pass_all().will_pass(t) for t in range(256))
    assert all(ICMP6Filter.block_all().will_block(t) for t in range(256))
    assert ICMP6Filter() == ICMP6Filter.pass_all()
    assert ICMP6Filter(passing=[]) == ICMP6Filter.block_all()


def test_chaining_returns_new_filters() -> None:
    base = ICMP6Filter.block_all()
    f = base.set_pass(ECHO_REPLY).set_pass(134)
    assert base == ICMP6Filter.block_all()  # unchanged
    assert f.will_pass(ECHO_REPLY) and f.will_pass(134) and f.will_block(ECHO_REQUEST)
    assert f.passing == frozenset({ECHO_REPLY, 134})
    g = ICMP6Filter.pass_all().set_block(ECHO_REQUEST)
    assert g.blocking == frozenset({ECHO_REQUEST}) and g == ICMP6Filter(blocking=[ECHO_REQUEST])
    assert f.set_block(134).set_block(ECHO_REPLY) == base


def test_equality_hash_repr_pickle() -> None:
    a = ICMP6Filter.block_all().set_pass(129).set_pass(0)
    b = ICMP6Filter(passing=[0, 129])
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != ICMP6Filter.pass_all() and a != "filter"
    names = {"ICMP6Filter": ICMP6Filter}
    for f in (a, ICMP6Filter.pass_all(), ICMP6Filter.block_all(), ICMP6Filter(blocking=[1, 2, 255])):
        assert eval(repr(f), names) == f
        assert eval(repr(f), vars(sockapi6)) == f if hasattr(sockapi6, "ICMP6Filter") else True
        assert pickle.loads(pickle.dumps(f)) == f
    assert repr(a) == "ICMP6Filter(passing=[0, 129])"
    assert repr(ICMP6Filter.pass_all()) == "ICMP6Filter(blocking=[])"


def test_immutable() -> None:
    f = ICMP6Filter.pass_all()
    with pytest.raises(AttributeError):
        f._passing = 0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        f.x = 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "exc"),
    [(256, ValueError), (-1, ValueError), ("1", TypeError), (True, TypeError), (1.0, TypeError)],
)
def test_bad_types(value: object, exc: type) -> None:
    with pytest.raises(exc):
        ICMP6Filter.pass_all().set_pass(value)  # type: ignore[arg-type]
    with pytest.raises(exc):
        ICMP6Filter(passing=[value])  # type: ignore[list-item]
    with pytest.raises(exc):
        ICMP6_FILTER_SETPASS(value, bytearray(32))  # type: ignore[arg-type]


def test_constructor_rules() -> None:
    with pytest.raises(TypeError):
        ICMP6Filter(passing=[1], blocking=[2])
    with pytest.raises(TypeError):
        ICMP6Filter(passing="abc")  # type: ignore[arg-type]


def test_bytes_in_each_sense() -> None:
    f = ICMP6Filter.block_all().set_pass(ECHO_REPLY)
    word, bit = ECHO_REPLY >> 5, ECHO_REPLY & 31
    for platform, sense in SET_BIT_MEANS.items():
        if sense is None:
            with pytest.raises(sockapi6.NotSupportedError):
                f.to_bytes(platform)
            continue
        words = struct.unpack("=8I", f.to_bytes(platform))
        for i, w in enumerate(words):
            expected_set = (1 << bit) if i == word else 0
            if sense == "block":  # Linux: a set bit blocks
                assert w == 0xFFFFFFFF & ~expected_set
            else:  # BSDs: a set bit passes
                assert w == expected_set
        assert ICMP6Filter.from_bytes(f.to_bytes(platform), platform) == f
    assert ICMP6Filter.pass_all().to_bytes("linux_glibc") == bytes(32)
    assert ICMP6Filter.pass_all().to_bytes("freebsd") == b"\xff" * 32
    with pytest.raises(ValueError):
        f.to_bytes("plan9")
    with pytest.raises(sockapi6.MalformedError):
        ICMP6Filter.from_bytes(bytes(31))
    with pytest.raises(TypeError):
        ICMP6Filter.from_bytes("x" * 32)


# ---- the C macros ---------------------------------------------------------------

_STRUCT = ffi.new("struct icmp6_filter *")  # kept alive: index 1 uses the struct it points to


def _targets() -> list[object]:
    return [ffi.new("struct icmp6_filter *"), _STRUCT[0], bytearray(32), memoryview(bytearray(32))]


def _raw(target: object) -> bytes:
    if isinstance(target, ffi.CData):
        pointer = target if ffi.typeof(target).kind == "pointer" else ffi.addressof(target)
        return bytes(ffi.buffer(pointer))
    return bytes(target)  # type: ignore[call-overload]


@pytest.mark.parametrize("index", range(4))
def test_macros_on_each_target(index: int) -> None:
    target = _targets()[index]
    ICMP6_FILTER_SETBLOCKALL(target)
    assert all(ICMP6_FILTER_WILLBLOCK(t, target) == 1 for t in range(256))
    ICMP6_FILTER_SETPASS(ECHO_REPLY, target)
    assert ICMP6_FILTER_WILLPASS(ECHO_REPLY, target) == 1 and ICMP6_FILTER_WILLPASS(128, target) == 0
    assert _raw(target) == ICMP6Filter.block_all().set_pass(ECHO_REPLY).to_bytes()
    ICMP6_FILTER_SETPASSALL(target)
    ICMP6_FILTER_SETBLOCK(135, target)
    assert ICMP6_FILTER_WILLBLOCK(135, target) == 1 and ICMP6_FILTER_WILLBLOCK(136, target) == 0


def test_macros_refuse_what_they_cannot_write_safely() -> None:
    with pytest.raises(TypeError):
        ICMP6_FILTER_SETPASSALL(bytes(32))  # read-only: never written through
    with pytest.raises(TypeError):  # C could not pass these as a struct icmp6_filter (sockapi6.errors)
        ICMP6_FILTER_SETPASSALL(bytearray(31))  # too short: would write past the end
    with pytest.raises(TypeError):
        ICMP6_FILTER_SETPASSALL(bytearray(33))
    with pytest.raises(TypeError):
        ICMP6_FILTER_SETPASSALL(ffi.new("uint32_t[8]"))  # not a struct icmp6_filter
    with pytest.raises(ValueError):
        ICMP6_FILTER_SETPASSALL(ffi.cast("struct icmp6_filter *", 0))
    with pytest.raises(TypeError):
        ICMP6_FILTER_WILLPASS(1, 42)  # type: ignore[arg-type]
    # reading through a read-only buffer is fine
    assert ICMP6_FILTER_WILLPASS(1, ICMP6Filter.pass_all().to_bytes()) == 1


def _kernel_filter_bytes() -> tuple[bytes, bytes, bytes, bytes]:
    with socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6) as s:
        default = s.getsockopt(socket.IPPROTO_ICMPV6, C["ICMP6_FILTER"], 32)
        buf = bytearray(32)
        ICMP6_FILTER_SETBLOCKALL(buf)
        ICMP6_FILTER_SETPASS(ECHO_REPLY, buf)
        ICMP6_FILTER_SETPASS(134, buf)
        s.setsockopt(socket.IPPROTO_ICMPV6, C["ICMP6_FILTER"], bytes(buf))
        back = s.getsockopt(socket.IPPROTO_ICMPV6, C["ICMP6_FILTER"], 32)
        SocketOptions(s).icmp6_filter = ICMP6Filter(blocking=[ECHO_REQUEST])
        third = s.getsockopt(socket.IPPROTO_ICMPV6, C["ICMP6_FILTER"], 32)
        del SocketOptions(s).icmp6_filter  # back to the default: pass all
        reset = s.getsockopt(socket.IPPROTO_ICMPV6, C["ICMP6_FILTER"], 32)
        return default, back + bytes(buf), third, reset


@needs_netns
def test_macros_match_kernel_bytes() -> None:
    default, both, third, reset = run_in_netns(_kernel_filter_bytes)
    assert reset == default
    back, ours = both[:32], both[32:]
    assert back == ours  # the kernel keeps exactly our bytes
    assert ICMP6Filter.from_bytes(default) == ICMP6Filter.pass_all()  # RFC 3542 section 3.2 default
    assert ICMP6_FILTER_WILLPASS(ECHO_REQUEST, default) == 1
    assert ICMP6Filter.from_bytes(back) == ICMP6Filter(passing=[ECHO_REPLY, 134])
    for t in range(256):
        assert ICMP6_FILTER_WILLPASS(t, back) == int(t in (ECHO_REPLY, 134))
    assert third == ICMP6Filter(blocking=[ECHO_REQUEST]).to_bytes()
    assert ICMP6_FILTER_WILLBLOCK(ECHO_REQUEST, third) == 1


# ---- filtering on a raw ICMPv6 socket -------------------------------------------


def _ping_types(which: str) -> list[int]:
    """Send one echo request to ::1 on a raw ICMPv6 socket and list the types it receives."""
    with socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6) as s:
        opts = SocketOptions(s)
        if which == "echo-reply-only":
            opts.icmp6_filter = ICMP6Filter.block_all().set_pass(ECHO_REPLY)
        else:
            opts.icmp6_filter = ICMP6Filter.pass_all()
        ident = os.getpid() & 0xFFFF
        # type, code, checksum (the kernel fills it in: RFC 3542 section 3.1), identifier, sequence
        request = struct.pack("!BBHHH", ECHO_REQUEST, 0, 0, ident, 1) + b"sockapi6 filter test"
        s.sendto(request, ("::1", 0))
        seen = []
        while select.select([s], [], [], 0.5)[0]:
            msg = s.recv(2048)
            if msg[4:8] == request[4:8] and msg[8:] == request[8:]:  # ours (same id, seq and data)
                seen.append(msg[0])
        return seen


@needs_netns
def test_filter_passes_only_echo_reply() -> None:
    filtered = run_in_netns(_ping_types, "echo-reply-only")
    assert filtered == [ECHO_REPLY]  # the looped-back request is not delivered
    unfiltered = run_in_netns(_ping_types, "pass-all")
    assert sorted(unfiltered) == [ECHO_REQUEST, ECHO_REPLY]  # with pass_all it is
