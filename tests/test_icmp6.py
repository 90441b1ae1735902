"""sockapi6.icmp6: ICMPv6 / ND / MLD messages and options as bytes, by hand, by hypothesis and by scapy."""

from __future__ import annotations

import pickle
from ipaddress import IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sockapi6 import icmp6
from sockapi6.errors import MalformedError
from sockapi6.icmp6 import (
    MTU,
    AdvertisementInterval,
    DestinationUnreachable,
    DNSSearchList,
    EchoReply,
    EchoRequest,
    HomeAgentAddressDiscoveryReply,
    HomeAgentAddressDiscoveryRequest,
    HomeAgentInformation,
    MLDDone,
    MLDQuery,
    MLDReport,
    MLDv2Query,
    MLDv2Record,
    MLDv2Report,
    MobilePrefixAdvertisement,
    MobilePrefixSolicitation,
    MPAFlag,
    NAFlag,
    NeighborAdvertisement,
    NeighborSolicitation,
    PacketTooBig,
    ParameterProblem,
    PIFlag,
    PrefixInformation,
    RAFlag,
    RecordType,
    RecursiveDNSServer,
    Redirect,
    RedirectedHeader,
    RouterAdvertisement,
    RouterPreference,
    RouterSolicitation,
    SourceLinkLayerAddress,
    TargetLinkLayerAddress,
    TimeExceeded,
    UnknownICMPv6Message,
    UnknownNDOption,
)

NS = {**vars(icmp6), "IPv6Address": IPv6Address}
RA = RouterAdvertisement(
    64,
    RAFlag.MANAGED | RAFlag.HOME_AGENT | RAFlag(0x08),
    1800,
    30000,
    1000,
    options=[
        SourceLinkLayerAddress("02:00:00:00:00:0a"),
        MTU(1500),
        PrefixInformation("2001:db8::", 64, PIFlag.ON_LINK | PIFlag.AUTONOMOUS | PIFlag.ROUTER, 86400, 14400),
        RecursiveDNSServer(["2001:db8::53", "2001:db8::54"], 600),
        DNSSearchList(["example.com", "lab.example.org"], 600),
        AdvertisementInterval(1000),
        HomeAgentInformation(-5, 300),
        UnknownNDOption(24, bytes(6)),
    ],
)

MESSAGES = [
    EchoRequest(1, 2, b"hi"),
    EchoReply(3, 4),
    DestinationUnreachable(4, b"\x60" * 8),
    PacketTooBig(1280, b"x"),
    TimeExceeded(1),
    ParameterProblem(1, 40, b"abc"),
    UnknownICMPv6Message(200, 3, b"zz"),
    RouterSolicitation([SourceLinkLayerAddress("02:00:00:00:00:0a")]),
    RA,
    NeighborSolicitation("fe80::1", [SourceLinkLayerAddress(b"\x02" * 6)]),
    NeighborAdvertisement(
        "fe80::1", NAFlag.ROUTER | NAFlag.SOLICITED, [TargetLinkLayerAddress("02:00:00:00:00:0b")]
    ),
    Redirect("fe80::1", "2001:db8::9", [RedirectedHeader(b"\x60" + bytes(50))]),
    MLDQuery(),
    MLDReport("ff02::1:3"),
    MLDDone("ff02::1:3"),
    MLDv2Query("ff02::fb", ["2001:db8::1"], suppress=True),
    MLDv2Report(
        [
            MLDv2Record(RecordType.CHANGE_TO_EXCLUDE, "ff02::fb"),
            MLDv2Record(1, "ff05::2", ["2001:db8::2"], b"abcd"),
        ]
    ),
    HomeAgentAddressDiscoveryRequest(7),
    HomeAgentAddressDiscoveryReply(7, ["2001:db8::1"]),
    MobilePrefixSolicitation(9),
    MobilePrefixAdvertisement(9, MPAFlag.MANAGED, [PrefixInformation("2001:db8:1::")]),
]


@pytest.mark.parametrize("msg", MESSAGES, ids=lambda m: type(m).__name__)
def test_roundtrip(msg: icmp6.ICMPv6Message) -> None:
    data = bytes(msg)
    assert data[0] == msg.type
    parsed = icmp6.parse(data)
    assert parsed == msg and bytes(parsed) == data and hash(parsed) == hash(msg)
    assert eval(repr(parsed), NS) == parsed
    assert pickle.loads(pickle.dumps(parsed)) == parsed
    filled = msg.with_checksum("fe80::1", "ff02::1")
    assert icmp6.checksum("fe80::1", "ff02::1", bytes(filled)) == filled.checksum
    assert icmp6.parse(bytes(filled)).checksum == filled.checksum


def test_wire_layout_from_the_rfc_figures() -> None:
    assert bytes(EchoRequest(0x1234, 0x5678, b"ab")).hex() == "80000000123456786162"
    ra = bytes(RouterAdvertisement(64, RAFlag.MANAGED, 1800, 1, 2))
    assert ra.hex() == "86000000408007080000000100000002"
    pi = bytes(PrefixInformation("2001:db8::", 64, PIFlag.ON_LINK | PIFlag.ROUTER, 10, 5))
    assert pi.hex() == "030440a00000000a0000000500000000" + IPv6Address("2001:db8::").packed.hex()
    rdnss = bytes(RecursiveDNSServer(["2001:db8::53"], 600))
    assert rdnss[:2] == b"\x19\x03" and rdnss[4:8] == (600).to_bytes(4, "big")
    dnssl = bytes(DNSSearchList(["example.com"], 600))  # 13 octets of name, 3 of padding, len 3
    assert dnssl == b"\x1f\x03\x00\x00" + (600).to_bytes(4, "big") + b"\x07example\x03com\x00" + bytes(3)
    na = bytes(NeighborAdvertisement("fe80::1", NAFlag.ROUTER | NAFlag.OVERRIDE))
    assert na[4:8] == b"\xa0\x00\x00\x00"
    assert RA.preference is RouterPreference.HIGH


def test_repr_is_readable() -> None:
    text = repr(icmp6.parse(bytes(RA)))
    for piece in (
        "2001:db8::53",
        "example.com",
        "lab.example.org",
        "RAFlag.MANAGED",
        "PIFlag.ROUTER",
        "valid_lifetime=86400",
        "router_lifetime=1800",
        "02:00:00:00:00:0a",
        "mtu=1500",
    ):
        assert piece in text


def test_kept_as_received() -> None:
    dnssl = bytes(DNSSearchList(["a.b"], 5, padding=11))  # extra 8 octets of zero padding
    assert icmp6.parse(bytes(RouterSolicitation([UnknownNDOption(99, bytes(6))])))
    rs = bytes(RouterSolicitation(options=[], reserved=0xDEADBEEF)) + dnssl
    assert bytes(icmp6.parse(rs)) == rs
    assert icmp6.parse(rs).options[0].padding == 11


def test_c_names_of_multibyte_flags() -> None:
    import sys

    little = sys.byteorder == "little"
    assert icmp6.ND_NA_FLAG_ROUTER == (0x80 if little else 0x80000000)
    assert icmp6.ICMP6_RR_RESULT_FLAGS_OOB == (0x0200 if little else 0x0002)
    assert icmp6.MIP6_PA_FLAG_MANAGED == (0x80 if little else 0x8000)


MALFORMED = [
    ("", "at least 4"),
    ("8000000012", "needs 4"),
    ("85000000000000000100", "length 0"),
    ("85000000000000000102" + "00" * 6, "overruns"),
    ("850000000000000001", "no room"),
    ("860000004000000000000000000000000305" + "00" * 38, "too long"),
    ("85000000000000001902" + "00" * 14, "multiple of 16"),
    ("85000000000000001f02000000000000c00c" + "00" * 6, "compression"),
    ("85000000000000001f020000000000000861626364" + "00" * 3, "past the end"),
    ("85000000000000001f02000000000000" + "00" * 8, "no domain"),
    ("8200000000000000" + "00" * 17, "24 or at least 28"),
    ("8200000000000000" + "00" * 16 + "02000001", "1 sources"),
    ("8f0000000000000201000000" + "00" * 16, "needs 20"),
    ("8300000000000000" + "00" * 17, "24 octets"),
    ("9100000000000000" + "00" * 8, "multiple of 16"),
]


@pytest.mark.parametrize(("hexdata", "message"), MALFORMED)
def test_malformed(hexdata: str, message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        icmp6.parse(bytes.fromhex(hexdata))


@given(st.binary(max_size=120))
def test_fuzz(data: bytes) -> None:
    try:
        msg = icmp6.parse(data)
    except MalformedError:
        return
    assert bytes(msg) == data


@given(st.sampled_from(MESSAGES), st.integers(0, 500), st.integers(0, 255))
def test_fuzz_mutations(msg: icmp6.ICMPv6Message, where: int, value: int) -> None:
    data = bytearray(bytes(msg))
    data[where % len(data)] = value
    try:
        parsed = icmp6.parse(bytes(data))
    except MalformedError:
        return
    assert bytes(parsed) == bytes(data)


addresses = st.binary(min_size=16, max_size=16).map(IPv6Address)
labels = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)
nd_options = st.lists(
    st.one_of(
        st.binary(min_size=1, max_size=14).map(SourceLinkLayerAddress),
        st.integers(0, 2**32 - 1).map(MTU),
        st.builds(
            PrefixInformation,
            addresses,
            st.integers(0, 128),
            st.integers(0, 255),
            st.integers(0, 2**32 - 1),
            st.integers(0, 2**32 - 1),
        ),
        st.builds(RecursiveDNSServer, st.lists(addresses, min_size=1, max_size=3), st.integers(0, 2**32 - 1)),
        st.builds(
            DNSSearchList,
            st.lists(st.lists(labels, min_size=1, max_size=3).map(".".join), min_size=1, max_size=3),
            st.integers(0, 2**32 - 1),
        ),
        st.builds(HomeAgentInformation, st.integers(-0x8000, 0x7FFF), st.integers(0, 0xFFFF)),
        st.builds(UnknownNDOption, st.integers(40, 255), st.integers(0, 3).map(lambda n: bytes(6 + 8 * n))),
    ),
    max_size=6,
)


@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 0xFFFF), nd_options)
def test_ra_roundtrip(hops: int, flags: int, lifetime: int, opts: list[icmp6.NDOption]) -> None:
    ra = RouterAdvertisement(hops, flags, lifetime, options=opts)
    parsed = icmp6.parse(bytes(ra))
    assert parsed == ra and bytes(parsed) == bytes(ra)
    assert eval(repr(parsed), NS) == parsed


# ---- independent check: scapy -----------------------------------------------------------------


def test_scapy_decodes_ours() -> None:
    s = pytest.importorskip("scapy.layers.inet6")
    ra = s.ICMPv6ND_RA(bytes(RA))
    assert (ra.chlim, ra.M, ra.O, ra.H, ra.prf, ra.routerlifetime, ra.reachabletime, ra.retranstimer) == (
        64,
        1,
        0,
        1,
        1,
        1800,
        30000,
        1000,
    )
    assert ra[s.ICMPv6NDOptSrcLLAddr].lladdr == "02:00:00:00:00:0a"
    assert ra[s.ICMPv6NDOptMTU].mtu == 1500
    pi = ra[s.ICMPv6NDOptPrefixInfo]
    assert (pi.prefix, pi.prefixlen, pi.L, pi.A, pi.R, pi.validlifetime, pi.preferredlifetime) == (
        "2001:db8::",
        64,
        1,
        1,
        1,
        86400,
        14400,
    )
    assert ra[s.ICMPv6NDOptRDNSS].dns == ["2001:db8::53", "2001:db8::54"]
    assert ra[s.ICMPv6NDOptRDNSS].lifetime == 600
    assert ra[s.ICMPv6NDOptDNSSL].searchlist == ["example.com.", "lab.example.org."]
    assert ra[s.ICMPv6NDOptAdvInterval].advint == 1000
    assert ra[s.ICMPv6NDOptHAInfo].lifetime == 300
    echo = s.ICMPv6EchoRequest(bytes(EchoRequest(7, 8, b"data")))
    assert (echo.id, echo.seq, echo.data) == (7, 8, b"data")
    na = s.ICMPv6ND_NA(bytes(NeighborAdvertisement("fe80::1", NAFlag.ROUTER | NAFlag.SOLICITED)))
    assert (na.R, na.S, na.O, na.tgt) == (1, 1, 0, "fe80::1")
    ns = s.ICMPv6ND_NS(bytes(NeighborSolicitation("fe80::2")))
    assert ns.tgt == "fe80::2"
    q = s.ICMPv6MLQuery2(bytes(MLDv2Query("ff02::fb", ["2001:db8::1"], suppress=True, qrv=3)))
    assert (q.mladdr, q.S, q.QRV, q.QQIC, q.sources) == ("ff02::fb", 1, 3, 125, ["2001:db8::1"])
    rep = s.ICMPv6MLReport2(bytes(MESSAGES[16]))
    assert rep.records_number == 2 and rep.records[0].dst == "ff02::fb" and rep.records[0].rtype == 4
    ha = s.ICMPv6HAADRequest(bytes(HomeAgentAddressDiscoveryRequest(7)))
    assert ha.id == 7


def test_we_parse_scapys() -> None:
    s = pytest.importorskip("scapy.layers.inet6")
    built = (
        s.ICMPv6ND_RA(chlim=255, M=1, H=1, prf=0, routerlifetime=900)
        / s.ICMPv6NDOptSrcLLAddr(lladdr="02:00:00:00:00:0b")
        / s.ICMPv6NDOptMTU(mtu=1280)
        / s.ICMPv6NDOptPrefixInfo(prefix="2001:db8:5::", prefixlen=48, R=1)
        / s.ICMPv6NDOptRDNSS(dns=["2001:db8::1"], lifetime=60)
        / s.ICMPv6NDOptDNSSL(searchlist=["example.net"], lifetime=70)
    )
    ra = icmp6.parse(bytes(built))
    assert isinstance(ra, RouterAdvertisement)
    assert (ra.cur_hop_limit, ra.flags, ra.router_lifetime) == (255, RAFlag.MANAGED | RAFlag.HOME_AGENT, 900)
    sll, mtu, pi, rdnss, dnssl = ra.options
    assert sll == SourceLinkLayerAddress("02:00:00:00:00:0b") and mtu == MTU(1280)
    assert (pi.prefix, pi.prefix_length, PIFlag.ROUTER in pi.flags) == (IPv6Address("2001:db8:5::"), 48, True)
    assert rdnss == RecursiveDNSServer(["2001:db8::1"], 60)
    assert dnssl.domains == ("example.net",) and dnssl.lifetime == 70
    assert bytes(ra) == bytes(built)
    echo = icmp6.parse(bytes(s.ICMPv6EchoReply(id=3, seq=4, data=b"xyz")))
    assert echo == EchoReply(3, 4, b"xyz", checksum=echo.checksum)
    na = icmp6.parse(bytes(s.ICMPv6ND_NA(R=0, S=1, O=1, tgt="fe80::9")))
    assert isinstance(na, NeighborAdvertisement)
    assert (na.target, na.flags) == (IPv6Address("fe80::9"), NAFlag.SOLICITED | NAFlag.OVERRIDE)
    q = icmp6.parse(bytes(s.ICMPv6MLQuery2(mladdr="ff02::fb", sources=["2001:db8::7"])))
    assert isinstance(q, MLDv2Query) and q.sources == (IPv6Address("2001:db8::7"),)


def test_checksum_machinery_is_shared_and_follows_rfc1071() -> None:
    import copy

    from sockapi6 import _checksum, mobility
    from sockapi6._value import ValueObject

    # RFC 1071 section 3 worked example: the one's complement sum of 0001 f203 f4f5 f6f7 is ddf2
    assert _checksum.internet_checksum(bytes.fromhex("0001f203f4f5f6f7")) == 0xFFFF - 0xDDF2
    assert not hasattr(icmp6, "internet_checksum") and not hasattr(mobility, "internet_checksum")
    ra = icmp6.parse(bytes(RA))
    assert copy.copy(ra) is ra and copy.deepcopy(ra) is ra  # immutable: the shared ValueObject base
    assert isinstance(ra, ValueObject)
