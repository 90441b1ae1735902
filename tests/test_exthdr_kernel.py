"""Extension headers through the real Linux stack (RFC 3542 sections 8-9, RFC 8754; design "Kernel facts").

Every test runs in a network namespace of its own (``tests/netns.py``): UDP
datagrams on loopback carry our headers as ancillary data or sticky options,
a receiver asks for them back with IPV6_RECVHOPOPTS / IPV6_RECVDSTOPTS /
IPV6_RECVRTHDR, and our parsers read what the kernel delivered.  Each kernel
fact of ``docs/kernel-facts.md`` ("Extension headers") is pinned here.
"""

from __future__ import annotations

import errno
import os
import random
import select
import socket
import subprocess
import sys
from typing import Any

import pytest
from netns import netns_unavailable, run_in_netns

import sockapi6
from sockapi6.exthdr import (
    DestinationOptions,
    HomeAddress,
    HopByHopOptions,
    JumboPayload,
    Option,
    PadN,
    RouterAlert,
    TunnelEncapsulationLimit,
)
from sockapi6.routing import (
    HMACTLV,
    SRHTLV,
    RoutingHeader,
    SegmentRoutingHeader,
    SRHPad1,
    parse_routing_header,
)

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux kernel behaviour"),
    pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable())),
]

IPV6 = socket.IPPROTO_IPV6
UDP = 17
#: addresses put on lo in the namespace: ::1 is the destination, the others SRH waypoints
LOCAL = ["2001:db8::1", "2001:db8::2", "2001:db8::3"]


# --------------------------------------------------------------------------- in the namespace


def _sysctl(*settings: str) -> None:
    subprocess.run(["sysctl", "-qw", *settings], check=True, capture_output=True)


def _exchange(cases: list[tuple[str, str, int, bytes, str]], sysctls: tuple[str, ...] = ()) -> dict[str, Any]:
    """Send one datagram per case and return what arrived, by case name.

    A case is ``(name, how, option, header_bytes, destination)`` with ``how``
    ``"anc"`` (ancillary data) or ``"sticky"`` (setsockopt), each from a
    socket of its own.  The result maps a name to ``{"error": errno name or
    None, "got": [{cmsg type: data}, ...], "dst": [destination address, ...]}``.
    """
    for a in LOCAL:
        subprocess.run(["ip", "addr", "add", f"{a}/128", "dev", "lo", "nodad"], check=True)
    if sysctls:
        _sysctl(*sysctls)
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.bind(("::", 0))
    port = rx.getsockname()[1]
    for opt in (sockapi6.IPV6_RECVHOPOPTS, sockapi6.IPV6_RECVDSTOPTS, sockapi6.IPV6_RECVRTHDR,
                sockapi6.IPV6_RECVPKTINFO):
        rx.setsockopt(IPV6, opt, 1)
    out: dict[str, Any] = {}
    for name, how, opt, data, dst in cases:
        tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        out[name] = {"error": None, "got": [], "dst": []}
        try:
            if how == "sticky":
                tx.setsockopt(IPV6, opt, data)
                out[name]["readback"] = tx.getsockopt(IPV6, opt, 1024)
                tx.sendto(name.encode(), (dst, port))
            else:
                tx.sendmsg([name.encode()], [(IPV6, opt, data)], 0, (dst, port))
        except OSError as exc:
            out[name]["error"] = errno.errorcode[exc.errno]
        finally:
            tx.close()
    # a plain datagram last: once it is in, everything before it has been handled
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as tx:
        tx.sendto(b"\0marker", ("::1", port))
    marker, linger = False, 2.0
    while select.select([rx], [], [], linger)[0]:
        payload, anc, _, _ = rx.recvmsg(4096, socket.CMSG_SPACE(2048) * 4)
        if payload == b"\0marker":
            marker, linger = True, 0.2
            continue
        cm = {t: bytes(d) for lvl, t, d in anc if lvl == IPV6 and t != sockapi6.IPV6_PKTINFO}
        pkt = [bytes(d)[:16] for lvl, t, d in anc if lvl == IPV6 and t == sockapi6.IPV6_PKTINFO]
        out[payload.decode()]["got"].append(cm)
        out[payload.decode()]["dst"].append(pkt[0] if pkt else None)
    if not marker:
        raise RuntimeError("the marker datagram never arrived")
    rx.close()
    return out


def _as_nobody(data: bytes) -> dict[str, str]:
    """Drop root and try to set Destination Options sticky and as ancillary data."""
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
    res = {}
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        for how in ("sticky", "anc"):
            try:
                if how == "sticky":
                    s.setsockopt(IPV6, sockapi6.IPV6_DSTOPTS, data)
                else:
                    s.sendmsg([b"x"], [(IPV6, sockapi6.IPV6_DSTOPTS, data)], 0, ("::1", 9))
                res[how] = "accepted"
            except OSError as exc:
                res[how] = errno.errorcode[exc.errno]
    return res


def _read_sysctl(name: str) -> int:
    with open("/proc/sys/" + name.replace(".", "/")) as f:
        return int(f.read())


# --------------------------------------------------------------------------- helpers


def _one(result: dict[str, Any], name: str) -> dict[int, bytes]:
    r = result[name]
    assert r["error"] is None, f"{name}: send failed with {r['error']}"
    assert len(r["got"]) == 1, f"{name}: {len(r['got'])} datagrams arrived, expected 1"
    cms: dict[int, bytes] = r["got"][0]
    return cms


def _dropped(result: dict[str, Any], name: str) -> None:
    r = result[name]
    assert r["error"] is None, f"{name}: send failed with {r['error']}"
    assert r["got"] == [], f"{name}: the kernel delivered it: {r['got']}"


def _random_options(rng: random.Random, hop_by_hop: bool) -> list[Option]:
    """1..8 options the kernel passes untouched: action bits 00, types it does not process."""
    opts: list[Option] = []
    for _ in range(rng.randint(1, 8)):
        pick = rng.random()
        if pick < 0.15:
            opts.append(RouterAlert(rng.choice([0, 1, 2])) if hop_by_hop
                        else TunnelEncapsulationLimit(rng.randrange(256)))
            continue
        data = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 2, 3, 4, 5, 8, 12, 16, 31])))
        aligns = [a for a in (1, 2, 4, 8) if a == 1 or a <= len(data)]
        opts.append(Option(rng.choice([0x1E, 0x3E]), data, rng.choice(aligns)))
    return opts


def _same_options(got: tuple[Option, ...], sent: tuple[Option, ...]) -> bool:
    """Equal apart from the ``align`` of generic options (parse cannot know it)."""
    def norm(o: Option) -> tuple[Any, ...]:
        return (o.__class__, o.type, o.data, o.align if o.__class__ is not Option else 1)
    return [norm(o) for o in got] == [norm(o) for o in sent]


# --------------------------------------------------------------------------- options headers


@pytest.mark.parametrize("how", ["anc", "sticky"])
def test_options_headers_round_trip(how: str) -> None:
    """HOPOPTS and DSTOPTS, built here, come back from the kernel byte for byte (Next Header aside)."""
    rng = random.Random(f"exthdr-{how}")
    sent: dict[str, HopByHopOptions | DestinationOptions] = {}
    for i in range(40):
        hbh = i % 2 == 0
        cls = HopByHopOptions if hbh else DestinationOptions
        sent[f"{how}{i}"] = cls(_random_options(rng, hbh))
    cases = [(name, how, sockapi6.IPV6_HOPOPTS if isinstance(h, HopByHopOptions) else sockapi6.IPV6_DSTOPTS,
              bytes(h), "::1") for name, h in sent.items()]
    result = run_in_netns(_exchange, cases)
    for name, h in sent.items():
        is_hbh = isinstance(h, HopByHopOptions)
        cms = _one(result, name)
        raw = cms[sockapi6.IPV6_HOPOPTS if is_hbh else sockapi6.IPV6_DSTOPTS]
        # the kernel writes the real Next Header (UDP); every other octet is ours
        assert raw[0] == UDP
        assert raw[1:] == bytes(h)[1:]
        back = h.__class__.parse(raw)
        assert back.next_header == UDP
        assert _same_options(back.options, h.options)
        if how == "sticky":
            # getsockopt hands the sticky header back exactly as set (Next Header included)
            assert result[name]["readback"] == bytes(h)


def test_dropped_options() -> None:
    """Kernel facts: Home Address and Jumbo Payload options, too many options, non-zero PadN and more
    than 7 octets of padding in a row make the receiver drop the datagram; the control cases pass."""
    limit = run_in_netns(_read_sysctl, "net.ipv6.max_dst_opts_number")
    hbh_limit = run_in_netns(_read_sysctl, "net.ipv6.max_hbh_opts_number")
    D, H = sockapi6.IPV6_DSTOPTS, sockapi6.IPV6_HOPOPTS
    cases = {
        "hao": (D, DestinationOptions([HomeAddress("2001:db8::5")])),
        "jumbo-hbh": (H, HopByHopOptions([JumboPayload(70000)])),
        "jumbo-dst": (D, DestinationOptions([JumboPayload(70000)])),
        "too-many-dst": (D, DestinationOptions([Option(0x1E)] * (limit + 1))),
        "too-many-hbh": (H, HopByHopOptions([Option(0x1E)] * (hbh_limit + 1))),
        "padn-nonzero": (D, DestinationOptions([PadN(b"\x01\0\0\0"), Option(0x1E)], autopad=False)),
        "pad-8-octets": (D, DestinationOptions([PadN(6), Option(0x1E, bytes(4))], autopad=False)),
        # controls: at the limits, the datagram arrives
        "max-dst": (D, DestinationOptions([Option(0x1E)] * limit)),
        "max-hbh": (H, HopByHopOptions([Option(0x1E)] * hbh_limit)),
        "pad-7-octets": (D, DestinationOptions([PadN(5), Option(0x1E, bytes(5))], autopad=False)),
    }
    result = run_in_netns(_exchange, [(n, "anc", o, bytes(h), "::1") for n, (o, h) in cases.items()])
    for name in ("hao", "jumbo-hbh", "jumbo-dst", "too-many-dst", "too-many-hbh", "padn-nonzero",
                 "pad-8-octets"):
        _dropped(result, name)
    for name in ("max-dst", "max-hbh", "pad-7-octets"):
        opt, h = cases[name]
        raw = _one(result, name)[opt]
        assert raw[1:] == bytes(h)[1:]
        assert h.__class__.parse(raw, keep_padding=True).options[:len(h.options)] == h.options


def test_options_need_cap_net_raw() -> None:
    """Kernel fact: without CAP_NET_RAW, setting IPV6_DSTOPTS (sticky or ancillary) fails with EPERM."""
    res = run_in_netns(_as_nobody, bytes(DestinationOptions([Option(0x1E, b"ab")])))
    assert res == {"sticky": "EPERM", "anc": "EPERM"}


# --------------------------------------------------------------------------- routing headers

SEG6_ON = ("net.ipv6.conf.all.seg6_enabled=1", "net.ipv6.conf.lo.seg6_enabled=1")


def _srh_cases() -> dict[str, SegmentRoutingHeader]:
    ph = "2001:db8::99"  # placeholder for Segment List[0]: the kernel replaces it with the destination
    return {
        "two": SegmentRoutingHeader([ph, LOCAL[1]]),
        "three": SegmentRoutingHeader([ph, LOCAL[1], LOCAL[2]], flags=0x80, tag=0x1234),
        "tlvs": SegmentRoutingHeader([ph, LOCAL[2]],
                                     tlvs=[SRHTLV(0x80, b"abc"), HMACTLV(7, bytes(range(32)))]),
        # one octet of padding needed: PadN(5) + PadN(0), since the kernel refuses Pad1
        "pad9": SegmentRoutingHeader([ph, LOCAL[1]], tlvs=[SRHTLV(0x81, b"abcde")]),
        "flag08": SegmentRoutingHeader([ph, LOCAL[1]], flags=0x08),
    }


def test_srh_sticky_round_trip() -> None:
    """A sticky SRH arrives with Segment List[0] rewritten to the destination and Segments Left 0
    (each local waypoint decremented it); every other field, TLVs included, as sent."""
    sent = _srh_cases()
    cases = [(n, "sticky", sockapi6.IPV6_RTHDR, bytes(h), LOCAL[0]) for n, h in sent.items()]
    result = run_in_netns(_exchange, cases, SEG6_ON)
    for name, h in sent.items():
        assert result[name]["readback"] == bytes(h)
        raw = _one(result, name)[sockapi6.IPV6_RTHDR]
        got = parse_routing_header(raw)
        expected = SegmentRoutingHeader([LOCAL[0], *h.segments[1:]], segments_left=0, flags=h.flags,
                                        tag=h.tag, tlvs=h.tlvs, next_header=UDP)
        assert got == expected, name
        assert raw == bytes(expected)
        assert result[name]["dst"] == [socket.inet_pton(socket.AF_INET6, LOCAL[0])]


def test_srh_refused_or_dropped() -> None:
    """Kernel facts: an SRH as ancillary data, with a Pad1 TLV, or reduced (Segments Left = Last Entry
    + 1) is refused with EINVAL; flag 0x08 with an HMAC TLV whose key is unknown is dropped, and
    every SRH is dropped where seg6_enabled is 0."""
    segs = ["2001:db8::99", LOCAL[1]]
    srh = SegmentRoutingHeader
    bad = {
        "anc": ("anc", srh(segs)),
        "pad1-before-tlv": ("sticky", srh(segs, tlvs=[SRHPad1(), SRHTLV(0x80, b"abcd")], autopad=False)),
        "pad1-at-end": ("sticky", srh(segs, tlvs=[SRHTLV(0x80, b"abcde"), SRHPad1()], autopad=False)),
        "reduced": ("sticky", srh(segs, segments_left=2)),
        "hmac-flag08": ("sticky", srh(segs, flags=0x08, tlvs=[HMACTLV(7, bytes(32))])),
    }
    result = run_in_netns(_exchange, [(n, how, sockapi6.IPV6_RTHDR, bytes(h), LOCAL[0])
                                      for n, (how, h) in bad.items()], SEG6_ON)
    for name in ("anc", "pad1-before-tlv", "pad1-at-end", "reduced"):
        assert result[name]["error"] == "EINVAL", (name, result[name])
    _dropped(result, "hmac-flag08")
    # with seg6_enabled left at 0, a well-formed SRH is sent but never delivered
    off = run_in_netns(_exchange, [("plain", "sticky", sockapi6.IPV6_RTHDR,
                                    bytes(_srh_cases()["two"]), LOCAL[0])])
    _dropped(off, "plain")


@pytest.mark.parametrize("rh", [RoutingHeader([LOCAL[1]]), RoutingHeader([LOCAL[1]], type=2)],
                         ids=["type0", "type2"])
def test_rh0_rh2_sticky(rh: RoutingHeader) -> None:
    """Kernel fact: without CONFIG_IPV6_MIP6, RH0 and RH2 are refused (EINVAL).  A kernel that takes
    one must hand it back intact through getsockopt."""
    result = run_in_netns(_exchange, [("rh", "sticky", sockapi6.IPV6_RTHDR, bytes(rh), LOCAL[0])])["rh"]
    if result["error"] is not None:
        assert result["error"] == "EINVAL"
    else:
        assert RoutingHeader.parse(result["readback"]) == rh


# --------------------------------------------------------------------------- the largest headers


def _largest_dstopts(wire: bytes) -> dict[str, Any]:
    """Send ``wire`` as IPV6_DSTOPTS to ::1 and read it back through sockapi6.recvmsg."""
    _sysctl("net.ipv6.max_dst_opts_number=1000")
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as rx, \
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as tx:
        rx.bind(("::1", 0))
        rx.setsockopt(IPV6, sockapi6.IPV6_RECVDSTOPTS, 1)
        tx.sendmsg([b"big"], [(IPV6, sockapi6.IPV6_DSTOPTS, wire)], 0, rx.getsockname())
        rx.settimeout(5)
        msg = sockapi6.recvmsg(rx)
        return {"raw": msg.raw_ancillary[0][2], "header": msg.dstopts, "items": msg.ancillary}


def test_largest_header_through_recvmsg() -> None:
    """A 2040-octet Destination Options header (Linux's largest) whose padding is not our layout.

    Pad1, 509 back-to-back Router Alert options at odd offsets (a receiver walks them whatever their
    alignment), Pad1: the kernel delivers it, and recvmsg / parse_ancillary keep its bytes.
    """
    wire = bytes([59, 254, 0]) + bytes([5, 2, 0, 1]) * 509 + b"\0"
    assert len(wire) == 2040
    got = run_in_netns(_largest_dstopts, wire)
    assert got["raw"][1:] == wire[1:]
    header = got["header"]
    assert isinstance(header, DestinationOptions) and bytes(header)[1:] == wire[1:]
    assert not header.autopad and len(header.options) == 511 and header.options[1] == RouterAlert(1)
    assert got["items"] == [header]
    assert DestinationOptions(header.options, header.next_header, autopad=False) == header
