"""Hop-by-Hop and Destination Options headers (sockapi6.exthdr): RFC vectors, round trips, bad input, scapy.

The byte vectors are worked out by hand from RFC 8200 section 4.2 (Pad1/PadN,
option type bits), RFC 3542 section 10.2/10.3 (padding so the end of each
option is aligned), RFC 2711, RFC 2675, RFC 2473 and RFC 6275 section 6.3.
"""

from __future__ import annotations

import pickle
from ipaddress import IPv6Address
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sockapi6.errors import MalformedError
from sockapi6.exthdr import (
    DestinationOptions,
    HomeAddress,
    HopByHopOptions,
    JumboPayload,
    Option,
    OptionAction,
    Pad1,
    PadN,
    RouterAlert,
    RouterAlertValue,
    TunnelEncapsulationLimit,
    parse_options,
)

HEADERS = [HopByHopOptions, DestinationOptions]
NAMES = {c.__name__: c for c in (DestinationOptions, HomeAddress, HopByHopOptions, JumboPayload, Option,
                                 Pad1, PadN, RouterAlert, TunnelEncapsulationLimit)}



def _normal(o: Option) -> Option:
    """What parse gives back for ``o``: generic options lose their align."""
    return Option(o.type, o.data) if o.__class__ is Option else o


# --------------------------------------------------------------------------- vectors

VECTORS = [
    # empty: 6 octets of PadN fill the 8 (RFC 8200 section 4.2)
    (HopByHopOptions([]), "3b00 0104 00000000"),
    # the Hop-by-Hop header of every MLD message: Router Alert 0 at 2n, PadN(0) (RFC 2711, RFC 2710)
    (HopByHopOptions([RouterAlert(RouterAlertValue.MLD)], next_header=58), "3a00 0502 0000 0100"),
    (HopByHopOptions([RouterAlert(1)], next_header=17), "1100 0502 0001 0100"),
    # RFC 2675 section 2: Jumbo Payload fills the 8 octets exactly, its length field at 4n
    (HopByHopOptions([JumboPayload(0x12345)], next_header=6), "0600 c204 00012345"),
    # RFC 6275 section 6.3: Home Address at 8n+6 after a PadN(2)
    (DestinationOptions([HomeAddress("2001:db8::1")]),
     "3b02 0102 0000 c910 20010db8000000000000000000000001"),
    # RFC 2473 section 5.1: Tunnel Encapsulation Limit, no alignment, then PadN(1)
    (DestinationOptions([TunnelEncapsulationLimit(4)], next_header=41), "2900 040104 010100"),
    # one octet short of 8: a Pad1 closes the header
    (DestinationOptions([Option(0x1E, b"abc")]), "3b00 1e03616263 00"),
    # align 4 after a 3-octet option: Pad1 so the option ends at 12, then PadN(2) to 16
    (DestinationOptions([TunnelEncapsulationLimit(1), Option(0x3E, b"abcd", align=4)]),
     "3b01 040101 00 3e0461626364 01020000"),
    # len % align != 0: RFC 3542 aligns the END (data 5 octets, align 4: PadN(1) first, option ends at 12)
    (DestinationOptions([Option(0x1E, b"abcde", align=4)]), "3b01 010100 1e056162636465 01020000"),
    # align 8 with 8 data octets: data starts at 8 (8n+6 option start), ends at 16
    (HopByHopOptions([Option(0x1E, bytes(range(8)), align=8)]), "3b01 01020000 1e08 0001020304050607"),
    # RA then Jumbo: both already aligned, PadN(2) at the end (what scapy's autopad gives too)
    (HopByHopOptions([RouterAlert(0), JumboPayload(70000)]), "3b01 05020000 c20400011170 01020000"),
]


@pytest.mark.parametrize(("header", "hexbytes"), VECTORS, ids=[repr(v[0]) for v in VECTORS])
def test_vectors(header: Any, hexbytes: str) -> None:
    wire = bytes.fromhex(hexbytes.replace(" ", ""))
    assert bytes(header) == wire
    assert len(header) == len(wire)
    back = header.__class__.parse(wire)
    assert back.options == tuple(_normal(o) for o in header.options)
    assert back.next_header == header.next_header
    if all(o.__class__ is not Option for o in header.options):
        assert back == header
    assert bytes(header.__class__.parse(wire, keep_padding=True)) == wire


# RFC 8200 appendix A examples 1-3, with RFC 3542 section 22.1's field values: option X (4- and 8-octet
# fields, 8n+2, i.e. align 8 for the end) and option Y (1-, 2- and 4-octet fields, 4n+3, align 4)
OPT_X = Option(0x1E, bytes.fromhex("12345678 0102030405060708"), align=8)
OPT_Y = Option(0x3E, bytes.fromhex("01 1331 01020304"), align=4)
X_WIRE = "1e0c 12345678 0102030405060708"
Y_WIRE = "3e07 01 1331 01020304"
APPENDIX_A = [
    ([OPT_X], "3b01" + X_WIRE),                                        # example 1
    ([OPT_Y], "3b01 00" + Y_WIRE + "01020000"),                        # example 2
    ([OPT_X, OPT_Y], "3b03" + X_WIRE + "010100" + Y_WIRE + "01020000"),  # example 3, X first
    ([OPT_Y, OPT_X], "3b03 00" + Y_WIRE + "010400000000" + X_WIRE),      # example 3, Y first
]


@pytest.mark.parametrize(("options", "hexbytes"), APPENDIX_A)
def test_rfc8200_appendix_a(options: list[Option], hexbytes: str) -> None:
    wire = bytes.fromhex(hexbytes.replace(" ", ""))
    for cls in HEADERS:
        assert bytes(cls(options)) == wire
        assert cls.parse(wire).options == tuple(Option(o.type, o.data) for o in options)


# --------------------------------------------------------------------------- value objects


def test_option_bits() -> None:
    assert Option(0x1E).action is OptionAction.SKIP and not Option(0x1E).mutable
    assert Option(0x3E).action is OptionAction.SKIP and Option(0x3E).mutable
    assert Option(0x5E).action is OptionAction.DISCARD
    assert Option(0x9E).action is OptionAction.DISCARD_ICMP
    assert HomeAddress("::1").action is OptionAction.DISCARD_ICMP_NOT_MULTICAST
    assert JumboPayload(1).action is OptionAction.DISCARD_ICMP_NOT_MULTICAST
    assert RouterAlert(0).action is OptionAction.SKIP
    assert not RouterAlert(0).mutable


def test_named_fields() -> None:
    assert RouterAlert(2).value == RouterAlertValue.ACTIVE_NETWORKS
    assert (RouterAlert(0).type, RouterAlert(0).data, RouterAlert(0).align) == (5, b"\0\0", 2)
    assert JumboPayload(70000).length == 70000 and JumboPayload(1).align == 4
    assert TunnelEncapsulationLimit(9).limit == 9 and TunnelEncapsulationLimit(9).type == 4
    h = HomeAddress(IPv6Address("fe80::1%3"))  # the scope is not part of the wire
    assert h.address == IPv6Address("fe80::1") and h.type == 0xC9 and h.align == 8
    assert HomeAddress(bytes(16)) == HomeAddress("::")
    assert bytes(Pad1()) == b"\0" and bytes(PadN(3)) == b"\x01\x03\0\0\0"
    assert PadN(3) == PadN(b"\0\0\0")


VALUES = [
    Option(0x1E, b"abc"), Option(0x3E, b"abcd", align=4), RouterAlert(1), JumboPayload(70000),
    TunnelEncapsulationLimit(3), HomeAddress("2001:db8::7"), Pad1(), PadN(2), PadN(b"\x01"),
    HopByHopOptions([RouterAlert(0)]), DestinationOptions([HomeAddress("::1"), Option(0xFE, b"x")], 17),
    DestinationOptions([PadN(1), Option(0x1E)], autopad=False),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_value_semantics(value: Any) -> None:
    again = eval(repr(value), NAMES)
    assert again == value and hash(again) == hash(value) and bytes(again) == bytes(value)
    assert pickle.loads(pickle.dumps(value)) == value
    assert not hasattr(value, "__dict__")
    with pytest.raises(AttributeError):
        value.foo = 1
    with pytest.raises(AttributeError):
        value._data = b""
    assert value != object()


def test_equality_is_by_wire_bytes() -> None:
    # named options are views of the generic one: the same bytes are the same option
    assert Option(5, b"\0\0", align=2) == RouterAlert(0) and hash(Option(5, b"\0\0")) == hash(RouterAlert(0))
    assert DestinationOptions.parse(bytes(DestinationOptions([Option(5, b"\0\0", align=2)]))) == \
        DestinationOptions([Option(5, b"\0\0", align=2)])
    # align is a layout instruction the wire does not carry: options compare by type and data
    assert Option(0x1E, b"ab") == Option(0x1E, b"ab", align=2)
    assert Option(0x1E, b"ab", align=2).align == 2
    assert pickle.loads(pickle.dumps(Option(0x1E, b"ab", align=2))).align == 2
    sent = DestinationOptions([Option(0x1E, b"\0\0\0\x2a", align=4), Option(0x1F, b"ab", align=2)])
    assert DestinationOptions.parse(bytes(sent)).options == sent.options
    assert HopByHopOptions([]) != DestinationOptions([])
    assert HopByHopOptions([], 6) != HopByHopOptions([])
    assert len({RouterAlert(0), RouterAlert(0), RouterAlert(1)}) == 2


def test_header_accessors() -> None:
    h = DestinationOptions([TunnelEncapsulationLimit(2), Option(0x1E, b"z")], next_header=17)
    assert h.next_header == 17 and h.autopad and list(h) == list(h.options)
    assert h.find(4) == TunnelEncapsulationLimit(2) and h.find(0x77) is None


@pytest.mark.parametrize(("call", "exc"), [
    (lambda: Option(0), ValueError),
    (lambda: Option(1), ValueError),
    (lambda: Option(256), ValueError),
    (lambda: Option(-1), ValueError),
    (lambda: Option("5"), TypeError),
    (lambda: Option(True), TypeError),
    (lambda: Option(0x1E, "text"), TypeError),
    (lambda: Option(0x1E, bytes(256)), ValueError),
    (lambda: Option(0x1E, b"abc", align=3), ValueError),
    (lambda: Option(0x1E, b"abc", align=4), ValueError),   # align > len (RFC 3542 section 10.2)
    (lambda: Option(0x1E, b"", align=2), ValueError),
    (lambda: RouterAlert(65536), ValueError),
    (lambda: JumboPayload(2 ** 32), ValueError),
    (lambda: TunnelEncapsulationLimit(256), ValueError),
    (lambda: HomeAddress("10.0.0.1"), ValueError),
    (lambda: HomeAddress(b"\0" * 4), ValueError),
    (lambda: HomeAddress(1), TypeError),
    (lambda: PadN(256), ValueError),
    (lambda: HopByHopOptions(RouterAlert(0)), TypeError),
    (lambda: HopByHopOptions([b"\x05\x02\0\0"]), TypeError),
    (lambda: HopByHopOptions([], 256), ValueError),
    (lambda: HopByHopOptions([Option(0x1E, bytes(255))] * 8), ValueError),  # over 2048 octets
    (lambda: HopByHopOptions.parse("3b00"), TypeError),
])
def test_bad_arguments(call: Any, exc: type[Exception]) -> None:
    with pytest.raises(exc):
        call()


def test_largest_header() -> None:
    """2048 octets is the limit (Hdr Ext Len 255): 2 + 7 * (2 + 255) + (2 + 245); one more is refused."""
    h = DestinationOptions([Option(0x1E, bytes(255))] * 7 + [Option(0x1E, bytes(245))])
    with pytest.raises(ValueError):
        DestinationOptions([Option(0x1E, bytes(255))] * 7 + [Option(0x1E, bytes(246))])
    wire = bytes(h)
    assert len(wire) == 2048 and wire[1] == 255
    assert DestinationOptions.parse(wire) == h


# --------------------------------------------------------------------------- malformed input


@pytest.mark.parametrize(("hexbytes", "offset"), [
    ("", 0),
    ("3b", 0),
    ("3b00 0104 000000", 1),           # 7 octets, length byte says 8
    ("3b00 0104 00000000 00", 1),      # 9 octets
    ("3b01 0104 00000000", 1),         # says 16, has 8
    ("3b00 1e07 00000000", 2),         # option claims 7 data octets, 4 left
    ("3b00 0000 0000 001e", 7),        # last octet is a type without a length octet
    ("3b00 0105 00000000", 2),         # PadN overruns by one
])
def test_malformed(hexbytes: str, offset: int) -> None:
    data = bytes.fromhex(hexbytes.replace(" ", ""))
    for cls in HEADERS:
        with pytest.raises(MalformedError) as info:
            cls.parse(data)
        assert info.value.offset == offset
        assert f"offset {offset}" in str(info.value)


def test_truncations_of_valid_header() -> None:
    wire = bytes(DestinationOptions([HomeAddress("2001:db8::1"), Option(0x1E, b"abcdef")]))
    for n in range(len(wire)):
        with pytest.raises(MalformedError):
            DestinationOptions.parse(wire[:n])


def test_wrong_length_named_option_stays_generic() -> None:
    """A known type with the wrong length is kept as a generic Option (nothing lost), not misread."""
    wire = bytes.fromhex("3b00 0503 000000 00")
    assert DestinationOptions.parse(wire).options == (Option(5, b"\0\0\0"),)


def test_parse_accepts_buffers() -> None:
    wire = bytes(HopByHopOptions([RouterAlert(0)]))
    for buf in (bytearray(wire), memoryview(wire)):
        assert HopByHopOptions.parse(buf) == HopByHopOptions([RouterAlert(0)])
    assert parse_options(wire[2:]) == (RouterAlert(0),)
    assert parse_options(wire[2:], keep_padding=True) == (RouterAlert(0), PadN(0))


# --------------------------------------------------------------------------- hypothesis

GENERIC_TYPES = st.integers(2, 255).filter(lambda t: t not in (0x04, 0x05, 0xC2, 0xC9))


@st.composite
def generic_options(draw: Any) -> Option:
    data = draw(st.binary(max_size=40))
    align = draw(st.sampled_from([a for a in (1, 2, 4, 8) if a == 1 or a <= len(data)]))
    return Option(draw(GENERIC_TYPES), data, align)


OPTIONS = st.one_of(
    generic_options(),
    st.builds(RouterAlert, st.integers(0, 0xFFFF)),
    st.builds(JumboPayload, st.integers(0, 2 ** 32 - 1)),
    st.builds(TunnelEncapsulationLimit, st.integers(0, 255)),
    st.builds(HomeAddress, st.binary(min_size=16, max_size=16)),
)


@settings(max_examples=400)
@given(st.sampled_from(HEADERS), st.lists(OPTIONS, max_size=12), st.integers(0, 255))
def test_round_trip(cls: Any, options: list[Option], nh: int) -> None:
    h = cls(options, nh)
    wire = bytes(h)
    assert len(wire) % 8 == 0 and wire[1] == len(wire) // 8 - 1 and wire[0] == nh
    back = cls.parse(wire)
    assert back.options == tuple(_normal(o) for o in options)
    assert back.next_header == nh
    # every option lands on its alignment, and padding runs never exceed 7 octets (Linux's limit)
    exact = cls.parse(wire, keep_padding=True)
    assert bytes(exact) == wire
    pos, run = 2, 0
    for o in exact.options:
        run = run + len(o) if o.type < 2 else 0
        assert run <= 7
        if o.type >= 2:
            assert (pos + len(o)) % o.align == 0
        pos += len(o)
    assert eval(repr(h), NAMES) == h


@settings(max_examples=2000)
@given(st.binary(max_size=80))
def test_random_bytes(data: bytes) -> None:
    """Any input: a value or MalformedError, nothing else; what parses re-encodes exactly."""
    for cls in HEADERS:
        try:
            exact = cls.parse(data, keep_padding=True)
        except MalformedError:
            with pytest.raises(MalformedError):
                cls.parse(data)
            continue
        assert bytes(exact) == data
        lean = cls.parse(data)
        assert cls.parse(bytes(lean)) == lean


@settings(max_examples=500)
@given(st.lists(OPTIONS, min_size=1, max_size=6), st.data())
def test_lying_length_bytes(options: list[Option], data: Any) -> None:
    wire = bytearray(bytes(DestinationOptions(options)))
    # corrupt one option length octet: the parse either still succeeds or fails cleanly
    at = data.draw(st.integers(2, len(wire) - 1))
    wire[at] = data.draw(st.integers(0, 255))
    try:
        DestinationOptions.parse(bytes(wire))
    except MalformedError as exc:
        assert exc.offset is not None and 0 <= exc.offset < len(wire)


# --------------------------------------------------------------------------- the C-port twin


def test_same_bytes_as_rfc3542_pure() -> None:
    """The pure inet6_opt_* port (another module, RFC 3542's rule) lays out the same header."""
    pure = pytest.importorskip("sockapi6.rfc3542.pure")
    opts = [TunnelEncapsulationLimit(1), Option(0x3E, b"abcd", align=4), Option(0x1E, b"abcde", align=4),
            HomeAddress("2001:db8::1")]
    size = pure.inet6_opt_init(None, 0)
    for o in opts:
        size, _ = pure.inet6_opt_append(None, 0, size, o.type, len(o.data), o.align)
    size = pure.inet6_opt_finish(None, 0, size)
    buf = bytearray(size)
    off = pure.inet6_opt_init(buf, size)
    for o in opts:
        off, view = pure.inet6_opt_append(buf, size, off, o.type, len(o.data), o.align)
        pure.inet6_opt_set_val(view, 0, o.data)
    pure.inet6_opt_finish(buf, size, off)
    buf[0] = 59
    assert bytes(buf) == bytes(DestinationOptions(opts))


# --------------------------------------------------------------------------- scapy


def _scapy() -> Any:
    return pytest.importorskip("scapy.layers.inet6")


def _from_scapy(opt: Any, i6: Any) -> Option | None:
    if isinstance(opt, (i6.Pad1, i6.PadN)):
        return None
    if isinstance(opt, i6.RouterAlert):
        return RouterAlert(opt.value)
    if isinstance(opt, i6.Jumbo):
        return JumboPayload(opt.jumboplen)
    if isinstance(opt, i6.HAO):
        return HomeAddress(opt.hoa)
    # scapy has classes of its own for some other types (0x63 is RPL, RFC 6553) with other field
    # names: read every other option from the bytes scapy itself writes for it
    raw = bytes(opt)
    kind, data = raw[0], raw[2:2 + raw[1]]
    if kind == 4 and len(data) == 1:
        return TunnelEncapsulationLimit(data[0])
    return Option(kind, data)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(HEADERS), st.lists(OPTIONS, max_size=6), st.integers(0, 255))
def test_scapy_reads_ours(cls: Any, options: list[Option], nh: int) -> None:
    i6 = _scapy()
    # scapy decodes type 0x63 as an RPL option (RFC 6553) of at least 4 data octets, whatever its
    # length octet says: a shorter one is not scapy's to read
    assume(all(o.type != 0x63 or len(o.data) >= 4 for o in options))
    layer_cls = i6.IPv6ExtHdrHopByHop if cls is HopByHopOptions else i6.IPv6ExtHdrDestOpt
    h = cls(options, nh)
    layer = layer_cls(bytes(h))
    assert layer.nh == nh and layer.len == len(bytes(h)) // 8 - 1
    assert not layer.payload or isinstance(layer.payload, i6.conf.padding_layer)
    got = [o for o in (_from_scapy(x, i6) for x in layer.options) if o is not None]
    assert got == [_normal(o) for o in options]


def test_scapy_builds_we_read() -> None:
    i6 = _scapy()
    cases = [
        (i6.IPv6ExtHdrHopByHop(nh=58, options=[i6.RouterAlert(value=0)]), HopByHopOptions,
         [RouterAlert(0)]),
        (i6.IPv6ExtHdrHopByHop(options=[i6.RouterAlert(value=1), i6.Jumbo(jumboplen=100000)]),
         HopByHopOptions, [RouterAlert(1), JumboPayload(100000)]),
        (i6.IPv6ExtHdrDestOpt(options=[i6.HAO(hoa="2001:db8::9")]), DestinationOptions,
         [HomeAddress("2001:db8::9")]),
        (i6.IPv6ExtHdrDestOpt(options=[i6.HBHOptUnknown(otype=0x1E, optdata=b"hello"),
                                       i6.HAO(hoa="2001:db8::9")]), DestinationOptions,
         [Option(0x1E, b"hello"), HomeAddress("2001:db8::9")]),
        (i6.IPv6ExtHdrDestOpt(nh=17, options=[i6.HBHOptUnknown(otype=4, optdata=b"\x07")]),
         DestinationOptions, [TunnelEncapsulationLimit(7)]),
    ]
    for layer, cls, options in cases:
        wire = bytes(layer)
        got = cls.parse(wire)
        assert got.options == tuple(options)
        assert got.next_header == layer.nh
        # scapy's autopad and ours agree on the layout of the named options
        if all(o.__class__ is not Option for o in options):
            assert bytes(cls(options, layer.nh)) == wire
