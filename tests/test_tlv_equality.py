"""One equality rule and byte-keeping parses for the three TLV families (issue 8).

Extension-header options and their headers (sockapi6.exthdr), SRH TLVs and
routing headers (sockapi6.routing), Mobility options (sockapi6.mobility):

* within a family two objects are equal exactly when their wire bytes are,
  and equal objects hash alike (named classes are views of the generic one);
* ``bytes(X.parse(b)) == b`` for every well-formed ``b`` up to 2048 octets,
  whatever its padding, and ``X.parse(bytes(x)) == x`` for every object built
  from valid arguments;
* ``repr`` evaluates, with the public names of the defining module, back to an
  equal object;
* constructors refuse what ``bytes()`` would refuse, naming class and field.

Each property runs 2000 examples (the ``ci`` profile is derandomized).
"""

from __future__ import annotations

import random
import struct
from ipaddress import IPv6Address
from typing import Any

import pytest
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sockapi6
from sockapi6 import exthdr, mobility, routing
from sockapi6.errors import MalformedError, RangeError
from sockapi6.exthdr import (
    DestinationOptions,
    HomeAddress,
    HopByHopOptions,
    JumboPayload,
    Option,
    Pad1,
    PadN,
    RouterAlert,
    TunnelEncapsulationLimit,
)
from sockapi6.mobility import (
    AlternateCareofAddress,
    BindingAuthorizationData,
    BindingRefreshAdvice,
    MobilityPad1,
    MobilityPadN,
    NonceIndices,
    UnknownMobilityOption,
)
from sockapi6.mobility import _options as mobility_options
from sockapi6.routing import (
    HMACTLV,
    SRHTLV,
    RoutingHeader,
    SegmentRoutingHeader,
    SRHPad1,
    SRHPadN,
    UnknownRoutingHeader,
    parse_routing_header,
)

#: 2000 examples under every profile; headers of up to 2048 octets are large and slow to generate by design
EXAMPLES = settings(max_examples=examples(2000), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])
NS_EXTHDR = dict(vars(exthdr))
NS_ROUTING = dict(vars(routing))
NS_MOBILITY = dict(vars(mobility))


def _same_iff_bytes(a: Any, b: Any) -> None:
    """The rule: ``a == b`` exactly when their bytes are equal; equal ones hash alike."""
    same = bytes(a) == bytes(b)
    assert (a == b) is same and (b == a) is same and (a != b) is not same
    if same:
        assert hash(a) == hash(b)


# --------------------------------------------------------------------------- the examples


def test_named_options_are_views_of_the_generic_one() -> None:
    assert Option(5, b"\0\0", align=2) == RouterAlert(0)
    assert hash(Option(5, b"\0\0", align=2)) == hash(RouterAlert(0))
    h = DestinationOptions([Option(5, b"\0\0", align=2)])
    assert DestinationOptions.parse(bytes(h)) == h
    assert Option(0xC2, bytes(4)) == JumboPayload(0) and Option(4, b"\x07") == TunnelEncapsulationLimit(7)
    srh = SegmentRoutingHeader(["2001:db8::1"], tlvs=[SRHTLV(5, bytes(6))])
    parsed = SegmentRoutingHeader.parse(bytes(srh))
    assert parsed.tlvs == (HMACTLV(0, b""),) and isinstance(parsed.tlvs[0], HMACTLV)
    assert SRHTLV(5, bytes(6)) == parsed.tlvs[0] and hash(SRHTLV(5, bytes(6))) == hash(parsed.tlvs[0])
    assert parsed == srh
    assert UnknownMobilityOption(2, b"\0\x05") == BindingRefreshAdvice(5)


def test_align_is_layout_not_identity() -> None:
    """An option's bytes are its TLV alone; the headers built with different aligns differ."""
    four, one = Option(0x1E, b"abcde", align=4), Option(0x1E, b"abcde", align=1)
    assert four == one and hash(four) == hash(one) and (four.align, one.align) == (4, 1)
    a, b = DestinationOptions([four]), DestinationOptions([one])
    assert bytes(a) != bytes(b) and a != b
    assert DestinationOptions.parse(bytes(a)) == a and DestinationOptions.parse(bytes(b)) == b


def test_families_do_not_mix() -> None:
    assert Option(0x80, b"ab") != SRHTLV(0x80, b"ab") and Option(9, b"") != UnknownMobilityOption(9, b"")
    assert Pad1() != SRHPad1() and Pad1() != MobilityPad1() and PadN(2) != SRHPadN(2)
    assert HopByHopOptions([]) != DestinationOptions([])  # same bytes, different headers
    rh = RoutingHeader(["2001:db8::1"])
    unknown = UnknownRoutingHeader.parse(bytes(rh))
    assert unknown == rh and hash(unknown) == hash(rh)


def test_largest_options_header_of_back_to_back_options() -> None:
    """341 back-to-back 6-octet options of type 0xC2 are 2048 octets: parsed, kept, rebuilt."""
    wire = bytes([0, 255]) + bytes([0xC2, 4, 0, 1, 0x11, 0x70]) * 341
    assert len(wire) == 2048
    for cls in (HopByHopOptions, DestinationOptions):
        h = cls.parse(wire)
        assert bytes(h) == wire and not h.autopad and h.options == (JumboPayload(70000),) * 341
        assert eval(repr(h), NS_EXTHDR) == h
        assert cls(h.options, h.next_header, autopad=False) == h
    item = sockapi6.parse_ancillary([(41, sockapi6.IPV6_HOPOPTS, wire)])[0]
    assert isinstance(item, HopByHopOptions) and bytes(item) == wire


def test_largest_srh_ending_in_pad1() -> None:
    head = bytes([59, 255, 4, 125, 125, 0, 0, 0]) + bytes(16 * 126)
    wire = head + bytes([0x80, 19]) + bytes(19) + b"\0\0\0"
    assert len(wire) == 2048
    h = SegmentRoutingHeader.parse(wire)
    assert bytes(h) == wire and not h.autopad and h.tlvs[-3:] == (SRHPad1(),) * 3
    assert eval(repr(h), NS_ROUTING) == h and parse_routing_header(wire) == h
    item = sockapi6.parse_ancillary([(41, sockapi6.IPV6_RTHDR, wire)])[0]
    assert isinstance(item, SegmentRoutingHeader) and bytes(item) == wire


def test_padding_not_ours_is_shown() -> None:
    """A parsed header whose padding differs from the layout rule shows it (the autopad=False form)."""
    wire = bytes.fromhex("3b00 00 00 0502 0000".replace(" ", ""))  # Router Alert after two Pad1: 2n, not ours
    h = HopByHopOptions.parse(wire)
    assert h.options == (Pad1(), Pad1(), RouterAlert(0)) and bytes(h) == wire and not h.autopad
    assert repr(h) == "HopByHopOptions(options=(Pad1(), Pad1(), RouterAlert(value=0)), autopad=False)"
    ours = HopByHopOptions.parse(bytes(HopByHopOptions([RouterAlert(0)])))
    assert ours.autopad and ours.options == (RouterAlert(0),)
    # a generic option gets the align that explains the padding in front of it
    sent = DestinationOptions([TunnelEncapsulationLimit(4), Option(0x1E, bytes(12), align=8)])
    back = DestinationOptions.parse(bytes(sent))
    assert back.autopad and back.options[1].align == 8 and repr(back) == repr(sent)


def test_routing_header_keeps_reserved() -> None:
    wire = bytes(RoutingHeader(["2001:db8::1"]))
    odd = wire[:4] + b"\xde\xad\xbe\xef" + wire[8:]
    h = RoutingHeader.parse(odd)
    assert bytes(h) == odd and h.reserved == 0xDEADBEEF and h != RoutingHeader.parse(wire)
    assert eval(repr(h), NS_ROUTING) == h


@pytest.mark.parametrize(("call", "exc", "words"), [
    (lambda: RouterAlert(70000), ValueError, "exthdr.RouterAlert: value 70000 is out of range 0..65535"),
    (lambda: JumboPayload(-1), ValueError, "exthdr.JumboPayload: length"),
    (lambda: TunnelEncapsulationLimit(256), ValueError, "exthdr.TunnelEncapsulationLimit: limit"),
    (lambda: HomeAddress(5), TypeError, "exthdr.HomeAddress: address"),
    (lambda: Option(1), ValueError, "exthdr.Option: type 1: option types 0 and 1"),
    (lambda: Option(0x1E, bytes(256)), ValueError, "exthdr.Option: data"),
    (lambda: Option(0x1E, b"ab", align=3), ValueError, "exthdr.Option: align"),
    (lambda: Option(0x1E, b"ab", align=4), ValueError, "exthdr.Option: align 4 cannot exceed"),
    (lambda: PadN(256), ValueError, "exthdr.PadN: n 256 is out of range"),
    (lambda: DestinationOptions([], 256), ValueError, "exthdr.DestinationOptions: next_header"),
    (lambda: DestinationOptions([b"x"]), TypeError, "exthdr.DestinationOptions: options"),
    (lambda: DestinationOptions(None), TypeError, "exthdr.DestinationOptions: options"),  # type: ignore[arg-type]
    (lambda: HopByHopOptions([Option(0x1E, bytes(255))] * 8), ValueError,
     "exthdr.HopByHopOptions: the header"),
    (lambda: SRHTLV(4), ValueError, "routing.SRHTLV: type 4: SRH TLV types 0 and 4"),
    (lambda: HMACTLV(2**32, b""), ValueError, "routing.HMACTLV: key_id"),
    (lambda: HMACTLV(1, b"abc"), ValueError, "routing.HMACTLV: hmac"),
    (lambda: SRHPadN(-1), ValueError, "routing.SRHPadN: n -1 is out of range"),
    (lambda: SegmentRoutingHeader([]), ValueError, "routing.SegmentRoutingHeader: segments"),
    (lambda: SegmentRoutingHeader(["::1"], tag=70000), ValueError, "routing.SegmentRoutingHeader: tag"),
    (lambda: SegmentRoutingHeader("::1"), TypeError, "routing.SegmentRoutingHeader: segments"),
    (lambda: RoutingHeader(["::1"], reserved=2**32), ValueError, "routing.RoutingHeader: reserved"),
    (lambda: RoutingHeader(["::1"], segments_left=2), ValueError, "routing.RoutingHeader: segments_left"),
    (lambda: RoutingHeader(["::1"] * 2, type=2), ValueError, "routing.RoutingHeader: a type 2 header"),
    (lambda: UnknownRoutingHeader(9, 0, b"abc"), ValueError, "routing.UnknownRoutingHeader: data"),
    (lambda: BindingRefreshAdvice(70000), ValueError, "mobility.BindingRefreshAdvice: interval"),
    (lambda: NonceIndices(1, -2), ValueError, "mobility.NonceIndices: careof_nonce_index"),
    (lambda: AlternateCareofAddress("10.0.0.1"), ValueError, "mobility.AlternateCareofAddress: address"),
    (lambda: BindingAuthorizationData(bytes(256)), ValueError, "mobility.BindingAuthorizationData"),
    (lambda: UnknownMobilityOption(1), ValueError,
     "mobility.UnknownMobilityOption: type 1: mobility option types"),
    (lambda: UnknownMobilityOption(2, b"\0"), ValueError, "UnknownMobilityOption: value must be 2 octets"),
    (lambda: MobilityPadN(300), ValueError, "mobility.MobilityPadN: n 300 is out of range"),
    (lambda: mobility.MobilityOption(), TypeError, "MobilityOption"),  # the family base is never built
    (lambda: mobility.parse_options(5), TypeError, "bytes-like"),  # type: ignore[arg-type]
    (lambda: mobility.parse_options(b"\0\0", 0, 3), ValueError, "mobility.parse_options: end"),
    (lambda: mobility.parse_options(b"\0\0", 3), ValueError, "mobility.parse_options: start"),
])
def test_constructors_refuse_what_bytes_would(call: Any, exc: type[Exception], words: str) -> None:
    with pytest.raises(exc) as info:
        call()
    # exactly TypeError, or a ValueError (RangeError for numbers out of range): never a struct/Index error
    assert (type(info.value) is exc or (exc is ValueError and type(info.value) is RangeError)) \
        and words in str(info.value)


def test_mobility_padding_names_are_unique() -> None:
    assert not hasattr(mobility, "Pad1") and not hasattr(mobility, "PadN")
    assert repr(MobilityPadN(3)) == "MobilityPadN(3)" and repr(MobilityPad1()) == "MobilityPad1()"
    public = {}
    for module in (exthdr, routing, mobility):
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type):
                assert public.setdefault(name, obj) is obj, name


# --------------------------------------------------------------------------- strategies: well-formed bytes

#: option types the exthdr parse knows, with their lengths, and a few it does not
OPT_TYPES = [0x04, 0x05, 0xC2, 0xC9, 0x1E, 0x3E, 0x80]
OPT_SIZES = {0x04: 1, 0x05: 2, 0xC2: 4, 0xC9: 16}


#: data octets: mostly zero (so that PadN matches the layout's), else a byte repeated or a few random ones
_FILLS = [b"\0", b"\0", b"\0", b"\x01", b"\xff", b"\x12\x34\x56"]


@st.composite
def raw_items(draw: Any, types: list[int], sizes: dict[int, int], padn: int, room: int) -> bytes:
    """Well-formed TLV bytes (padding of any shape included), at most ``room`` octets.

    Hypothesis draws the size and a seed; the items come from ``random.Random(seed)``, because one
    draw per octet run makes 2048-octet headers slow to generate.
    """
    target = draw(st.sampled_from([0, 8, 24, 64, 200, room]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    data_sizes = [0, 1, 2, 4, 5, 8, 12, 30] + ([255] * 4 if target > 256 else [])
    out = bytearray()
    while len(out) < target:
        kind = rng.randrange(10)
        if kind == 0:
            item = b"\0"
        else:
            if kind == 1:
                t, size = padn, rng.randrange(10)
            else:
                t = rng.choice(types)
                size = sizes.get(t, -1) if rng.random() < 0.5 else -1
                if size < 0:
                    size = rng.choice(data_sizes)
            fill = rng.choice(_FILLS)
            item = bytes((t, size)) + (fill * (size // len(fill) + 1))[:size]
        if len(out) + len(item) > room:
            break
        out += item
    return bytes(out)


def _close(area: bytes, head: int, padn: int, pad1: bool, tail: int) -> bytes:
    """``area`` followed by padding to a multiple of 8 octets from a ``head``-octet start."""
    gap = -(head + len(area)) % 8
    if gap == 0:
        return area
    if pad1 and (gap == 1 or tail % 2):
        return area + b"\0" * gap
    if gap == 1:
        return area + bytes((padn, 5)) + bytes(5) + bytes((padn, 0))
    return area + bytes((padn, gap - 2)) + bytes(gap - 2)


@st.composite
def options_headers(draw: Any) -> bytes:
    area = draw(raw_items(OPT_TYPES, OPT_SIZES, 1, 2048 - 2 - 7))  # room for the closing padding
    wire = bytes((draw(st.integers(0, 255)), 0)) + _close(area, 2, 1, True, draw(st.integers(0, 1)))
    return wire[:1] + bytes((len(wire) // 8 - 1,)) + wire[2:]


@st.composite
def srh_headers(draw: Any) -> bytes:
    n = draw(st.integers(1, 127))
    segs = draw(st.binary(min_size=16 * n, max_size=16 * n))
    head = 8 + 16 * n
    room = max(0, 2048 - head - 9)  # room for the closing padding
    hmac = room >= 16 and draw(st.booleans())  # sometimes a well-formed HMAC TLV first
    area = draw(raw_items([5, 6, 0x80, 0x81], {5: 6}, 4, room - 16 if hmac else room))
    if hmac:
        area = bytes((5, 14, 0x80, 0)) + draw(st.binary(min_size=4, max_size=4)) + bytes(8) + area
    wire = bytearray(8) + segs + _close(area, head, 4, True, draw(st.integers(0, 1)))
    nh, le = draw(st.integers(0, 255)), n - 1
    sl = draw(st.integers(0, n))
    struct.pack_into("!BBBBBBH", wire, 0, nh, len(wire) // 8 - 1, 4, sl, le,
                     draw(st.integers(0, 255)), draw(st.integers(0, 0xFFFF)))
    return bytes(wire)


@st.composite
def rh0_headers(draw: Any) -> bytes:
    t = draw(st.sampled_from([0, 2]))
    n = 1 if t == 2 else draw(st.integers(0, 127))
    return struct.pack("!BBBBI", draw(st.integers(0, 255)), 2 * n, t, draw(st.integers(0, n)),
                       draw(st.integers(0, 2**32 - 1))) + draw(st.binary(min_size=16 * n, max_size=16 * n))


# --------------------------------------------------------------------------- strategies: objects


def _generic_option(draw: Any) -> Option:
    data = draw(st.binary(max_size=20))
    align = draw(st.sampled_from([a for a in (1, 2, 4, 8) if a == 1 or a <= len(data)]))
    return Option(draw(st.sampled_from([0x04, 0x05, 0xC2, 0x1E, 0x3E])), data, align)


OPTION_OBJECTS = st.one_of(
    st.composite(_generic_option)(),
    st.builds(RouterAlert, st.integers(0, 3)),
    st.builds(JumboPayload, st.integers(0, 3)),
    st.builds(TunnelEncapsulationLimit, st.integers(0, 3)),
    st.builds(HomeAddress, st.sampled_from(["::", "::1", "2001:db8::1"])),
    st.just(Pad1()),
    st.builds(PadN, st.one_of(st.integers(0, 3), st.binary(max_size=3))),
)
SRH_TLV_OBJECTS = st.one_of(
    st.builds(SRHTLV, st.sampled_from([5, 6, 0x80]), st.binary(max_size=14)),
    st.builds(HMACTLV, st.integers(0, 2), st.sampled_from([b"", bytes(8), b"k" * 16]), st.booleans()),
    st.just(SRHPad1()),
    st.builds(SRHPadN, st.integers(0, 5)),
)
MOBILITY_OBJECTS = st.one_of(
    st.sampled_from([(2, 2), (3, 16), (4, 4), (5, None), (9, None)]).flatmap(
        lambda ts: st.builds(UnknownMobilityOption, st.just(ts[0]),
                             st.binary(min_size=ts[1] or 0, max_size=ts[1] or 16))),
    st.builds(BindingRefreshAdvice, st.integers(0, 3)),
    st.builds(AlternateCareofAddress, st.sampled_from(["::", "::1"])),
    st.builds(NonceIndices, st.integers(0, 2), st.integers(0, 2)),
    st.builds(BindingAuthorizationData, st.binary(max_size=8)),
    st.just(MobilityPad1()),
    st.builds(MobilityPadN, st.one_of(st.integers(0, 3), st.binary(max_size=3))),
)
ADDRESSES = st.sampled_from(["2001:db8::1", "::1", IPv6Address("2001:db8::2"), bytes(16)])


@st.composite
def options_header_objects(draw: Any) -> Any:
    cls = draw(st.sampled_from([HopByHopOptions, DestinationOptions]))
    return cls(draw(st.lists(OPTION_OBJECTS, max_size=6)), draw(st.sampled_from([0, 59])),
               autopad=draw(st.booleans()))


@st.composite
def routing_objects(draw: Any) -> Any:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        segs = draw(st.lists(ADDRESSES, min_size=1, max_size=4))
        return SegmentRoutingHeader(segs, draw(st.none() | st.integers(0, len(segs))), None,
                                    draw(st.sampled_from([0, 0x40])), draw(st.integers(0, 2)),
                                    draw(st.lists(SRH_TLV_OBJECTS, max_size=4)), 59, draw(st.booleans()))
    if kind == 1:
        addrs = draw(st.lists(ADDRESSES, max_size=3))
        return RoutingHeader(addrs, 0, None, 59, draw(st.sampled_from([0, 7])))
    if kind == 2:
        return RoutingHeader([draw(ADDRESSES)], 2)
    return UnknownRoutingHeader(draw(st.sampled_from([1, 3, 9, 253])), draw(st.integers(0, 1)),
                                draw(st.sampled_from([bytes(4), bytes(20), b"\x01" * 4])))


# --------------------------------------------------------------------------- properties: options family


@EXAMPLES
@given(OPTION_OBJECTS, OPTION_OBJECTS)
def test_options_equal_iff_bytes(a: Option, b: Option) -> None:
    _same_iff_bytes(a, b)
    assert eval(repr(a), NS_EXTHDR) == a and hash(eval(repr(a), NS_EXTHDR)) == hash(a)


@EXAMPLES
@given(options_header_objects(), options_header_objects())
def test_options_headers_equal_iff_bytes_and_parse_back(a: Any, b: Any) -> None:
    same = bytes(a) == bytes(b) and type(a) is type(b)
    assert (a == b) is same and (a != b) is not same
    if same:
        assert hash(a) == hash(b)
    back = type(a).parse(bytes(a))
    assert back == a and hash(back) == hash(a) and bytes(back) == bytes(a)
    assert eval(repr(back), NS_EXTHDR) == a


@EXAMPLES
@given(options_headers(), st.sampled_from([HopByHopOptions, DestinationOptions]), st.booleans())
def test_options_headers_keep_their_bytes(wire: bytes, cls: Any, keep: bool) -> None:
    h = cls.parse(wire, keep_padding=keep)
    assert bytes(h) == wire and len(h) == len(wire) <= 2048
    again = eval(repr(h), NS_EXTHDR)
    assert again == h and bytes(again) == wire and hash(again) == hash(h)
    assert cls(h.options, h.next_header, autopad=h.autopad) == h
    if keep:
        assert not h.autopad and b"".join(bytes(o) for o in h.options) == wire[2:]
    assert exthdr.parse_options(wire[2:], keep_padding=True) == cls.parse(wire, keep_padding=True).options


# --------------------------------------------------------------------------- properties: SRH TLVs, routing


@EXAMPLES
@given(SRH_TLV_OBJECTS, SRH_TLV_OBJECTS)
def test_srh_tlvs_equal_iff_bytes(a: SRHTLV, b: SRHTLV) -> None:
    _same_iff_bytes(a, b)
    assert eval(repr(a), NS_ROUTING) == a


@EXAMPLES
@given(routing_objects(), routing_objects())
def test_routing_headers_equal_iff_bytes_and_parse_back(a: Any, b: Any) -> None:
    _same_iff_bytes(a, b)
    back = parse_routing_header(bytes(a))
    assert back == a and hash(back) == hash(a) and bytes(back) == bytes(a)
    assert UnknownRoutingHeader.parse(bytes(a)) == a
    assert eval(repr(a), NS_ROUTING) == a and eval(repr(back), NS_ROUTING) == back


@EXAMPLES
@given(st.one_of(srh_headers(), rh0_headers()), st.booleans())
def test_routing_headers_keep_their_bytes(wire: bytes, keep: bool) -> None:
    h = SegmentRoutingHeader.parse(wire, keep_padding=keep) if wire[2] == 4 else parse_routing_header(wire)
    assert bytes(h) == wire and len(wire) <= 2048
    again = eval(repr(h), NS_ROUTING)
    assert again == h and bytes(again) == wire and hash(again) == hash(h)
    assert parse_routing_header(wire) == h


# --------------------------------------------------------------------------- properties: Mobility options


@EXAMPLES
@given(MOBILITY_OBJECTS, MOBILITY_OBJECTS)
def test_mobility_options_equal_iff_bytes(a: Any, b: Any) -> None:
    _same_iff_bytes(a, b)
    assert eval(repr(a), NS_MOBILITY) == a


@EXAMPLES
@given(st.lists(MOBILITY_OBJECTS, max_size=8), st.integers(0, 7))
def test_mobility_options_layout_and_parse_back(options: list[Any], start: int) -> None:
    laid = mobility_options.align(options, start)
    area = b"".join(bytes(o) for o in laid)
    assert (start + len(area)) % 8 == 0
    pos = start
    for o in laid:
        if not o.PADDING:
            x, y = o.alignment
            assert (pos - y) % x == 0
        pos += len(o)
    back = mobility.parse_options(bytes(start) + area, start)
    assert back == laid and [hash(o) for o in back] == [hash(o) for o in laid]
    assert all(type(b) is type(o) for b, o in zip(back, laid) if type(o) is not UnknownMobilityOption)


@EXAMPLES
@given(raw_items([2, 3, 4, 5, 9, 200], {2: 2, 3: 16, 4: 4}, 1, 300))
def test_mobility_options_keep_their_bytes(area: bytes) -> None:
    try:
        opts = mobility.parse_options(area)
    except MalformedError as exc:  # a known type with the wrong Option Length (RFC 6275 6.2)
        assert "Option Length" in str(exc)
        return
    assert b"".join(bytes(o) for o in opts) == area
    assert tuple(eval(repr(o), NS_MOBILITY) for o in opts) == opts
