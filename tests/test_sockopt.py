"""SocketOptions on the real kernel: every row of the table set then read back, and the kernel facts.

Raw sockets run in a network namespace of their own (tests/netns.py).
"""

from __future__ import annotations

import errno
import os
import select
import socket
import struct
from ipaddress import IPv6Address
from typing import Any, Callable

import pytest
from netns import netns_unavailable, run_in_netns

import sockapi6
from sockapi6 import NotSupportedError
from sockapi6.ancillary import PacketInfo, PathMTU
from sockapi6.exthdr import DestinationOptions, HopByHopOptions, Option
from sockapi6.icmp6filter import ICMP6Filter
from sockapi6.routing import RoutingHeader, SegmentRoutingHeader
from sockapi6.sockopt import ALL_NAMES, TABLE, AddressPreference, OptionSpec, SocketOptions

C = sockapi6._binding.CONSTANTS
ROOT = os.geteuid() == 0
NETNS = netns_unavailable()
PROTO_EXPERIMENT = 253  # RFC 3692 experimental protocol number
LO = socket.if_nametoindex("lo")

needs_root = pytest.mark.skipif(not ROOT, reason="needs root (CAP_NET_RAW)")
needs_netns = pytest.mark.skipif(NETNS is not None, reason=NETNS or "")


def _socket(kind: str) -> socket.socket:
    if kind == "udp":
        return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    if kind == "udp_connected":
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.connect(("::1", 9))
        return s
    if kind == "raw_icmp6":
        return socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    if kind == "raw253":
        return socket.socket(socket.AF_INET6, socket.SOCK_RAW, PROTO_EXPERIMENT)
    if kind == "raw_ipproto_raw":
        return socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raise AssertionError(kind)


def _srh() -> SegmentRoutingHeader:
    return SegmentRoutingHeader(["2001:db8::1", "2001:db8::2"])


def _big_dstopts() -> DestinationOptions:
    # 0x1e: action bits 00 (skip if unknown); 6 options of 250 bytes -> a 1520-byte header
    return DestinationOptions([Option(0x1E, bytes([i]) * 250) for i in range(6)])


#: name -> (socket kind, value to set or None for read-only, expected check, needs root)
#: each value differs from the kernel's default, so reading it back proves the write.
CASES: dict[str, tuple[str, Any, Callable[[Any], bool], bool]] = {
    "v6only": ("udp", True, lambda v: v is True, False),
    "unicast_hops": ("udp", 7, lambda v: v == 7, False),
    "multicast_hops": ("udp", 9, lambda v: v == 9, False),
    "multicast_loop": ("udp", False, lambda v: v is False, False),
    "multicast_if": ("udp", "lo", lambda v: v == LO, False),
    "recv_pktinfo": ("udp", True, lambda v: v is True, False),
    "recv_hoplimit": ("udp", True, lambda v: v is True, False),
    "recv_tclass": ("udp", True, lambda v: v is True, False),
    "recv_rthdr": ("udp", True, lambda v: v is True, False),
    "recv_hopopts": ("udp", True, lambda v: v is True, False),
    "recv_dstopts": ("udp", True, lambda v: v is True, False),
    "recv_pathmtu": ("udp", True, lambda v: v is True, False),
    "checksum": ("raw253", 4, lambda v: v == 4, True),
    "raw_checksum": ("raw253", 6, lambda v: v == 6, True),
    "tclass": ("udp", 0xB8, lambda v: v == 0xB8, False),
    "dontfrag": ("udp", True, lambda v: v is True, False),
    "use_min_mtu": ("udp", 1, lambda v: v == 1, False),
    "pktinfo": ("udp", PacketInfo("::1", LO), lambda v: v == PacketInfo("::1", LO), False),
    "nexthop": ("udp", "::1", lambda v: v == IPv6Address("::1"), False),
    "hopopts": ("udp", HopByHopOptions([Option(0x1E, b"hop")]),
                lambda v: v == HopByHopOptions([Option(0x1E, b"hop")]), True),
    "dstopts": ("udp", DestinationOptions([Option(0x1E, b"dst")]),
                lambda v: v == DestinationOptions([Option(0x1E, b"dst")]), True),
    "rthdrdstopts": ("udp", DestinationOptions([Option(0x1E, b"rtd")]),
                     lambda v: v == DestinationOptions([Option(0x1E, b"rtd")]), True),
    "mipdstopts": ("udp", DestinationOptions([Option(0x1E, b"mip")]), lambda v: False, True),
    "rthdr": ("udp", _srh(), lambda v: bytes(v) == bytes(_srh()), False),
    "path_mtu": ("udp_connected", None, lambda v: isinstance(v, PathMTU) and v.mtu == 65536, False),
    "icmp6_filter": ("raw_icmp6", ICMP6Filter.block_all().set_pass(129),
                     lambda v: v == ICMP6Filter(passing=[129]), True),
    "addr_preferences": ("udp", AddressPreference.TMP | AddressPreference.COA,
                         lambda v: v & (AddressPreference.TMP | AddressPreference.COA)
                         == AddressPreference.TMP | AddressPreference.COA, False),
    "recv_orig_dstaddr": ("udp", True, lambda v: v is True, False),
    "recv_err": ("udp", True, lambda v: v is True, False),
    "mtu_discover": ("udp", C.get("IPV6_PMTUDISC_PROBE", 3), lambda v: v == C.get("IPV6_PMTUDISC_PROBE", 3),
                     False),
    "freebind": ("udp", True, lambda v: v is True, False),
    "transparent": ("udp", True, lambda v: v is True, True),
    "bind_to_device": ("udp", "lo", lambda v: v == "lo", False),
    "reuseaddr": ("udp", True, lambda v: v is True, False),
    "reuseport": ("udp", True, lambda v: v is True, False),
    # issue 10 (semantics pinned in test_daemon_options.py)
    "minhopcount": ("udp", 254, lambda v: v == 254, False),
    "multicast_all": ("udp", False, lambda v: v is False, False),
    "router_alert": ("raw_ipproto_raw", 3, lambda v: v == 1, True),
    "hdrincl": ("raw253", True, lambda v: v is True, True),
    "mtu": ("udp_connected", 1400, lambda v: v == 65536, False),
    "recv_err_rfc4884": ("udp", True, lambda v: v is True, False),
    "autoflowlabel": ("udp", False, lambda v: v is False, False),
    "flowinfo_send": ("udp", True, lambda v: v is True, False),
    "recv_flowinfo": ("udp", True, lambda v: v is True, False),
    "udp_segment": ("udp", 1200, lambda v: v == 1200, False),
    "udp_gro": ("udp", True, lambda v: v is True, False),
    "recv_tos": ("udp", True, lambda v: v is True, False),
    "timestamp_ns": ("udp", True, lambda v: v is True, False),
    "timestamping": ("udp", 0x9A, lambda v: v == 0x9A, False),
    "rxq_ovfl": ("udp", True, lambda v: v is True, False),
}


def _set_then_get(kind: str, name: str, value: Any) -> tuple[str, Any]:
    """Set ``name`` on a fresh socket and read it back; return ("ok", value) or the refusal."""
    with _socket(kind) as s:
        opts = SocketOptions(s)
        spec = TABLE[name]
        raw = None
        try:
            if value is not None:
                setattr(opts, name, value)
        except NotSupportedError as exc:
            return "unsupported-set", (exc.errno, str(exc))
        try:
            got = getattr(opts, name)
        except NotSupportedError as exc:
            return "unsupported-get", (exc.errno, str(exc))
        # cross-check the number through the standard library where it can read the option
        if spec.codec.size <= 1024 and spec.kind in ("bool", "int", "interface", "flags"):
            raw = struct.unpack("=i", s.getsockopt(spec.level, spec.number, 4))[0]
        return "ok", (got, raw)


def test_table_covers_every_case() -> None:
    assert set(CASES) == set(ALL_NAMES)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_set_then_get(name: str) -> None:
    kind, value, check, root = CASES[name]
    if name not in TABLE:
        with pytest.raises(NotSupportedError) as info:
            getattr(SocketOptions(_socket("udp")), name)
        assert info.value.errno == errno.ENOPROTOOPT and sockapi6.PLATFORM.split("_")[0] in str(info.value)
        pytest.skip(f"{name}: not defined on {sockapi6.PLATFORM} ({info.value})")
    if root and not ROOT:
        pytest.skip(f"{name} needs root")
    if kind.startswith("raw"):
        if NETNS:
            pytest.skip(NETNS)
        status, result = run_in_netns(_set_then_get, kind, name, value)
    else:
        status, result = _set_then_get(kind, name, value)
    if status.startswith("unsupported"):
        err, text = result
        assert "not supported on linux" in text or sockapi6.PLATFORM.split("_")[0] in text
        if name == "nexthop":
            assert status == "unsupported-set"   # pinned below in test_nexthop_refused
        pytest.skip(f"{name}: {status[12:]} refused by the kernel ({errno.errorcode[err]}): {text}")
    got, raw = result
    assert check(got), f"{name}: set {value!r}, got {got!r}"
    if raw is not None:
        assert raw == int(got)          # the standard library reads the same number


def test_available_rows_use_this_os_numbers() -> None:
    rows = SocketOptions.available()
    assert rows and all(isinstance(r, OptionSpec) for r in rows)
    for row in rows:
        assert row.level == getattr(sockapi6.lib, row.level_name) == C[row.level_name]
        assert row.number == getattr(sockapi6.lib, row.option_name) == C[row.option_name]
        assert row.rfc
    names = {r.name for r in rows}
    assert {"v6only", "recv_pktinfo", "icmp6_filter", "rthdr", "bind_to_device"} <= names
    if "IPV6_USE_MIN_MTU" not in C:
        assert "use_min_mtu" not in names


def test_odhcpd_socket_setup() -> None:
    """The setsockopt sequence of odhcpd's DHCPv6 socket, through SocketOptions (bind [::]:0 here)."""
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        opts.bind_to_device = "lo"
        opts.v6only = True
        opts.reuseaddr = True
        opts.recv_pktinfo = True
        opts.multicast_hops = 32
        opts.multicast_loop = False
        s.bind(("::", 0))
        assert (opts.bind_to_device, opts.v6only, opts.reuseaddr, opts.recv_pktinfo,
                opts.multicast_hops, opts.multicast_loop) == ("lo", True, True, True, 32, False)
        assert s.getsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, 16).rstrip(b"\0") == b"lo"
        opts.bind_to_device = ""
        assert opts.bind_to_device == ""


# ---- kernel facts ----------------------------------------------------------

def test_nexthop_refused() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        with pytest.raises(NotSupportedError) as info:
            opts.nexthop = "::1"
        assert info.value.errno in (errno.ENOPROTOOPT, errno.EINVAL)
        assert "IPV6_NEXTHOP" in str(info.value) and "linux" in str(info.value)
        with pytest.raises(NotSupportedError):
            opts.nexthop  # noqa: B018


def _checksum_on_icmpv6() -> tuple[int, str, int, int]:
    with socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6) as s:
        opts = SocketOptions(s)
        try:
            opts.checksum = 2
        except NotSupportedError as exc:
            err, text = exc.errno, str(exc)
        else:
            raise AssertionError("IPV6_CHECKSUM on an ICMPv6 socket was accepted")
        opts.raw_checksum = 2      # what odhcpd's router.c sets, at the raw level
        return err, text, opts.checksum, opts.raw_checksum


@needs_root
@needs_netns
def test_checksum_refused_on_icmpv6_raw_socket() -> None:
    err, text, at_ipv6, at_raw = run_in_netns(_checksum_on_icmpv6)
    assert err == errno.EINVAL
    assert "IPV6_CHECKSUM" in text and "computes" in text and "ICMPv6" in text
    assert at_ipv6 == at_raw == 2          # the kernel's own offset for ICMPv6


def test_checksum_on_udp_is_not_supported() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        with pytest.raises(NotSupportedError) as info:
            SocketOptions(s).checksum  # noqa: B018
        assert info.value.errno == errno.ENOPROTOOPT and "raw sockets" in str(info.value)


def _odd_checksum_offset() -> int:
    with socket.socket(socket.AF_INET6, socket.SOCK_RAW, PROTO_EXPERIMENT) as s:
        try:
            SocketOptions(s).checksum = 3
        except NotSupportedError:
            raise
        except OSError as exc:
            return exc.errno or 0
    return 0


@needs_root
@needs_netns
def test_checksum_odd_offset_is_einval() -> None:
    # RFC 3542 section 3.1: a positive odd offset is invalid
    assert run_in_netns(_odd_checksum_offset) == errno.EINVAL


def _pseudo_header_checksum(src: bytes, dst: bytes, next_header: int, payload: bytes) -> int:
    """RFC 8200 section 8.1: one's complement sum over the pseudo-header and the payload."""
    data = src + dst + struct.pack("!IxxxB", len(payload), next_header) + payload
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _recv_all(s: socket.socket, wait: float) -> list[bytes]:
    out = []
    while select.select([s], [], [], wait)[0]:
        out.append(s.recv(65535))
    return out


def _checksum_datagrams() -> tuple[list[bytes], list[bytes], list[bytes]]:
    loop = ("::1", 0)
    plain = socket.socket(socket.AF_INET6, socket.SOCK_RAW, PROTO_EXPERIMENT)   # sees everything
    checked = socket.socket(socket.AF_INET6, socket.SOCK_RAW, PROTO_EXPERIMENT)
    sender = socket.socket(socket.AF_INET6, socket.SOCK_RAW, PROTO_EXPERIMENT)
    with plain, checked, sender:
        SocketOptions(sender).checksum = 2
        SocketOptions(checked).checksum = 2   # verifies on input, dropping bad checksums
        assert SocketOptions(sender).checksum == 2
        payload = b"\xab\xcd\x00\x00" + b"sockapi6 checksum test"
        sender.sendto(payload, loop)
        good = _recv_all(plain, 0.5)
        verified = _recv_all(checked, 0.2)
        # now a datagram with a wrong checksum, from a socket that does not compute one
        with socket.socket(socket.AF_INET6, socket.SOCK_RAW, PROTO_EXPERIMENT) as raw:
            raw.sendto(b"\xab\xcd\x12\x34" + b"wrong", loop)
        _recv_all(plain, 0.5)
        dropped = _recv_all(checked, 0.2)
        return good, verified, dropped


@needs_root
@needs_netns
def test_checksum_computed_by_the_kernel() -> None:
    good, verified, dropped = run_in_netns(_checksum_datagrams)
    sent_payload = b"\xab\xcd\x00\x00" + b"sockapi6 checksum test"
    assert len(good) == 1 and len(verified) == 1
    received = good[0]
    assert received[:2] == b"\xab\xcd" and received[4:] == sent_payload[4:]
    loopback = IPv6Address("::1").packed
    expected = _pseudo_header_checksum(loopback, loopback, PROTO_EXPERIMENT, sent_payload)
    assert struct.unpack("!H", received[2:4])[0] == expected != 0
    # and the whole thing sums to 0xffff (checks to zero) as RFC 8200 section 8.1 requires
    assert _pseudo_header_checksum(loopback, loopback, PROTO_EXPERIMENT, received) == 0
    assert verified == good
    assert dropped == []          # the receiving kernel discarded the bad checksum


# ---- sticky headers through libc getsockopt -----------------------------------

@needs_root
def test_sticky_header_over_1024_bytes() -> None:
    header = _big_dstopts()
    assert len(bytes(header)) > 1024
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        opts.dstopts = header
        with pytest.raises(OSError):     # the standard library refuses buffers over 1024 bytes
            s.getsockopt(socket.IPPROTO_IPV6, C["IPV6_DSTOPTS"], 2048)
        back = opts.dstopts
        assert back == header and bytes(back) == bytes(header)
        del opts.dstopts
        assert opts.dstopts is None
        opts.dstopts = bytes(header)     # raw bytes are accepted too
        assert bytes(opts.dstopts) == bytes(header)


def test_routing_header_type0_refused() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        with pytest.raises(OSError) as info:
            SocketOptions(s).rthdr = RoutingHeader(["2001:db8::1"])
        assert info.value.errno == errno.EINVAL and not isinstance(info.value, NotSupportedError)


def test_rthdr_srh_round_trip_and_delete() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        assert opts.rthdr is None
        opts.rthdr = _srh()
        got = opts.rthdr
        assert isinstance(got, SegmentRoutingHeader) and bytes(got) == bytes(_srh())
        del opts.rthdr
        assert opts.rthdr is None


def test_hopopts_needs_privilege_or_works() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        header = HopByHopOptions([Option(0x1E, b"x")])
        if ROOT:
            opts.hopopts = header
            assert opts.hopopts == header
        else:
            with pytest.raises(PermissionError):
                opts.hopopts = header


# ---- validation before any system call ---------------------------------------

class _ClosedFd:
    """fileno() of a closed socket: any system call would fail with EBADF."""

    def fileno(self) -> int:
        return -1


@pytest.mark.parametrize(("name", "value", "exc"), [
    ("v6only", "yes", TypeError),
    ("v6only", 2, ValueError),
    ("unicast_hops", 256, ValueError),
    ("unicast_hops", -2, ValueError),
    ("unicast_hops", 1.5, TypeError),
    ("tclass", 300, ValueError),
    ("multicast_if", 2**32, ValueError),
    ("multicast_if", 1.0, TypeError),
    ("checksum", -2, ValueError),
    ("icmp6_filter", b"\0" * 32, TypeError),
    ("pktinfo", ("::1", 1), TypeError),
    ("dstopts", HopByHopOptions([Option(0x1E, b"x")]), TypeError),
    ("dstopts", b"\x3b\x01" + bytes(6), ValueError),          # length byte says 16, buffer is 8
    ("dstopts", b"\x3b\x00" + bytes(5), ValueError),          # not a multiple of 8
    ("dstopts", "text", TypeError),
    ("bind_to_device", "x" * 16, ValueError),
    ("bind_to_device", 3, TypeError),
    ("addr_preferences", 2**32, ValueError),
    ("addr_preferences", "TMP", TypeError),
])
def test_bad_values_rejected_before_the_syscall(name: str, value: Any, exc: type) -> None:
    if name not in TABLE:
        pytest.skip(f"{name} not defined here")
    with pytest.raises(exc):
        setattr(SocketOptions(_ClosedFd()), name, value)


def test_os_errors_carry_errno() -> None:
    with pytest.raises(OSError) as info:
        SocketOptions(_ClosedFd()).v6only = True
    assert info.value.errno == errno.EBADF and not isinstance(info.value, NotSupportedError)
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        with pytest.raises(OSError) as info:
            SocketOptions(s).path_mtu  # noqa: B018
        assert info.value.errno == errno.ENOTCONN
        if "addr_preferences" in TABLE:
            with pytest.raises(OSError) as info:     # RFC 5014 section 6: contradictory flags
                SocketOptions(s).addr_preferences = AddressPreference.TMP | AddressPreference.PUBLIC
            assert info.value.errno == errno.EINVAL


def test_readonly_and_delete_rules() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        with pytest.raises(AttributeError):
            opts.path_mtu = PathMTU("::1", 1280)
        with pytest.raises(AttributeError):
            del opts.unicast_hops
        with pytest.raises(AttributeError):
            opts.no_such_option = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        SocketOptions(3.5)


def test_multicast_if_by_name_and_index() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        opts.multicast_if = "lo"
        assert opts.multicast_if == LO
        opts.multicast_if = 0
        assert opts.multicast_if == 0
        opts.multicast_if = LO
        assert s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF) == LO
        with pytest.raises(OSError):
            opts.multicast_if = "nosuchif0"


def test_address_preferences_flags() -> None:
    if "addr_preferences" not in TABLE:
        pytest.skip("no IPV6_ADDR_PREFERENCES on this OS")
    for member in AddressPreference:
        assert int(member) == C[f"IPV6_PREFER_SRC_{member.name}"]
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        opts.addr_preferences = AddressPreference.PUBLIC
        got = opts.addr_preferences
        assert isinstance(got, AddressPreference) and AddressPreference.PUBLIC in got
        # Linux reports its defaults for the untouched pair (home vs care-of)
        assert AddressPreference.HOME in got


def test_pktinfo_sticky_is_write_only_on_linux() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        opts.pktinfo = PacketInfo("::1", LO)
        del opts.pktinfo
        if sockapi6.PLATFORM.startswith("linux"):
            with pytest.raises(NotSupportedError) as info:
                opts.pktinfo  # noqa: B018
            assert info.value.errno == errno.ENOPROTOOPT and "reading IPV6_PKTINFO" in str(info.value)


@pytest.mark.parametrize("address", ["192.0.2.1", "::ffff:192.0.2.1"])
def test_pktinfo_refuses_ipv4(address: str) -> None:
    """A sticky IPV6_PKTINFO is a struct in6_pktinfo (RFC 3542 section 6.1), never an in_pktinfo."""
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        with pytest.raises(ValueError, match="IPv6 address"):
            opts.pktinfo = PacketInfo(address, LO)
        opts.pktinfo = PacketInfo("::1", LO)     # the same socket still takes an IPv6 one
        del opts.pktinfo
