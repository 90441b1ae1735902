"""The value model of the wire classes (sockapi6._wire): one equality rule, round trips, repr, signatures.

Within a family (ICMPv6 messages, ND options, Mobility Header messages) two
objects are equal exactly when their wire bytes are, and hash alike; the
generic classes are views of the named ones; ``bytes(parse(b)) == b`` and
``parse(bytes(x)) == x``; ``repr`` evaluates back with the public names of
the defining module; every wire class shows its real signature and a doc for
each field.  Run with 2,000 examples each (the ``ci`` profile derandomizes).
"""

from __future__ import annotations

import inspect
import pickle
import pydoc
import struct
from ipaddress import IPv6Address
from typing import Any, Callable

import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

import sockapi6
from sockapi6 import icmp6, mobility
from sockapi6._wire import Family, Value
from sockapi6.errors import MalformedError, RangeError

EXAMPLES = settings(max_examples=examples(2000))
ICMP_NS = {**vars(icmp6), "IPv6Address": IPv6Address}
MH_NS = {**vars(mobility), "IPv6Address": IPv6Address}

u8 = st.integers(0, 0xFF)
u16 = st.integers(0, 0xFFFF)
u32 = st.integers(0, 0xFFFFFFFF)
u64 = st.integers(0, 2**64 - 1)
addresses = st.binary(min_size=16, max_size=16).map(IPv6Address)
packets = st.binary(max_size=40)

# ---- ND options ------------------------------------------------------------------------------------

labels = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
domains = st.lists(labels, min_size=1, max_size=4).map(".".join)
unregistered_nd = st.integers(0, 255).filter(lambda t: t not in icmp6._options.OPTIONS)
nd_options = st.one_of(
    st.builds(icmp6.SourceLinkLayerAddress, st.binary(min_size=1, max_size=20)),
    st.builds(icmp6.TargetLinkLayerAddress, st.binary(min_size=1, max_size=20)),
    st.builds(icmp6.PrefixInformation, addresses, u8, u8, u32, u32, u32),
    st.builds(icmp6.RedirectedHeader, packets, st.binary(min_size=6, max_size=6)),
    st.builds(icmp6.MTU, u32, u16),
    st.builds(icmp6.AdvertisementInterval, u32, u16),
    st.builds(icmp6.HomeAgentInformation, st.integers(-0x8000, 0x7FFF), u16, u16),
    st.builds(icmp6.RecursiveDNSServer, st.lists(addresses, min_size=1, max_size=4), u32, u16),
    st.builds(icmp6.DNSSearchList, st.lists(domains, min_size=1, max_size=3), u32, u16),
    st.builds(icmp6.UnknownNDOption, unregistered_nd, st.integers(0, 3).flatmap(
        lambda n: st.binary(min_size=6 + 8 * n, max_size=6 + 8 * n))),
)
option_lists = st.lists(nd_options, max_size=4)

# ---- ICMPv6 messages -------------------------------------------------------------------------------

unregistered_icmp = st.integers(0, 255).filter(lambda t: t not in icmp6.MESSAGES)
records = st.builds(icmp6.MLDv2Record, st.integers(1, 6) | u8, addresses, st.lists(addresses, max_size=3),
                    st.integers(0, 3).map(lambda n: bytes(range(4 * n))))
messages = st.one_of(
    st.builds(icmp6.EchoRequest, u16, u16, packets, u8, u16),
    st.builds(icmp6.EchoReply, u16, u16, packets, u8, u16),
    st.builds(icmp6.DestinationUnreachable, u8, packets, u32, u16),
    st.builds(icmp6.PacketTooBig, u32, packets, u8, u16),
    st.builds(icmp6.TimeExceeded, u8, packets, u32, u16),
    st.builds(icmp6.ParameterProblem, u8, u32, packets, u16),
    st.builds(icmp6.RouterSolicitation, option_lists, u32, u8, u16),
    st.builds(icmp6.RouterAdvertisement, u8, u8, u16, u32, u32, option_lists, u8, u16),
    st.builds(icmp6.NeighborSolicitation, addresses, option_lists, u32, u8, u16),
    st.builds(icmp6.NeighborAdvertisement, addresses, u32, option_lists, u8, u16),
    st.builds(icmp6.Redirect, addresses, addresses, option_lists, u32, u8, u16),
    st.builds(icmp6.HomeAgentAddressDiscoveryRequest, u16, u16, u8, u16),
    st.builds(icmp6.HomeAgentAddressDiscoveryReply, u16, st.lists(addresses, max_size=3), u16, u8, u16),
    st.builds(icmp6.MobilePrefixSolicitation, u16, u16, u8, u16),
    st.builds(icmp6.MobilePrefixAdvertisement, u16, u16, option_lists, u8, u16),
    st.builds(icmp6.MLDQuery, addresses, u16, u16, u8, u16),
    st.builds(icmp6.MLDReport, addresses, u16, u16, u8, u16),
    st.builds(icmp6.MLDDone, addresses, u16, u16, u8, u16),
    st.builds(icmp6.MLDv2Query, addresses, st.lists(addresses, max_size=3), u16, st.booleans(),
              st.integers(0, 7), u8, u16, st.integers(0, 15), u8, u16),
    st.builds(icmp6.MLDv2Report, st.lists(records, max_size=3), u16, u8, u16),
    st.builds(icmp6.UnknownICMPv6Message, unregistered_icmp, u8, packets, u16),
)

# ---- Mobility Header messages ----------------------------------------------------------------------

unregistered_mo = st.integers(6, 255)
mh_options = st.lists(st.one_of(
    u16.map(mobility.BindingRefreshAdvice),
    addresses.map(mobility.AlternateCareofAddress),
    st.builds(mobility.NonceIndices, u16, u16),
    st.integers(2, 12).map(mobility.MobilityPadN),
    st.just(mobility.MobilityPad1()),
    st.builds(mobility.UnknownMobilityOption, unregistered_mo, st.binary(max_size=20)),
), max_size=4)
unregistered_mh = st.integers(0, 255).filter(lambda t: t not in mobility.MH_TYPES)
common = {"options": mh_options, "proto": u8, "reserved": u8, "checksum": u16}
mh_messages = st.one_of(
    st.builds(mobility.BindingRefreshRequest, u16, **common),
    st.builds(mobility.HomeTestInit, u64, u16, **common),
    st.builds(mobility.CareofTestInit, u64, u16, **common),
    st.builds(mobility.HomeTest, u16, u64, u64, **common),
    st.builds(mobility.CareofTest, u16, u64, u64, **common),
    st.builds(mobility.BindingUpdate, u16, u16, u16, **common),
    st.builds(mobility.BindingAcknowledgement, u8, u16, u16, u8, **common),
    st.builds(mobility.BindingError, u8, addresses, u8, **common),
    st.builds(mobility.UnknownMobilityMessage, unregistered_mh,
              st.integers(0, 4).flatmap(lambda n: st.binary(min_size=2 + 8 * n, max_size=2 + 8 * n)),
              u8, u8, u16),
)


def _parse_option(data: bytes) -> icmp6.NDOption:
    (opt,) = icmp6.parse_options(data)
    return opt


def _generic_icmp(data: bytes) -> icmp6.ICMPv6Message:
    return icmp6.UnknownICMPv6Message(data[0], data[1], data[4:], int.from_bytes(data[2:4], "big"))


def _generic_option(data: bytes) -> icmp6.NDOption:
    return icmp6.UnknownNDOption(data[0], data[2:])


def _generic_mh(data: bytes) -> mobility.MobilityMessage:
    checksum = int.from_bytes(data[4:6], "big")
    return mobility.UnknownMobilityMessage(data[2], data[6:], data[0], data[3], checksum)


FAMILIES: list[tuple[str, Any, Callable[[bytes], Any], Callable[[bytes], Any], dict[str, Any]]] = [
    ("icmp6", messages, icmp6.parse, _generic_icmp, ICMP_NS),
    ("nd-option", nd_options, _parse_option, _generic_option, ICMP_NS),
    ("mh", mh_messages, mobility.parse, _generic_mh, MH_NS),
]
IDS = [f[0] for f in FAMILIES]


def _check_model(x: Any, parse: Callable[[bytes], Any], generic: Callable[[bytes], Any],
                 ns: dict[str, Any]) -> None:
    data = bytes(x)
    parsed = parse(data)
    assert bytes(parsed) == data  # bytes(parse(b)) == b
    assert parsed == x and hash(parsed) == hash(x)  # parse(bytes(x)) == x
    view = generic(data)  # the generic class with the same bytes is the same value
    assert bytes(view) == data and view == x and x == view and hash(view) == hash(x)
    assert eval(repr(x), ns) == x and eval(repr(parsed), ns) == parsed
    assert pickle.loads(pickle.dumps(parsed)) == x


@pytest.mark.parametrize(("name", "strategy", "parse", "generic", "ns"), FAMILIES, ids=IDS)
def test_round_trips_views_and_repr(name: str, strategy: Any, parse: Any, generic: Any, ns: Any) -> None:
    @EXAMPLES
    @given(strategy)
    def run(x: Any) -> None:
        _check_model(x, parse, generic, ns)

    run()


@pytest.mark.parametrize(("name", "strategy", "parse", "generic", "ns"), FAMILIES, ids=IDS)
def test_equal_exactly_when_bytes_are(name: str, strategy: Any, parse: Any, generic: Any, ns: Any) -> None:
    @EXAMPLES
    @given(strategy, strategy)
    def run(x: Any, y: Any) -> None:
        assert (x == y) == (bytes(x) == bytes(y)) and (x != y) == (bytes(x) != bytes(y))
        if x == y:
            assert hash(x) == hash(y)
        rebuilt = parse(bytes(y))
        assert (x == rebuilt) == (bytes(x) == bytes(y))

    run()


def _mutations(strategy: Any) -> Any:
    """Well-formed bytes, then one octet changed: parse either refuses them or keeps them exactly."""
    return st.tuples(strategy.map(bytes), st.integers(0, 10**6), u8)


@pytest.mark.parametrize(("name", "strategy", "parse", "generic", "ns"), FAMILIES, ids=IDS)
def test_any_bytes_that_parse_come_back(name: str, strategy: Any, parse: Any, generic: Any, ns: Any) -> None:
    @EXAMPLES
    @given(_mutations(strategy))
    def run(case: tuple[bytes, int, int]) -> None:
        data, where, value = case
        pos = where % len(data)
        mutated = data[:pos] + bytes((value,)) + data[pos + 1:]
        try:
            parsed = parse(mutated)
        except MalformedError:
            return
        assert bytes(parsed) == mutated and parse(bytes(parsed)) == parsed
        assert eval(repr(parsed), ns) == parsed
        assert bytes(pickle.loads(pickle.dumps(parsed))) == mutated

    run()


# ---- examples --------------------------------------------------------------------------------------


def test_generic_views_equal_named_classes() -> None:
    ns = icmp6.NeighborSolicitation("fe80::1", [icmp6.SourceLinkLayerAddress("02:00:00:00:00:0a")])
    data = bytes(ns)
    assert icmp6.UnknownICMPv6Message(135, data=data[4:]) == ns == icmp6.parse(data)
    assert hash(icmp6.UnknownICMPv6Message(135, data=data[4:])) == hash(ns)
    assert icmp6.UnknownNDOption(5, bytes(6)) == icmp6.MTU(0)
    assert icmp6.UnknownNDOption(5, bytes(6)) != icmp6.MTU(1)
    bu = mobility.BindingUpdate(7, mobility.BUFlag.ACK, 100)
    assert mobility.UnknownMobilityMessage(5, bytes(bu)[6:]) == bu
    assert icmp6.EchoRequest(1, 2) != icmp6.EchoReply(1, 2)
    assert icmp6.MTU(0) != icmp6.EchoRequest()  # different families never compare equal
    assert icmp6.MTU(0).__eq__(b"\x05\x01" + bytes(6)) is NotImplemented


@pytest.mark.parametrize(("make", "message"), [
    (lambda: icmp6.EchoRequest(-1), "icmp6.EchoRequest: identifier -1 is out of range 0..65535"),
    (lambda: icmp6.EchoRequest("1"), "icmp6.EchoRequest: identifier must be an int, not str"),
    (lambda: icmp6.MLDv2Record(1, "ff02::1", [IPv6Address(i) for i in range(70000)]),
     "icmp6.MLDv2Record: sources: 70000 addresses"),
    (lambda: icmp6.MLDv2Report([icmp6.MLDv2Record(1, "ff02::1")] * 70000),
     "icmp6.MLDv2Report: records: 70000"),
    (lambda: icmp6.RecursiveDNSServer(["2001:db8::53"] * 200), "icmp6.RecursiveDNSServer: servers: 200 "),
    (lambda: icmp6.DNSSearchList(["a" * 64 + ".example"]), "icmp6.DNSSearchList: domains: label 'a"),
    (lambda: icmp6.DNSSearchList(["\udcff.example"]), "icmp6.DNSSearchList: domains: label"),
    (lambda: icmp6.SourceLinkLayerAddress(bytes(2040)), "icmp6.SourceLinkLayerAddress: address makes"),
    (lambda: icmp6.MLDv2Query(qrv=8), "icmp6.MLDv2Query: qrv 8 is out of range 0..7"),
    (lambda: icmp6.UnknownNDOption(9, b"x"), "icmp6.UnknownNDOption: data of 1 octets"),
    (lambda: mobility.BindingUpdate(1, options=[mobility.MobilityPadN(bytes(250))] * 9),
     "mobility.BindingUpdate: options make the message 2280 octets"),
    (lambda: mobility.HomeTest(1, 2**64, 0), "mobility.HomeTest: cookie 18446744073709551616 is out of"),
])
def test_constructor_refuses_what_bytes_would(make: Callable[[], Any], message: str) -> None:
    with pytest.raises((TypeError, ValueError)) as info:  # TypeError for a wrong type, else ValueError
        make()
    assert str(info.value).startswith(message)
    assert isinstance(info.value, TypeError) == ("must be" in message)
    assert not isinstance(info.value, struct.error)


@pytest.mark.parametrize("base", [icmp6.ICMPv6Message, icmp6.NDOption, mobility.MobilityMessage])
def test_family_bases_have_no_wire_form(base: type) -> None:
    with pytest.raises(TypeError, match="has no type number of its own"):
        base()


def test_idna_names() -> None:
    dnssl = icmp6.DNSSearchList(["bücher.example", "example.com."])
    assert dnssl.domains == ("xn--bcher-kva.example", "example.com")
    assert b"\x0dxn--bcher-kva\x07example\x00" in bytes(dnssl)
    assert icmp6.parse_options(bytes(dnssl)) == (dnssl,)


def test_parse_options_bounds() -> None:
    data = bytes(icmp6.MTU(1500))
    with pytest.raises(ValueError, match="end"):
        icmp6.parse_options(data, 0, 100)
    assert icmp6.parse_options(data, 0, 8) == (icmp6.MTU(1500),)


def test_decoded_objects_skip_nothing_they_need() -> None:
    """A parsed object has the same field types as a built one (enums, flags, addresses, tuples)."""
    built = icmp6.DestinationUnreachable(icmp6.UnreachableCode.PORT_UNREACHABLE, b"abc")
    parsed = icmp6.parse(bytes(built))
    assert type(parsed.code) is icmp6.UnreachableCode and parsed.code is built.code
    ra = icmp6.parse(bytes(icmp6.RouterAdvertisement(flags=icmp6.RAFlag.MANAGED, options=[icmp6.MTU(1280)])))
    assert isinstance(ra.flags, icmp6.RAFlag) and ra.options == (icmp6.MTU(1280),)
    assert isinstance(icmp6.parse(bytes(icmp6.NeighborSolicitation("fe80::1"))).target, IPv6Address)


# ---- signatures and docs ---------------------------------------------------------------------------


def _wire_classes() -> list[type]:
    found = []
    for module in (icmp6, mobility):
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, Family) and obj._fields:
                found.append(obj)
    return found


@pytest.mark.parametrize("cls", _wire_classes(), ids=lambda c: c.__name__)
def test_signature_and_field_docs(cls: type[Value]) -> None:
    params = inspect.signature(cls).parameters
    assert [p for p in params if params[p].kind is not inspect.Parameter.KEYWORD_ONLY] == list(cls._fields)
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    assert "(*args, **kwargs)" not in text and "Fields, in constructor order" in text
    for name in cls._fields:
        doc = cls._docs.get(name)
        assert doc, f"{cls.__name__}.{name} has no doc"
        assert " ".join(doc.split()[:4]) in " ".join(text.split()), f"help() lacks {cls.__name__}.{name}"
        if name in cls._init_extra or not isinstance(inspect.getattr_static(cls, name), type(Family._wire)):
            continue
        owner = next(k for k in cls.__mro__ if name in k.__dict__)  # the slot's doc, as pydoc shows it
        assert isinstance(owner.__dict__["__slots__"], dict) and owner.__dict__["__slots__"][name]


def test_help_shows_neighbor_solicitation_fields() -> None:
    text = pydoc.render_doc(icmp6.NeighborSolicitation, renderer=pydoc.plaintext)
    # the signature line: "__init__(self, target, ...)" up to Python 3.12, "NeighborSolicitation(target, ...)"
    # (and a multi-line __init__) from 3.13 on
    assert ("__init__(self, target, options=(), reserved=0, code=0, checksum=0)" in text
            or "NeighborSolicitation(target, options=(), reserved=0, code=0, checksum=0)" in text)
    assert "the address whose link-layer address is sought" in text
    sig = inspect.signature(mobility.BindingUpdate)
    assert list(sig.parameters) == [
        "sequence", "flags", "lifetime", "options", "proto", "reserved", "checksum", "pad"]


# ---- ancillary items: equal exactly when their control messages are --------------------------------

global_addresses = st.binary(min_size=14, max_size=14).map(lambda b: IPv6Address(b"\x20\x01" + b))
_tel = st.integers(0, 255).map(sockapi6.TunnelEncapsulationLimit)
ancillary_items = st.one_of(
    st.builds(sockapi6.HopLimit, st.integers(0, 255)),
    st.builds(sockapi6.TrafficClass, st.integers(0, 255)),
    st.builds(sockapi6.PacketInfo, global_addresses, st.integers(0, 2**32 - 1)),
    st.builds(sockapi6.PathMTU, global_addresses, st.integers(0, 2**32 - 1)),
    st.builds(sockapi6.NextHop, global_addresses),
    st.builds(sockapi6.OriginalDestination, global_addresses, u16),
    st.builds(sockapi6.ExtendedError, st.integers(1, 200), st.integers(0, 5), u8, u8, u32, u32,
              st.none() | global_addresses),
    st.builds(sockapi6.FlowInfo, st.integers(0, 0xFFFFF), u8),
    st.builds(sockapi6.ancillary.UDPSegment, st.integers(1, 0xFFFF)),
    st.builds(sockapi6.ancillary.GROSegmentSize, st.integers(1, 0xFFFF)),
    st.builds(sockapi6.ancillary.Timestamp, st.integers(0, 2**62)),
    st.builds(sockapi6.ancillary.DropCount, u32),
    st.builds(sockapi6.RoutingDestinationOptions,
              st.lists(_tel, max_size=3).map(sockapi6.DestinationOptions)),
    st.builds(sockapi6.UnknownControlMessage, st.integers(200, 300), st.integers(0, 3),
              st.binary(max_size=8)),
)
ANCILLARY_NS = {**vars(sockapi6.ancillary), "DestinationOptions": sockapi6.DestinationOptions,
                "TunnelEncapsulationLimit": sockapi6.TunnelEncapsulationLimit}


@pytest.mark.backend  # the control message numbers are the backend's
@EXAMPLES
@given(ancillary_items, ancillary_items)
def test_ancillary_items_equal_exactly_when_cmsgs_are(x: Any, y: Any) -> None:
    assert (x == y) == (x.to_cmsg() == y.to_cmsg()) and (x != y) == (x.to_cmsg() != y.to_cmsg())
    if x == y:
        assert hash(x) == hash(y)
    view = sockapi6.UnknownControlMessage(*x.to_cmsg())  # the generic item with the same message
    assert view == x and x == view and hash(view) == hash(x)
    (parsed,) = sockapi6.parse_ancillary([x.to_cmsg()])
    assert parsed == x and parsed.to_cmsg() == x.to_cmsg() and hash(parsed) == hash(x)
    decoded = type(x).from_cmsg(*x.to_cmsg())  # from_cmsg(to_cmsg(x)) == x, with the same message
    assert decoded == x and decoded.to_cmsg() == x.to_cmsg()
    assert eval(repr(x), ANCILLARY_NS) == x


def test_interface_values_are_declared_fields() -> None:
    from sockapi6.interfaces import Interface, InterfaceAddress

    assert list(inspect.signature(InterfaceAddress).parameters) == [
        "interface", "index", "flags", "family", "address", "prefixlen", "scope_id"]
    assert list(inspect.signature(Interface).parameters) == [
        "name", "index", "flags", "addresses", "link_address"]
    text = pydoc.render_doc(InterfaceAddress, renderer=pydoc.plaintext)
    assert "the numeric scope of an IPv6 address that needs one" in text
    with pytest.raises(ValueError, match=r"^interfaces\.Interface: index -1 is out of range 0\.\.4294967295"):
        Interface("lo", -1, 0)
    with pytest.raises(TypeError, match=r"^interfaces\.Interface: name: must be text"):
        Interface(1, 1, 0)
    entry = InterfaceAddress("lo", 1, 1, 10, "::1", 128)
    assert entry.address == IPv6Address("::1")
    assert entry == InterfaceAddress("lo", 1, 1, 10, IPv6Address("::1"), 128)


# ---- hostile arguments: only TypeError or ValueError, naming the class -----------------------------

HOSTILE = [None, -1, 2**70, "x", "::1", "fe80::1%1", b"x", bytes(16), bytes(3000), 1.5, [], [b"x"], ["::1"],
           [None], True, object(), IPv6Address("::1"), [icmp6.MTU(1)], [mobility.MobilityPadN(b"")],
           ["a" * 300], 0, ("a.b",), [IPv6Address(1)] * 3, memoryview(b"ro")]


def _hostile_calls() -> Any:
    from sockapi6.interfaces import Interface, InterfaceAddress

    def calls(cls: type) -> Any:
        names = list(inspect.signature(cls).parameters)
        return st.fixed_dictionaries({}, optional={n: st.sampled_from(HOSTILE) for n in names}).map(
            lambda kw: (cls, kw))

    return st.sampled_from([*_wire_classes(), Interface, InterfaceAddress]).flatmap(calls)


@EXAMPLES
@given(_hostile_calls())
def test_hostile_arguments(call: tuple[type, dict[str, Any]]) -> None:
    cls, kwargs = call
    try:
        obj = cls(**kwargs)
    except (TypeError, ValueError) as exc:
        # never struct.error or a bare OverflowError; RangeError is the contract's out-of-range ValueError
        assert type(exc) in (TypeError, ValueError, RangeError), repr(exc)
        assert str(exc).startswith((cls.__name__, "icmp6.", "mobility.", "interfaces.")), str(exc)
    else:
        if isinstance(obj, Family):
            assert bytes(obj) == bytes(eval(repr(obj), {**ICMP_NS, **MH_NS}))


ANCILLARY_DECLARED = [
    "HopLimit", "TrafficClass", "NextHop", "PathMTU", "OriginalDestination", "ExtendedError", "FlowInfo",
    "UnknownControlMessage",
]


@pytest.mark.parametrize("name", ANCILLARY_DECLARED)
def test_ancillary_items_are_declared_fields(name: str) -> None:
    cls = getattr(sockapi6, name)
    assert list(inspect.signature(cls).parameters) == list(cls._fields)
    text = " ".join(pydoc.render_doc(cls, renderer=pydoc.plaintext).split())
    for field_name in cls._fields:
        assert " ".join(cls._docs[field_name].split()[:3]) in text
    first = cls._fields[0]
    with pytest.raises(TypeError, match=rf"^ancillary\.{name}: {first}"):
        cls(*[object()] * len([p for p in inspect.signature(cls).parameters.values()
                                if p.default is inspect.Parameter.empty]))


# ---- every wire class: real signature, documented fields, repr in its module's names ----------------

from sockapi6 import ancillary, dhcp6, exthdr, interfaces, packet, routing  # noqa: E402

WIRE_MODULES = (exthdr, routing, icmp6, mobility, dhcp6, ancillary, interfaces)
#: the family bases: no wire form of their own (building one is a TypeError naming the class)
ABSTRACT = {"ICMPv6Message", "NDOption", "MobilityOption", "MobilityMessage", "DUID", "Option@dhcp6",
            "Message", "ClientServerMessage", "RelayMessage"}
_DUID = dhcp6.DUIDLL(1, b"\x02\0\0\0\0\x01")
_SOLICIT = dhcp6.Solicit(0x123456, [dhcp6.ClientIdentifier(_DUID), dhcp6.ElapsedTime(0)])
#: one object of each class whose constructor has required arguments
SAMPLES: dict[str, Callable[[], Any]] = {
    "Option@exthdr": lambda: exthdr.Option(0x1E, b"abc", align=2),
    "RouterAlert": lambda: exthdr.RouterAlert(0), "JumboPayload": lambda: exthdr.JumboPayload(70000),
    "TunnelEncapsulationLimit": lambda: exthdr.TunnelEncapsulationLimit(4),
    "HomeAddress": lambda: exthdr.HomeAddress("2001:db8::1"),
    "HopByHopOptions": lambda: exthdr.HopByHopOptions([exthdr.RouterAlert(0)], next_header=58),
    "DestinationOptions": lambda: exthdr.DestinationOptions([exthdr.Pad1(), exthdr.Option(0x1E, b"x")],
                                                            autopad=False),
    "RoutingHeader": lambda: routing.RoutingHeader(["2001:db8::1", "2001:db8::2"], segments_left=1),
    "SegmentRoutingHeader": lambda: routing.SegmentRoutingHeader(
        ["2001:db8::1", "2001:db8::2"], flags=1, tag=7, tlvs=[routing.HMACTLV(9, bytes(8), True)]),
    "UnknownRoutingHeader": lambda: routing.UnknownRoutingHeader(7, 1, bytes(12)),
    "SRHTLV": lambda: routing.SRHTLV(0x81, b"ab"), "HMACTLV": lambda: routing.HMACTLV(1, bytes(16)),
    "PacketTooBig": lambda: icmp6.PacketTooBig(1280, b"quoted"),
    "UnknownICMPv6Message": lambda: icmp6.UnknownICMPv6Message(200, 1, b"data"),
    "NeighborSolicitation": lambda: icmp6.NeighborSolicitation(
        "fe80::1", [icmp6.SourceLinkLayerAddress("02:00:00:00:00:01")]),
    "NeighborAdvertisement": lambda: icmp6.NeighborAdvertisement("fe80::1", icmp6.NAFlag.SOLICITED),
    "Redirect": lambda: icmp6.Redirect("fe80::1", "2001:db8::1"),
    "MLDReport": lambda: icmp6.MLDReport("ff02::1:3"), "MLDDone": lambda: icmp6.MLDDone("ff02::1:3"),
    "MLDv2Record": lambda: icmp6.MLDv2Record(4, "ff02::fb", ["2001:db8::1"]),
    "SourceLinkLayerAddress": lambda: icmp6.SourceLinkLayerAddress(b"\x02\0\0\0\0\x01"),
    "TargetLinkLayerAddress": lambda: icmp6.TargetLinkLayerAddress(b"\x02\0\0\0\0\x01"),
    "PrefixInformation": lambda: icmp6.PrefixInformation("2001:db8::"),
    "RedirectedHeader": lambda: icmp6.RedirectedHeader(b"packet"),
    "MTU": lambda: icmp6.MTU(1500), "AdvertisementInterval": lambda: icmp6.AdvertisementInterval(600),
    "UnknownNDOption": lambda: icmp6.UnknownNDOption(200, bytes(6)),
    "RecursiveDNSServer": lambda: icmp6.RecursiveDNSServer(["2001:db8::53"]),
    "DNSSearchList": lambda: icmp6.DNSSearchList(["example.com"]),
    "BindingRefreshAdvice": lambda: mobility.BindingRefreshAdvice(5),
    "AlternateCareofAddress": lambda: mobility.AlternateCareofAddress("2001:db8::2"),
    "NonceIndices": lambda: mobility.NonceIndices(1, 2),
    "BindingAuthorizationData": lambda: mobility.BindingAuthorizationData(bytes(12)),
    "UnknownMobilityOption": lambda: mobility.UnknownMobilityOption(9, b"v"),
    "HomeTestInit": lambda: mobility.HomeTestInit(7), "CareofTestInit": lambda: mobility.CareofTestInit(7),
    "HomeTest": lambda: mobility.HomeTest(1, 2, 3), "CareofTest": lambda: mobility.CareofTest(1, 2, 3),
    "BindingUpdate": lambda: mobility.BindingUpdate(7, mobility.BUFlag.ACK, 100,
                                                    [mobility.AlternateCareofAddress("2001:db8::2")]),
    "BindingAcknowledgement": lambda: mobility.BindingAcknowledgement(0, 7),
    "BindingError": lambda: mobility.BindingError(1, "2001:db8::9"),
    "UnknownMobilityMessage": lambda: mobility.UnknownMobilityMessage(200, bytes(10)),
    "DUIDLLT": lambda: dhcp6.DUIDLLT(1, 2, b"\x02\0\0\0\0\x01"), "DUIDEN": lambda: dhcp6.DUIDEN(9, b"id"),
    "DUIDLL": lambda: _DUID, "DUIDUUID": lambda: dhcp6.DUIDUUID(bytes(range(16))),
    "UnknownDUID": lambda: dhcp6.UnknownDUID(9, b"x"),
    "ClientIdentifier": lambda: dhcp6.ClientIdentifier(_DUID),
    "ServerIdentifier": lambda: dhcp6.ServerIdentifier(_DUID),
    "IANA": lambda: dhcp6.IANA(1, 10, 20, [dhcp6.IAAddress("2001:db8::5", 30, 40)]),
    "IATA": lambda: dhcp6.IATA(2), "IAAddress": lambda: dhcp6.IAAddress("2001:db8::5"),
    "Preference": lambda: dhcp6.Preference(255),
    "RelayMessageOption": lambda: dhcp6.RelayMessageOption(_SOLICIT),
    "Authentication": lambda: dhcp6.Authentication(3, 1, 0, 5, b"key"),
    "ServerUnicast": lambda: dhcp6.ServerUnicast("2001:db8::1"),
    "StatusCode": lambda: dhcp6.StatusCode(dhcp6.Status.NoAddrsAvail, "none left"),
    "VendorClass": lambda: dhcp6.VendorClass(9, [b"a"]), "VendorOption": lambda: dhcp6.VendorOption(1, b"x"),
    "VendorSpecificInformation": lambda: dhcp6.VendorSpecificInformation(9, [dhcp6.VendorOption(1)]),
    "InterfaceID": lambda: dhcp6.InterfaceID(b"eth0"),
    "ReconfigureMessage": lambda: dhcp6.ReconfigureMessage(dhcp6.MessageType.RENEW),
    "IAPD": lambda: dhcp6.IAPD(3, options=[dhcp6.IAPrefix("2001:db8:1::", 48)]),
    "IAPrefix": lambda: dhcp6.IAPrefix("2001:db8:1::", 48),
    "InformationRefreshTime": lambda: dhcp6.InformationRefreshTime(3600),
    "RemoteID": lambda: dhcp6.RemoteID(9, b"r"), "SubscriberID": lambda: dhcp6.SubscriberID(b"s"),
    "ClientFQDN": lambda: dhcp6.ClientFQDN(dhcp6.FQDNFlag(1), "host.example."),
    "ClientLinkLayerAddress": lambda: dhcp6.ClientLinkLayerAddress(1, b"\x02\0\0\0\0\x01"),
    "SolMaxRT": lambda: dhcp6.SolMaxRT(3600), "InfMaxRT": lambda: dhcp6.InfMaxRT(3600),
    "UnknownOption": lambda: dhcp6.UnknownOption(200, b"x"),
    "Solicit": lambda: _SOLICIT,
    "RelayForward": lambda: dhcp6.RelayForward(0, "2001:db8::1", "fe80::1",
                                               [dhcp6.RelayMessageOption(_SOLICIT)]),
    "RelayReply": lambda: dhcp6.RelayReply(1, "::", "fe80::1", [dhcp6.InterfaceID(b"eth0")]),
    "UnknownMessage": lambda: dhcp6.UnknownMessage(200, b"x"),
    "PacketInfo": lambda: ancillary.PacketInfo("2001:db8::1", 1),
    "HopLimit": lambda: ancillary.HopLimit(64), "TrafficClass": lambda: ancillary.TrafficClass(0xB8),
    "NextHop": lambda: ancillary.NextHop("2001:db8::1"),
    "PathMTU": lambda: ancillary.PathMTU("2001:db8::1", 1400),
    "OriginalDestination": lambda: ancillary.OriginalDestination("2001:db8::1", 53),
    "ExtendedError": lambda: ancillary.ExtendedError(101, 3, 1, 4, 0, 0, "2001:db8::9"),
    "FlowInfo": lambda: ancillary.FlowInfo(0x12345, 4),
    "RoutingDestinationOptions": lambda: ancillary.RoutingDestinationOptions(
        exthdr.DestinationOptions([exthdr.TunnelEncapsulationLimit(1)])),
    "UnknownControlMessage": lambda: ancillary.UnknownControlMessage(41, 250, b"x"),
    "UDPSegment": lambda: ancillary.UDPSegment(1400),
    "GROSegmentSize": lambda: ancillary.GROSegmentSize(1400),
    "Timestamp": lambda: ancillary.Timestamp(1_700_000_000_123_456_789),
    "DropCount": lambda: ancillary.DropCount(3),
    "InterfaceAddress": lambda: interfaces.InterfaceAddress("lo", 1, 0x49, 10, "::1", 128),
    "Interface": lambda: interfaces.Interface(
        "lo", 1, 0x49, [interfaces.InterfaceAddress("lo", 1, 0x49, 10, "::1", 128)]),
    "IPv6Header": lambda: packet.IPv6Header("2001:db8::1", "2001:db8::2", 58, 8, 255, 0xB8, 0x12345),
}


def _public_classes() -> list[tuple[Any, str, type]]:
    from enum import Enum

    found = []
    for module in WIRE_MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and not issubclass(obj, (BaseException, Enum)):
                found.append((module, name, obj))
    return [*found, (packet, "IPv6Header", packet.IPv6Header)]


def _ids(value: Any) -> str:
    return str(getattr(value, "__name__", value))


def _key(module: Any, name: str) -> str:
    return f"{name}@{module.__name__.rsplit('.', 1)[-1]}"


def _field_doc(cls: type, name: str) -> str:
    """The doc ``help()`` shows for field ``name``: the declaration's, or the property's / slot's."""
    doc = getattr(cls, "_docs", {}).get(name) or getattr(cls, "_init_docs", {}).get(name)
    if doc:
        return str(doc)
    for klass in cls.__mro__:  # a slot documented in a __slots__ dict, or a property
        slots = klass.__dict__.get("__slots__")
        if isinstance(slots, dict) and slots.get(name):
            return str(slots[name])
        attr = klass.__dict__.get(name)
        if isinstance(attr, property) and attr.__doc__:
            return attr.__doc__
    return ""


@pytest.mark.parametrize(("module", "name", "cls"), _public_classes(), ids=_ids)
def test_every_wire_class_shows_its_signature_and_fields(module: Any, name: str, cls: type) -> None:
    params = inspect.signature(cls).parameters
    kinds = {p.kind for p in params.values()}
    assert inspect.Parameter.VAR_POSITIONAL not in kinds and inspect.Parameter.VAR_KEYWORD not in kinds
    text = " ".join(pydoc.render_doc(cls, renderer=pydoc.plaintext).split())
    for param in params:
        doc = _field_doc(cls, param)
        assert doc, f"{name}.{param} has no doc"
        assert " ".join(doc.split()[:4]) in text, f"help({name}) lacks the doc of {param}"
    fields = getattr(cls, "_fields", None)
    if isinstance(fields, tuple) and fields and hasattr(cls, "_docs"):  # declared with field()
        assert [p for p in params if params[p].kind is not inspect.Parameter.KEYWORD_ONLY] == list(fields)


@pytest.mark.parametrize(("module", "name", "cls"), _public_classes(), ids=_ids)
def test_every_wire_class_repr_evaluates_in_its_module(module: Any, name: str, cls: type) -> None:
    key = _key(module, name)
    if cls is ancillary.AncillaryItem:  # the items' base: a value without a control message of its own
        assert "AncillaryItem()" == repr(cls())
        return
    if name in ABSTRACT or key in ABSTRACT:
        with pytest.raises(TypeError, match=name):
            cls(*[0] * len([p for p in inspect.signature(cls).parameters.values()
                            if p.default is inspect.Parameter.empty]))
        return
    make = SAMPLES.get(key) or SAMPLES.get(name)
    if make is None:
        required = [p for p in inspect.signature(cls).parameters.values() if p.default is p.empty]
        assert not required, f"no sample object of {key}"
        make = cls
    obj = make()
    assert isinstance(obj, cls)
    names = dict(vars(module))
    if module is ancillary:  # an item wraps headers: sockapi6 exports both (its names resolve lazily)
        names.update((n, getattr(sockapi6, n)) for n in ("DestinationOptions", "TunnelEncapsulationLimit"))
    again = eval(repr(obj), names)
    assert again == obj and hash(again) == hash(obj) and repr(again) == repr(obj)
    if hasattr(obj, "__bytes__"):
        assert bytes(again) == bytes(obj)
