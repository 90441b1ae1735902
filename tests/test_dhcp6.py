"""sockapi6.dhcp6 on its own: value semantics, constructors, hypothesis round trips, malformed input.

Round trips: ``parse(bytes(m)) == m`` and ``bytes(parse(d)) == d`` for
generated messages (every class, options nested in IAs and relays);
equality agrees with the wire octets; constructors name class and field;
truncated, lying or random input raises MalformedError and nothing else.
"""

from __future__ import annotations

import pickle
import struct
from ipaddress import IPv6Address

import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sockapi6 import MalformedError, dhcp6

NS = {**vars(dhcp6), "IPv6Address": IPv6Address}

u8 = st.integers(0, 0xFF)
u16 = st.integers(0, 0xFFFF)
u32 = st.integers(0, 0xFFFFFFFF)
blob = st.binary(max_size=12)
addr = st.integers(0, 2**128 - 1).map(IPv6Address)
label = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
name = st.lists(label, min_size=1, max_size=4).map(".".join)

duids = st.one_of(
    st.builds(dhcp6.DUIDLLT, u16, u32, st.binary(max_size=16)),
    st.builds(dhcp6.DUIDEN, u32, st.binary(max_size=16)),
    st.builds(dhcp6.DUIDLL, u16, st.binary(max_size=16)),
    st.builds(dhcp6.DUIDUUID, st.binary(min_size=16, max_size=16)),
    st.builds(dhcp6.UnknownDUID, st.integers(5, 0xFFFF), st.binary(max_size=16)),
)
unknown_codes = st.integers(0, 0xFFFF).filter(lambda c: c not in dhcp6.OPTIONS)

leaf_options = st.one_of(
    st.builds(dhcp6.ClientIdentifier, duids), st.builds(dhcp6.ServerIdentifier, duids),
    st.builds(dhcp6.OptionRequest, st.lists(u16, max_size=5)), st.builds(dhcp6.Preference, u8),
    st.builds(dhcp6.ElapsedTime, u16),
    st.builds(dhcp6.Authentication, u8, u8, u8, st.integers(0, 2**64 - 1), blob),
    st.builds(dhcp6.ServerUnicast, addr), st.builds(dhcp6.StatusCode, u16, st.text(max_size=10)),
    st.builds(dhcp6.RapidCommit), st.builds(dhcp6.UserClass, st.lists(blob, max_size=3)),
    st.builds(dhcp6.VendorClass, u32, st.lists(blob, max_size=3)),
    st.builds(dhcp6.VendorSpecificInformation, u32,
              st.lists(st.builds(dhcp6.VendorOption, u16, blob), max_size=3)),
    st.builds(dhcp6.InterfaceID, blob), st.builds(dhcp6.ReconfigureMessage, u8),
    st.builds(dhcp6.ReconfigureAccept), st.builds(dhcp6.DNSServers, st.lists(addr, max_size=3)),
    st.builds(dhcp6.DomainList, st.lists(name, max_size=3)),
    st.builds(dhcp6.InformationRefreshTime, u32), st.builds(dhcp6.RemoteID, u32, blob),
    st.builds(dhcp6.SubscriberID, blob),
    st.builds(dhcp6.ClientFQDN, u8, st.one_of(name, name.map(lambda n: n + "."), st.just(""))),
    st.builds(dhcp6.ClientLinkLayerAddress, u16, blob), st.builds(dhcp6.SolMaxRT, u32),
    st.builds(dhcp6.InfMaxRT, u32), st.builds(dhcp6.UnknownOption, unknown_codes, blob),
)


def _extend(children: st.SearchStrategy[dhcp6.Option]) -> st.SearchStrategy[dhcp6.Option]:
    opts = st.lists(children, max_size=2)
    return st.one_of(
        st.builds(dhcp6.IANA, u32, u32, u32, opts), st.builds(dhcp6.IATA, u32, opts),
        st.builds(dhcp6.IAPD, u32, u32, u32, opts), st.builds(dhcp6.IAAddress, addr, u32, u32, opts),
        st.builds(dhcp6.IAPrefix, addr, u8, u32, u32, opts),
    )


options = st.recursive(leaf_options, _extend, max_leaves=3)
client_server_classes = st.sampled_from([c for c in dhcp6.MESSAGES.values()
                                         if issubclass(c, dhcp6.ClientServerMessage)])
client_server = st.builds(lambda cls, xid, opts: cls(xid, opts), client_server_classes,
                          st.integers(0, 0xFFFFFF), st.lists(options, max_size=4))
unknown_messages = st.builds(dhcp6.UnknownMessage, st.integers(14, 255), st.binary(max_size=40))


def _relay(inner: st.SearchStrategy[dhcp6.Message]) -> st.SearchStrategy[dhcp6.Message]:
    relay_options = st.lists(st.one_of(options, inner.map(dhcp6.RelayMessageOption)), max_size=3)
    return st.builds(lambda cls, *args: cls(*args), st.sampled_from([dhcp6.RelayForward, dhcp6.RelayReply]),
                     u8, addr, addr, relay_options)


messages = st.recursive(st.one_of(client_server, unknown_messages), _relay, max_leaves=3)


@settings(max_examples=examples(2000))
@given(messages)
def test_message_round_trip(message: dhcp6.Message) -> None:
    raw = bytes(message)
    parsed = dhcp6.parse(raw)
    assert parsed == message
    assert bytes(parsed) == raw
    assert hash(parsed) == hash(message)
    assert eval(repr(parsed), NS) == parsed
    assert len(message) == len(raw)


@settings(max_examples=examples(2000))
@given(options, options)
def test_equal_exactly_when_same_octets(a: dhcp6.Option, b: dhcp6.Option) -> None:
    assert (a == b) == (bytes(a) == bytes(b))
    assert dhcp6.parse_options(bytes(a) + bytes(b)) == (a, b)


@settings(max_examples=examples(2000))
@given(messages, st.data())
def test_truncated_or_lying_input_is_malformed_only(message: dhcp6.Message, data: st.DataObject) -> None:
    raw = bytearray(bytes(message))
    action = data.draw(st.sampled_from(["truncate", "flip", "lengthen"]))
    if action == "truncate":
        raw = raw[:data.draw(st.integers(0, len(raw)))]
    elif action == "flip" and raw:
        raw[data.draw(st.integers(0, len(raw) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    else:
        raw += data.draw(st.binary(min_size=1, max_size=6))
    try:
        parsed = dhcp6.parse(bytes(raw))
    except MalformedError:
        return
    assert bytes(parsed) == bytes(raw)


@settings(max_examples=examples(2000))
@given(st.binary(max_size=80))
def test_random_octets_are_malformed_only(raw: bytes) -> None:
    try:
        parsed = dhcp6.parse(raw)
    except MalformedError:
        return
    assert bytes(parsed) == raw


def solicit() -> dhcp6.Solicit:
    return dhcp6.Solicit(0x010203, [dhcp6.ClientIdentifier(dhcp6.DUIDLL(1, b"\x02\0\0\0\0\1")),
                                    dhcp6.ElapsedTime(0), dhcp6.IANA(1)])


def test_wire_layout_rfc8415() -> None:
    raw = bytes(solicit())
    assert raw[:4] == b"\x01\x01\x02\x03"
    assert raw[4:8] == b"\x00\x01\x00\x0a" and raw[8:10] == b"\x00\x03"  # OPTION_CLIENTID, DUID-LL
    fwd = dhcp6.RelayForward(1, "2001:db8::1", "fe80::2", [dhcp6.RelayMessageOption(solicit())])
    wire = bytes(fwd)
    assert wire[:2] == b"\x0c\x01" and IPv6Address(wire[2:18]) == IPv6Address("2001:db8::1")
    assert IPv6Address(wire[18:34]) == IPv6Address("fe80::2")
    assert struct.unpack("!HH", wire[34:38]) == (9, len(raw)) and wire[38:] == raw
    assert fwd.relay_message == solicit() and fwd.interface_id is None


def test_constants() -> None:
    assert (dhcp6.CLIENT_PORT, dhcp6.SERVER_PORT, dhcp6.HOP_COUNT_LIMIT) == (546, 547, 8)
    assert dhcp6.ALL_DHCP_RELAY_AGENTS_AND_SERVERS == IPv6Address("ff02::1:2")
    assert dhcp6.ALL_DHCP_SERVERS == IPv6Address("ff05::1:3")
    assert dhcp6.MessageType.RELAY_FORW == 12 and dhcp6.OptionCode.OPTION_CLIENT_LINKLAYER_ADDR == 79
    assert dhcp6.Status.NoPrefixAvail == 6
    for code, cls in dhcp6.OPTIONS.items():
        assert dhcp6.OptionCode(code).name.startswith("OPTION_"), cls


@pytest.mark.parametrize(("make", "words"), [
    (lambda: dhcp6.IANA(-1), ("dhcp6.IANA: iaid",)),
    (lambda: dhcp6.Solicit(1 << 24), ("dhcp6.Solicit: transaction_id",)),
    (lambda: dhcp6.RelayForward(256, "::", "::"), ("dhcp6.RelayForward: hop_count",)),
    (lambda: dhcp6.RelayForward(0, "not an address", "::"), ("dhcp6.RelayForward: link_address",)),
    (lambda: dhcp6.DUIDUUID(b"short"), ("dhcp6.DUIDUUID: uuid",)),
    (lambda: dhcp6.DUIDEN(1, bytes(200)), ("DUIDEN", "128")),
    (lambda: dhcp6.DomainList(["a..b"]), ("dhcp6.DomainList: domains",)),
    (lambda: dhcp6.ClientFQDN(0, "x" * 64), ("dhcp6.ClientFQDN: name",)),
    (lambda: dhcp6.StatusCode(0, "\ud800"), ("dhcp6.StatusCode: message",)),
    (lambda: dhcp6.UnknownOption(1, b""), ("dhcp6.UnknownOption: code", "ClientIdentifier")),
    (lambda: dhcp6.UnknownMessage(1), ("dhcp6.UnknownMessage: message_type", "Solicit")),
    (lambda: dhcp6.UnknownDUID(3), ("dhcp6.UnknownDUID: duid_type",)),
    (lambda: dhcp6.InterfaceID(bytes(70000)), ("InterfaceID", "65535")),
    (lambda: dhcp6.Preference(300), ("dhcp6.Preference: preference",)),
])
def test_constructor_errors_name_class_and_field(make, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError) as info:
        make()
    assert not isinstance(info.value, MalformedError)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("make", [
    lambda: dhcp6.IANA("1"), lambda: dhcp6.ClientIdentifier(b"\0\3"), lambda: dhcp6.InterfaceID("eth0"),
    lambda: dhcp6.DomainList("dhcp6.example: com"), lambda: dhcp6.RelayMessageOption(b"\1\0\0\0"),
    lambda: dhcp6.Solicit(0, dhcp6.RapidCommit()), lambda: dhcp6.IANA(1, options=[b"x"]),
])
def test_wrong_types_are_type_errors(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match=r"^dhcp6\.[A-Za-z]+: [a-z_]+"):
        make()


def test_values_are_immutable_hashable_picklable() -> None:
    m = dhcp6.RelayForward(0, "2001:db8::1%eth0", "fe80::1", [dhcp6.RelayMessageOption(solicit())])
    assert m.link_address == IPv6Address("2001:db8::1")  # the scope is not on the wire
    with pytest.raises(AttributeError):
        m.hop_count = 1  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(m)) == m
    assert {m: 1}[dhcp6.parse(bytes(m))] == 1
    assert m._replace(hop_count=2).hop_count == 2


def test_text_and_names_are_canonical() -> None:
    assert dhcp6.StatusCode(0, "\udcc3\udca9") == dhcp6.StatusCode(0, "é")  # the same UTF-8 octets
    bad_utf8 = dhcp6.parse(b"\x07\0\0\0\x00\x0d\x00\x03\x00\x00\xff")
    assert bytes(bad_utf8) == b"\x07\0\0\0\x00\x0d\x00\x03\x00\x00\xff"
    assert dhcp6.DomainList(["example.com"]) == dhcp6.DomainList(["example.com."])
    assert bytes(dhcp6.ClientFQDN(0, "host")) == b"\x00\x27\x00\x06\x00\x04host"  # partial: no root label
    assert bytes(dhcp6.ClientFQDN(0, "host.")) == b"\x00\x27\x00\x07\x00\x04host\x00"


def test_message_helpers() -> None:
    m = solicit()
    assert m.option(dhcp6.ElapsedTime) == dhcp6.ElapsedTime(0)
    assert m.option(dhcp6.OptionCode.OPTION_IA_NA) == dhcp6.IANA(1)
    assert m.option(dhcp6.IAPD) is None
    assert m.options_of(dhcp6.Option) == m.options
    assert m.msg_type is dhcp6.MessageType.SOLICIT
    prefix = dhcp6.IAPrefix("2001:db8:1:2:3::", 48)
    assert str(prefix.network) == "2001:db8:1::/48"


@pytest.mark.parametrize(("raw", "words"), [
    (b"", "at least 1 octet"),
    (b"\x01\x00\x00", "needs 4 octets"),
    (b"\x0c" + bytes(20), "needs 34 octets"),
    (b"\x01\0\0\0\x00\x01\x00", "too few for an option header"),
    (b"\x01\0\0\0\x00\x01\x00\x09\x00\x03", "runs past the end"),
    (b"\x01\0\0\0\x00\x01\x00\x01\x00", "DUID is at least 2"),
    (b"\x01\0\0\0\x00\x06\x00\x03\x00\x17\x00", "2-octet codes"),
    (b"\x01\0\0\0\x00\x07\x00\x02\x00\x00", "expected 1"),
    (b"\x01\0\0\0\x00\x18\x00\x04\x03com", "root label"),
    (b"\x01\0\0\0\x00\x17\x00\x04\x00\x00\x00\x00", "16-octet addresses"),
    (b"\x01\0\0\0\x00\x03\x00\x04\x00\x00\x00\x00", "needs at least 12"),
    (b"\x01\0\0\0\x00\x09\x00\x00", "at least 1 octet"),
])
def test_malformed_examples(raw: bytes, words: str) -> None:
    with pytest.raises(MalformedError, match=words):
        dhcp6.parse(raw)


def test_deep_nesting_is_malformed_not_recursion_error() -> None:
    raw = bytes(dhcp6.Solicit())
    for _ in range(200):
        raw = b"\x0c\x00" + bytes(32) + struct.pack("!HH", 9, len(raw)) + raw
    with pytest.raises(MalformedError, match="nest more than"):
        dhcp6.parse(raw)
    ia = b""
    for _ in range(200):
        ia = struct.pack("!HHI", 4, 4 + len(ia), 1) + ia
    with pytest.raises(MalformedError, match="nest more than"):
        dhcp6.parse(b"\x07\0\0\0" + ia)


def test_not_bytes_is_type_error() -> None:
    with pytest.raises(TypeError):
        dhcp6.parse("\x01\x00\x00\x00")  # type: ignore[arg-type]
