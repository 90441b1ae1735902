"""sockapi6.mobility: Mobility Header messages and options (RFC 6275 6.1-6.2) as bytes, and via scapy."""

from __future__ import annotations

import pickle
import struct
from ipaddress import IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sockapi6 import mobility as m
from sockapi6.errors import MalformedError, NotSupportedError
from sockapi6.mobility import (
    AlternateCareofAddress,
    BAFlag,
    BAStatus,
    BEStatus,
    BindingAcknowledgement,
    BindingAuthorizationData,
    BindingError,
    BindingRefreshAdvice,
    BindingRefreshRequest,
    BindingUpdate,
    BUFlag,
    CareofTest,
    CareofTestInit,
    HomeTest,
    HomeTestInit,
    MobilityPad1,
    MobilityPadN,
    NonceIndices,
    UnknownMobilityMessage,
    UnknownMobilityOption,
)

NS = {**vars(m), "IPv6Address": IPv6Address}
HOA = IPv6Address("2001:db8::1")
COA = IPv6Address("2001:db8:1::2")

#: every message with its wire bytes, written from the RFC 6275 figures (checksum 0)
VECTORS = [
    (BindingRefreshRequest(), "3b00000000000000"),
    (HomeTestInit(0x1122334455667788), "3b010100000000001122334455667788"),
    (CareofTestInit(5), "3b010200000000000000000000000005"),
    (HomeTest(1, 2, 3), "3b0203000000000100000000000000020000000000000003"),
    (CareofTest(4, 5, 6), "3b0204000000000400000000000000050000000000000006"),
    # BU 12 octets, Nonce Indices at 12 (2n), BAD at 18 (8n+2), ends at 32: no padding needed
    (
        BindingUpdate(
            7,
            BUFlag.ACK | BUFlag.HOME,
            100,
            options=[NonceIndices(1, 2), BindingAuthorizationData(b"x" * 12)],
        ),
        "3b03050000000007c0000064040400010002050c" + "78" * 12,
    ),
    (
        BindingAcknowledgement(
            BAStatus.ACCEPTED, 7, 50, flags=BAFlag.KEY_MANAGEMENT, options=[BindingRefreshAdvice(10)]
        ),
        "3b01060000000080000700320202000a",
    ),
    # Alternate CoA needs 8n+6: PadN of 4 data octets at 24, the option at 30
    (
        BindingError(BEStatus.UNKNOWN_MH_TYPE, HOA, options=[AlternateCareofAddress(COA)]),
        "3b05070000000200" + HOA.packed.hex() + "0104000000000310" + COA.packed.hex(),
    ),
    (UnknownMobilityMessage(9, b"\x01\x02"), "3b00090000000102"),
]


@pytest.mark.parametrize(
    ("msg", "hexdata"), VECTORS, ids=lambda v: type(v).__name__ if not isinstance(v, str) else ""
)
def test_vectors(msg: m.MobilityMessage, hexdata: str) -> None:
    data = bytes.fromhex(hexdata)
    assert bytes(msg) == data
    assert len(msg) == len(data) and len(data) % 8 == 0
    parsed = m.parse(data)
    assert parsed == msg and bytes(parsed) == data
    assert eval(repr(parsed), NS) == parsed
    assert pickle.loads(pickle.dumps(parsed)) == parsed
    assert hash(parsed) == hash(msg)


def test_padding_rules() -> None:
    """RFC 6275 6.2: options aligned from the start of the header, total a multiple of 8."""
    bu = BindingUpdate(1, options=[AlternateCareofAddress(COA)])  # at 12: 8n+6 needs 2 octets of padding
    assert bu.options == (MobilityPadN(), AlternateCareofAddress(COA))
    assert len(bu) == 32
    ba = BindingAcknowledgement(0, 1, options=[BindingRefreshAdvice(1)])  # 12 + 4 = 16
    assert ba.options == (BindingRefreshAdvice(1),)
    brr = BindingRefreshRequest(options=[BindingRefreshAdvice(1)])  # 8 + 4, then 4 octets to 16
    assert brr.options == (BindingRefreshAdvice(1), MobilityPadN(b"\0\0"))
    brr = BindingRefreshRequest(options=[NonceIndices(1, 2), MobilityPad1()])
    # explicit padding kept, end aligned
    assert brr.options == (NonceIndices(1, 2), MobilityPad1(), MobilityPad1())
    with pytest.raises(ValueError, match="multiple of 8"):
        BindingRefreshRequest(options=[NonceIndices(1, 2)], pad=False)
    misaligned = BindingAcknowledgement(0, 1, options=[BindingAuthorizationData(b"\x01\x02")], pad=False)
    assert repr(misaligned).endswith("pad=False)")
    assert eval(repr(misaligned), NS) == misaligned


def test_kept_as_received() -> None:
    """Unknown options and types, non-zero reserved fields, odd padding and the checksum survive."""
    data = bytes.fromhex("3b0105ffbeef0001000000002a02abcd")
    msg = m.parse(data)
    assert isinstance(msg, BindingUpdate) and msg.reserved == 0xFF and msg.checksum == 0xBEEF
    assert msg.options == (UnknownMobilityOption(42, b"\xab\xcd"),)
    assert bytes(msg) == data
    empty_padn = bytes.fromhex("3b0100000000000001002a04aabbccdd")
    unknown = UnknownMobilityOption(42, bytes.fromhex("aabbccdd"))
    assert m.parse(empty_padn).options == (MobilityPadN(), unknown)
    assert bytes(m.parse(empty_padn)) == empty_padn
    padn = bytes.fromhex("3b00000000000000")
    assert bytes(m.parse(padn)) == padn
    nonzero_pad = bytes.fromhex("3b010000000000000106010203040506")
    assert bytes(m.parse(nonzero_pad)) == nonzero_pad


def test_checksum() -> None:
    data = bytes(HomeTestInit(1))
    value = m.checksum(HOA, COA, data)
    filled = data[:4] + struct.pack("!H", value) + data[6:]
    # RFC 1071: the sum over pseudo-header and message including its checksum is 0xffff
    assert m.checksum(HOA, COA, filled) == value
    assert HomeTestInit(1).with_checksum(HOA, COA).checksum == value
    # with a Home Address option the home address replaces the source (RFC 6275 6.1.1)
    away = m.checksum("2001:db8:2::9", COA, data, home_address=HOA)
    assert away == value
    assert m.checksum("2001:db8:2::9", COA, data, home_address=m.home_address_option(HOA)) == value


def test_extension_header_interop() -> None:
    from sockapi6.exthdr import DestinationOptions, HomeAddress
    from sockapi6.routing import RoutingHeader

    hao = m.home_address_option(HOA)
    assert isinstance(hao, HomeAddress) and m.HomeAddress is HomeAddress
    assert bytes(hao) == bytes([0xC9, 16]) + HOA.packed
    rh2 = m.type2_routing_header(HOA)
    assert isinstance(rh2, RoutingHeader) and m.RoutingHeader is RoutingHeader
    assert bytes(rh2)[1:4] == b"\x02\x02\x01" and bytes(rh2)[8:] == HOA.packed
    data = bytes(BindingRefreshRequest())
    assert m.checksum(COA, "::1", data, home_address=DestinationOptions([hao])) == m.checksum(
        HOA, "::1", data
    )


def test_mipdstopts_is_not_supported() -> None:
    # absent as in C (no OS numbers it), with the reason; hasattr() stays usable
    assert not hasattr(m, "IPV6_MIPDSTOPTS")
    with pytest.raises(AttributeError, match="no OS assigns it a number"):
        m.IPV6_MIPDSTOPTS  # noqa: B018
    import socket

    from sockapi6.sockopt import SocketOptions

    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        with pytest.raises(NotSupportedError, match="IPV6_MIPDSTOPTS"):
            SocketOptions(s).mipdstopts  # noqa: B018


def test_protocol_lookup_and_c_names() -> None:
    from sockapi6 import mhsocket

    assert mhsocket.mh_protocol() == 135
    with pytest.raises(AttributeError, match=r"moved to sockapi6\.mhsocket\.open_mh_socket"):
        m.open_mh_socket  # noqa: B018
    import sys

    expected = 0x8000 if sys.byteorder == "big" else 0x0080
    assert m.IP6_MH_BU_ACK == expected


def test_value_objects() -> None:
    bu = BindingUpdate(1, BUFlag.ACK, 2)
    with pytest.raises(AttributeError):
        bu.sequence = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        BindingUpdate(1, options=[b"\x00"])
    with pytest.raises(ValueError):
        BindingUpdate(70000)
    with pytest.raises(TypeError):
        BindingUpdate()
    assert BindingAcknowledgement(200, 1).status == 200  # unknown status kept as int
    assert BindingError(1, HOA).status is BEStatus.UNKNOWN_HOME_ADDRESS


MALFORMED = [
    ("", "at least 8 octets"),
    ("3b0100000000000000", "Header Len 1 means 16"),
    ("3b0000000000000000", "follow"),
    ("3b00050000000000", "needs at least 12"),
    ("3b010000000000000110000000000000", "overruns"),
    ("3b010000000000000000000000000002", "no room"),
    ("3b010000000000000201000000000000", "Option Length 1, expected 2"),
    ("3b010000000000000310000000000000", "overruns"),
]


@pytest.mark.parametrize(("hexdata", "message"), MALFORMED)
def test_malformed(hexdata: str, message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        m.parse(bytes.fromhex(hexdata))


# ---- property tests ---------------------------------------------------------------------------

addresses = st.binary(min_size=16, max_size=16).map(IPv6Address)
u16s = st.integers(0, 0xFFFF)
options = st.lists(
    st.one_of(
        u16s.map(BindingRefreshAdvice),
        addresses.map(AlternateCareofAddress),
        st.builds(NonceIndices, u16s, u16s),
        st.binary(max_size=40).map(MobilityPadN),
        st.builds(UnknownMobilityOption, st.integers(6, 255), st.binary(max_size=30)),
    ),
    max_size=5,
)
auth = st.one_of(st.none(), st.binary(max_size=40).map(BindingAuthorizationData))
messages = st.one_of(
    st.builds(BindingRefreshRequest, reserved2=u16s),
    st.builds(HomeTestInit, st.integers(0, 2**64 - 1)),
    st.builds(CareofTestInit, st.integers(0, 2**64 - 1)),
    st.builds(HomeTest, u16s, st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)),
    st.builds(CareofTest, u16s, st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)),
    st.builds(BindingUpdate, u16s, u16s, u16s),
    st.builds(BindingAcknowledgement, st.integers(0, 255), u16s, u16s, st.integers(0, 255)),
    st.builds(BindingError, st.integers(0, 255), addresses),
)


@given(messages, options, auth, st.integers(0, 255), st.integers(0, 0xFFFF))
def test_roundtrip(
    msg: m.MobilityMessage, opts: list[m.MobilityOption], bad: m.MobilityOption | None, proto: int, csum: int
) -> None:
    values = dict(zip(msg._fields, msg._args()))
    values.update(options=opts + ([bad] if bad else []), proto=proto, checksum=csum)
    built = type(msg)(**values)
    data = bytes(built)
    assert len(data) % 8 == 0 and data[1] == len(data) // 8 - 1
    for opt in built.options:  # every option meets its alignment from the start of the header
        offset = data.index(bytes(opt), 6) if not opt.PADDING else None
        if offset is not None and opt.ALIGN != (1, 0):
            mult, rem = opt.ALIGN
            assert any((o - rem) % mult == 0 for o in _offsets(data, bytes(opt)))
    parsed = m.parse(data)
    assert parsed == built and bytes(parsed) == data
    assert eval(repr(parsed), NS) == parsed


def _offsets(data: bytes, needle: bytes) -> list[int]:
    return [i for i in range(len(data)) if data.startswith(needle, i)]


@given(st.binary(max_size=80))
def test_fuzz(data: bytes) -> None:
    try:
        msg = m.parse(data)
    except MalformedError:
        return
    assert bytes(msg) == data


@given(messages, st.integers(0, 200), st.integers(0, 255))
def test_fuzz_mutations(msg: m.MobilityMessage, where: int, value: int) -> None:
    data = bytearray(bytes(msg))
    data[where % len(data)] = value
    try:
        parsed = m.parse(bytes(data))
    except MalformedError:
        return
    assert bytes(parsed) == bytes(data)


# ---- independent check: scapy -----------------------------------------------------------------


def _scapy():  # type: ignore[no-untyped-def]
    inet6 = pytest.importorskip("scapy.layers.inet6")
    return inet6


def test_scapy_decodes_ours() -> None:
    s = _scapy()
    cases = [
        (BindingRefreshRequest(), s.MIP6MH_BRR, {"mhtype": 0}),
        (HomeTestInit(0x1122334455667788), s.MIP6MH_HoTI, {"cookie": bytes.fromhex("1122334455667788")}),
        (CareofTestInit(7), s.MIP6MH_CoTI, {"cookie": (7).to_bytes(8, "big")}),
        (
            HomeTest(3, 4, 5),
            s.MIP6MH_HoT,
            {"index": 3, "cookie": (4).to_bytes(8, "big"), "token": (5).to_bytes(8, "big")},
        ),
        (
            CareofTest(6, 7, 8),
            s.MIP6MH_CoT,
            {"index": 6, "cookie": (7).to_bytes(8, "big"), "token": (8).to_bytes(8, "big")},
        ),
        (BindingUpdate(9, BUFlag.ACK | BUFlag.HOME, 30), s.MIP6MH_BU, {"seq": 9, "mhtime": 30}),
        (
            BindingAcknowledgement(BAStatus.NOT_HOME_AGENT, 11, 40),
            s.MIP6MH_BA,
            {"status": 133, "seq": 11, "mhtime": 40},
        ),
        (BindingError(BEStatus.UNKNOWN_HOME_ADDRESS, HOA), s.MIP6MH_BE, {"status": 1, "ha": str(HOA)}),
    ]
    for ours, cls, fields in cases:
        theirs = cls(bytes(ours))
        assert theirs.mhtype == ours.TYPE and theirs.nh == 59 and theirs.len == len(ours) // 8 - 1
        for name, value in fields.items():
            assert getattr(theirs, name) == value, (cls.__name__, name)
        assert bytes(theirs) == bytes(ours)
    bu = s.MIP6MH_BU(bytes(BindingUpdate(1, BUFlag.ACK | BUFlag.KEY_MANAGEMENT, 2)))
    assert "A" in str(bu.flags) and "K" in str(bu.flags) and "H" not in str(bu.flags)
    with_opts = BindingUpdate(1, options=[NonceIndices(5, 6), BindingAuthorizationData(b"z" * 12)])
    theirs = s.MIP6MH_BU(bytes(with_opts))
    decoded = [o for o in theirs.options if o.otype not in (0, 1)]
    assert (decoded[0].hni, decoded[0].coni) == (5, 6)
    err = s.MIP6MH_BE(bytes(BindingError(2, HOA, options=[AlternateCareofAddress(COA)])))
    assert [o.acoa for o in err.options if o.otype == 3] == [str(COA)]


def test_we_parse_scapys() -> None:
    s = _scapy()
    ba = m.parse(
        bytes(s.MIP6MH_BA(status=0, flags=0, seq=3, mhtime=4, options=[s.MIP6OptBRAdvice(rinter=5)]))
    )
    assert ba == BindingAcknowledgement(BAStatus.ACCEPTED, 3, 4, options=[BindingRefreshAdvice(5)])
    # scapy 2.x defaults MIP6OptNonceIndices.olen to 16 (RFC 6275 6.2.6 says 4): given explicitly
    bu = m.parse(
        bytes(
            s.MIP6MH_BU(
                seq=5,
                flags="AH",
                mhtime=3,
                options=[s.MIP6OptAltCoA(acoa=str(COA)), s.MIP6OptNonceIndices(olen=4, hni=1, coni=2)],
            )
        )
    )
    assert isinstance(bu, BindingUpdate)
    assert (bu.sequence, bu.flags, bu.lifetime) == (5, BUFlag.ACK | BUFlag.HOME, 3)
    named = [o for o in bu.options if not o.PADDING]
    assert named == [AlternateCareofAddress(COA), NonceIndices(1, 2)]
    hoti = m.parse(bytes(s.MIP6MH_HoTI(cookie=bytes.fromhex("0102030405060708"))))
    assert hoti == HomeTestInit(0x0102030405060708)
    hot = m.parse(bytes(s.MIP6MH_HoT(index=9, cookie=b"\x00" * 7 + b"\x01", token=b"\x00" * 7 + b"\x02")))
    assert hot == HomeTest(9, 1, 2)
    cot = m.parse(bytes(s.MIP6MH_CoT(index=9, cookie=b"\x00" * 7 + b"\x01", token=b"\x00" * 7 + b"\x02")))
    assert cot == CareofTest(9, 1, 2)
    assert m.parse(bytes(s.MIP6MH_BRR())) == BindingRefreshRequest()
    assert m.parse(bytes(s.MIP6MH_CoTI(cookie=b"\x00" * 8))) == CareofTestInit(0)
    be = m.parse(bytes(s.MIP6MH_BE(status=2, ha=str(HOA))))
    assert be == BindingError(BEStatus.UNKNOWN_MH_TYPE, HOA)
