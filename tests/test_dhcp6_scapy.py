"""sockapi6.dhcp6 against scapy's DHCP6 layers, the independent decoder, in both directions.

scapy -> sockapi6: every message type scapy builds, carrying every option
class scapy has (with values, and with scapy's defaults), and relay messages
nested three deep, parse with ``bytes(parse(raw)) == raw`` and the fields
scapy set.  sockapi6 -> scapy: every message and option class we build
decodes in scapy to the same fields and re-encodes to the same octets.
"""

from __future__ import annotations

from ipaddress import IPv6Address

import pytest

scapy_dhcp6 = pytest.importorskip("scapy.layers.dhcp6")

from sockapi6 import MalformedError, dhcp6  # noqa: E402

S = scapy_dhcp6


def scapy_decode(raw: bytes):  # type: ignore[no-untyped-def]
    """scapy's reading of a DHCPv6 message, by its msg-type."""
    return getattr(S, S.dhcp6_cls_by_type[raw[0]])(raw)


def scapy_options() -> list:  # type: ignore[type-arg]
    """One instance of every scapy option class, with values set where scapy's defaults are empty."""
    duid = S.DUID_LLT(lladdr="00:11:22:33:44:55", timeval=0x12345678)
    inner = S.DHCP6_Solicit(trid=0xABCDEF) / S.DHCP6OptClientId(duid=S.DUID_LL(lladdr="02:00:00:00:00:01"))
    chosen = {
        "DHCP6OptClientId": S.DHCP6OptClientId(duid=duid),
        "DHCP6OptServerId": S.DHCP6OptServerId(duid=S.DUID_EN(enterprisenum=9, id=b"\x01\x02\x03")),
        "DHCP6OptIA_NA": S.DHCP6OptIA_NA(iaid=7, T1=100, T2=200, ianaopts=[
            S.DHCP6OptIAAddress(addr="2001:db8::7", preflft=300, validlft=400,
                                iaaddropts=[S.DHCP6OptStatusCode(statuscode=0, statusmsg="fine")])]),
        "DHCP6OptIA_TA": S.DHCP6OptIA_TA(iaid=8, iataopts=[S.DHCP6OptIAAddress(addr="2001:db8::8")]),
        "DHCP6OptIAAddress": S.DHCP6OptIAAddress(addr="2001:db8::9", preflft=1, validlft=2),
        "DHCP6OptOptReq": S.DHCP6OptOptReq(reqopts=[23, 24, 39, 82]),
        "DHCP6OptPref": S.DHCP6OptPref(prefval=200),
        "DHCP6OptElapsedTime": S.DHCP6OptElapsedTime(elapsedtime=1234),
        "DHCP6OptRelayMsg": S.DHCP6OptRelayMsg(message=inner),
        "DHCP6OptAuth": S.DHCP6OptAuth(proto=3, alg=1, rdm=0, replay=b"\x00" * 7 + b"\x05",
                                       authinfo=b"key-material"),
        "DHCP6OptServerUnicast": S.DHCP6OptServerUnicast(srvaddr="2001:db8::547"),
        "DHCP6OptStatusCode": S.DHCP6OptStatusCode(statuscode=2, statusmsg="no addresses"),
        "DHCP6OptUserClass": S.DHCP6OptUserClass(userclassdata=[S.USER_CLASS_DATA(data=b"class-a"),
                                                                S.USER_CLASS_DATA(data=b"b")]),
        "DHCP6OptVendorClass": S.DHCP6OptVendorClass(enterprisenum=311, vcdata=[
            S.VENDOR_CLASS_DATA(data=b"MSFT 5.0")]),
        "DHCP6OptVendorSpecificInfo": S.DHCP6OptVendorSpecificInfo(enterprisenum=4491, vso=[
            S.VENDOR_SPECIFIC_OPTION(optcode=1, optdata=b"abc"), S.VENDOR_SPECIFIC_OPTION(optcode=2)]),
        "DHCP6OptIfaceId": S.DHCP6OptIfaceId(ifaceid=b"eth1\x00\x01"),
        "DHCP6OptReconfMsg": S.DHCP6OptReconfMsg(msgtype=5),
        "DHCP6OptDNSServers": S.DHCP6OptDNSServers(dnsservers=["2001:db8::53", "2001:db8::54"]),
        "DHCP6OptDNSDomains": S.DHCP6OptDNSDomains(dnsdomains=["example.com.", "lab.example.org."]),
        "DHCP6OptIA_PD": S.DHCP6OptIA_PD(iaid=9, T1=10, T2=20, iapdopt=[
            S.DHCP6OptIAPrefix(preflft=30, validlft=40, plen=56, prefix="2001:db8:100::")]),
        "DHCP6OptIAPrefix": S.DHCP6OptIAPrefix(plen=64, prefix="2001:db8:1::"),
        "DHCP6OptInfoRefreshTime": S.DHCP6OptInfoRefreshTime(reftime=3600),
        "DHCP6OptRemoteID": S.DHCP6OptRemoteID(enterprisenum=3561, remoteid=b"port-7"),
        "DHCP6OptSubscriberID": S.DHCP6OptSubscriberID(subscriberid=b"sub-42"),
        "DHCP6OptClientFQDN": S.DHCP6OptClientFQDN(flags=1, fqdn="host.example.com."),
        "DHCP6OptClientLinkLayerAddr": S.DHCP6OptClientLinkLayerAddr(lltype=1, clladdr="02:00:00:00:00:05"),
    }
    out = []
    for name in sorted(set(S.dhcp6opts_by_code.values())):
        cls = getattr(S, name, None)
        if cls is not None:
            out.append(chosen.get(name) or cls())
    return out


OPTIONS = scapy_options()
MESSAGE_CLASSES = [getattr(S, name) for name in S.dhcp6_cls_by_type.values()]


def scapy_message(cls, options):  # type: ignore[no-untyped-def]
    if cls in (S.DHCP6_RelayForward, S.DHCP6_RelayReply):
        msg = cls(hopcount=2, linkaddr="2001:db8::1", peeraddr="fe80::2")
    else:
        msg = cls(trid=0x123456)
    for opt in options:
        msg = msg / opt
    return msg


@pytest.mark.parametrize("cls", MESSAGE_CLASSES, ids=lambda c: c.__name__)
def test_every_scapy_message_with_every_option_round_trips(cls) -> None:  # type: ignore[no-untyped-def]
    raw = bytes(scapy_message(cls, [o.copy() for o in OPTIONS]))
    parsed = dhcp6.parse(raw)
    assert bytes(parsed) == raw
    if raw[0] in dhcp6.MESSAGES:
        assert parsed.msg_type == raw[0]
        assert [opt.code for opt in parsed.options] == [o.optcode for o in OPTIONS]
    else:  # msg-types without a class here (RFC 9686 address registration) are kept whole
        assert isinstance(parsed, dhcp6.UnknownMessage) and parsed.data == raw[1:]


def test_unknown_scapy_options_are_kept_as_octets() -> None:
    known = set(dhcp6.OPTIONS)
    unknown = [o for o in OPTIONS if o.optcode not in known]
    assert unknown, "scapy has options this package does not name"
    parsed = dhcp6.parse(bytes(scapy_message(S.DHCP6_Reply, unknown)))
    for theirs, ours in zip(unknown, parsed.options):
        assert isinstance(ours, dhcp6.UnknownOption)
        assert bytes(ours) == bytes(theirs)


def test_scapy_fields_read_back() -> None:
    raw = bytes(scapy_message(S.DHCP6_Reply, [o.copy() for o in OPTIONS]))
    m = dhcp6.parse(raw)
    assert isinstance(m, dhcp6.Reply) and m.transaction_id == 0x123456
    cid = m.option(dhcp6.ClientIdentifier)
    assert cid is not None and cid.duid == dhcp6.DUIDLLT(1, 0x12345678, bytes.fromhex("001122334455"))
    sid = m.option(dhcp6.ServerIdentifier)
    assert sid is not None and sid.duid == dhcp6.DUIDEN(9, b"\x01\x02\x03")
    ia = m.option(dhcp6.IANA)
    assert ia is not None and (ia.iaid, ia.t1, ia.t2) == (7, 100, 200)
    addr = ia.options[0]
    assert isinstance(addr, dhcp6.IAAddress) and addr.address == IPv6Address("2001:db8::7")
    assert addr.options == (dhcp6.StatusCode(dhcp6.Status.Success, "fine"),)
    assert m.option(dhcp6.OptionRequest).codes == (23, 24, 39, 82)  # type: ignore[union-attr]
    assert m.option(dhcp6.Preference) == dhcp6.Preference(200)
    assert m.option(dhcp6.ElapsedTime) == dhcp6.ElapsedTime(1234)
    relayed = m.option(dhcp6.RelayMessageOption)
    assert relayed is not None and isinstance(relayed.message, dhcp6.Solicit)
    assert relayed.message.transaction_id == 0xABCDEF
    assert m.option(dhcp6.Authentication) == dhcp6.Authentication(3, 1, 0, 5, b"key-material")
    assert m.option(dhcp6.ServerUnicast) == dhcp6.ServerUnicast("2001:db8::547")
    assert m.option(dhcp6.StatusCode) == dhcp6.StatusCode(dhcp6.Status.NoAddrsAvail, "no addresses")
    assert m.option(dhcp6.UserClass) == dhcp6.UserClass([b"class-a", b"b"])
    assert m.option(dhcp6.VendorClass) == dhcp6.VendorClass(311, [b"MSFT 5.0"])
    assert m.option(dhcp6.VendorSpecificInformation) == dhcp6.VendorSpecificInformation(
        4491, [dhcp6.VendorOption(1, b"abc"), dhcp6.VendorOption(2)])
    assert m.option(dhcp6.InterfaceID) == dhcp6.InterfaceID(b"eth1\x00\x01")
    assert m.option(dhcp6.ReconfigureMessage) == dhcp6.ReconfigureMessage(dhcp6.MessageType.RENEW)
    assert m.option(dhcp6.DNSServers).servers == (  # type: ignore[union-attr]
        IPv6Address("2001:db8::53"), IPv6Address("2001:db8::54"))
    assert m.option(dhcp6.DomainList).domains == ("example.com.", "lab.example.org.")  # type: ignore[union-attr]
    pd = m.option(dhcp6.IAPD)
    assert pd is not None and pd.options[0].network.compressed == "2001:db8:100::/56"  # type: ignore[attr-defined]
    assert m.option(dhcp6.InformationRefreshTime) == dhcp6.InformationRefreshTime(3600)
    assert m.option(dhcp6.RemoteID) == dhcp6.RemoteID(3561, b"port-7")
    assert m.option(dhcp6.SubscriberID) == dhcp6.SubscriberID(b"sub-42")
    assert m.option(dhcp6.ClientFQDN) == dhcp6.ClientFQDN(dhcp6.FQDNFlag.S, "host.example.com.")
    lladdr = dhcp6.ClientLinkLayerAddress(1, bytes.fromhex("020000000005"))
    assert m.option(dhcp6.ClientLinkLayerAddress) == lladdr
    assert m.option(dhcp6.RapidCommit) == dhcp6.RapidCommit()
    assert m.option(dhcp6.ReconfigureAccept) == dhcp6.ReconfigureAccept()


def test_nested_scapy_relays() -> None:
    client = S.DHCP6_Request(trid=0x42) / S.DHCP6OptClientId(duid=S.DUID_LL(lladdr="02:00:00:00:00:01"))
    msg = client
    for hop in range(3):
        msg = (S.DHCP6_RelayForward(hopcount=hop, linkaddr=f"2001:db8:{hop + 1}::1",
                                    peeraddr=f"fe80::{hop + 1}")
               / S.DHCP6OptIfaceId(ifaceid=f"if{hop}".encode()) / S.DHCP6OptRelayMsg(message=msg))
    raw = bytes(msg)
    parsed = dhcp6.parse(raw)
    assert bytes(parsed) == raw
    hops = []
    while isinstance(parsed, dhcp6.RelayForward):
        hops.append((parsed.hop_count, str(parsed.link_address), str(parsed.peer_address),
                     parsed.interface_id))
        inner = parsed.relay_message
        assert inner is not None
        parsed = inner
    assert hops == [(2, "2001:db8:3::1", "fe80::3", b"if2"), (1, "2001:db8:2::1", "fe80::2", b"if1"),
                    (0, "2001:db8:1::1", "fe80::1", b"if0")]
    duid = dhcp6.DUIDLL(1, bytes.fromhex("020000000001"))
    assert parsed == dhcp6.Request(0x42, [dhcp6.ClientIdentifier(duid)])


def test_scapy_defaults_parse_or_refuse_cleanly() -> None:
    """scapy's default options (some empty where the RFC wants data) parse, or raise MalformedError."""
    for cls in {type(o) for o in OPTIONS}:
        raw = bytes(S.DHCP6_Reply(trid=1) / cls())
        try:
            assert bytes(dhcp6.parse(raw)) == raw
        except MalformedError:
            assert cls in (S.DHCP6OptClientId, S.DHCP6OptServerId)  # an empty DUID (RFC 8415 11.1)


# ---------------------------------------------------------------------------
# ours -> scapy
# ---------------------------------------------------------------------------

DUIDS = [dhcp6.DUIDLLT(1, 700000000, bytes.fromhex("020000000001")), dhcp6.DUIDEN(9, b"id"),
         dhcp6.DUIDLL(1, bytes.fromhex("020000000002")), dhcp6.DUIDUUID(bytes(range(16)))]
SCAPY_DUID = {dhcp6.DUIDLLT: S.DUID_LLT, dhcp6.DUIDEN: S.DUID_EN, dhcp6.DUIDLL: S.DUID_LL,
              dhcp6.DUIDUUID: S.DUID_UUID}


def our_options() -> list[dhcp6.Option]:
    return [
        dhcp6.ClientIdentifier(DUIDS[0]), dhcp6.ServerIdentifier(DUIDS[1]),
        dhcp6.IANA(1, 10, 20, [dhcp6.IAAddress("2001:db8::1", 30, 40, [dhcp6.StatusCode(0, "ok")])]),
        dhcp6.IATA(2, [dhcp6.IAAddress("2001:db8::2")]), dhcp6.OptionRequest([23, 24]),
        dhcp6.Preference(255), dhcp6.ElapsedTime(65535),
        dhcp6.RelayMessageOption(dhcp6.Solicit(5, [dhcp6.ClientIdentifier(DUIDS[2])])),
        dhcp6.Authentication(3, 1, 0, 99, b"info"), dhcp6.ServerUnicast("2001:db8::547"),
        dhcp6.StatusCode(dhcp6.Status.UseMulticast, "use multicast"), dhcp6.RapidCommit(),
        dhcp6.UserClass([b"u1", b"u22"]), dhcp6.VendorClass(311, [b"v"]),
        dhcp6.VendorSpecificInformation(4491, [dhcp6.VendorOption(3, b"x")]), dhcp6.InterfaceID(b"eth0"),
        dhcp6.ReconfigureMessage(dhcp6.MessageType.INFORMATION_REQUEST), dhcp6.ReconfigureAccept(),
        dhcp6.DNSServers(["2001:db8::53"]), dhcp6.DomainList(["example.com", "b.example"]),
        dhcp6.IAPD(3, 1, 2, [dhcp6.IAPrefix("2001:db8:8::", 48, 5, 6)]),
        dhcp6.InformationRefreshTime(86400), dhcp6.RemoteID(3561, b"remote"), dhcp6.SubscriberID(b"sub"),
        dhcp6.ClientFQDN(dhcp6.FQDNFlag.S | dhcp6.FQDNFlag.N, "client.example."),
        dhcp6.ClientLinkLayerAddress(1, bytes.fromhex("020000000009")),
        dhcp6.SolMaxRT(3600), dhcp6.InfMaxRT(7200), dhcp6.UnknownOption(200, b"opaque"),
        dhcp6.ClientIdentifier(DUIDS[3]),
    ]


def our_messages() -> list[dhcp6.Message]:
    options = our_options()
    client_server = [cls(0xFEDCBA, options) for cls in dhcp6.MESSAGES.values()
                     if issubclass(cls, dhcp6.ClientServerMessage)]
    relayed = dhcp6.RelayForward(0, "2001:db8::1", "fe80::1", [dhcp6.InterfaceID(b"a"),
                                                               dhcp6.RelayMessageOption(client_server[0])])
    twice = dhcp6.RelayForward(1, "::", "fe80::9", [dhcp6.RelayMessageOption(relayed)])
    reply = dhcp6.RelayReply(0, "2001:db8::1", "fe80::1", [dhcp6.InterfaceID(b"a"),
                                                          dhcp6.RelayMessageOption(client_server[6])])
    return [*client_server, relayed, twice, reply]


@pytest.mark.parametrize("message", our_messages(), ids=lambda m: type(m).__name__)
def test_our_messages_decode_in_scapy(message: dhcp6.Message) -> None:
    raw = bytes(message)
    theirs = scapy_decode(raw)
    assert bytes(theirs) == raw
    assert theirs.msgtype == message.msg_type
    if isinstance(message, dhcp6.ClientServerMessage):
        assert theirs.trid == message.transaction_id
        _compare_options(theirs.payload, message.options)
    else:
        assert isinstance(message, dhcp6.RelayMessage)
        assert theirs.hopcount == message.hop_count
        assert IPv6Address(theirs.linkaddr) == message.link_address
        assert IPv6Address(theirs.peeraddr) == message.peer_address
        inner = theirs[S.DHCP6OptRelayMsg].message
        assert bytes(inner) == bytes(message.relay_message)


def _compare_options(layer, ours: tuple[dhcp6.Option, ...]) -> None:  # type: ignore[no-untyped-def]
    for opt in ours:
        assert layer.optcode == opt.code, type(opt).__name__
        if isinstance(opt, (dhcp6.ClientIdentifier, dhcp6.ServerIdentifier)):
            assert isinstance(layer.duid, SCAPY_DUID[type(opt.duid)])
            assert bytes(layer.duid) == bytes(opt.duid)
        elif isinstance(opt, dhcp6.IANA):
            assert (layer.iaid, layer.T1, layer.T2) == (opt.iaid, opt.t1, opt.t2)
            assert IPv6Address(layer.ianaopts[0].addr) == opt.options[0].address  # type: ignore[attr-defined]
        elif isinstance(opt, dhcp6.StatusCode):
            assert (layer.statuscode, layer.statusmsg) == (opt.status, opt.message.encode())
        elif isinstance(opt, dhcp6.OptionRequest):
            assert list(layer.reqopts) == list(opt.codes)
        elif isinstance(opt, dhcp6.DNSServers):
            assert [IPv6Address(a) for a in layer.dnsservers] == list(opt.servers)
        elif isinstance(opt, dhcp6.DomainList):
            assert list(layer.dnsdomains) == list(opt.domains)
        elif isinstance(opt, dhcp6.ClientFQDN):
            assert (layer.flags, layer.fqdn) == (opt.flags, opt.name.encode())
        elif isinstance(opt, dhcp6.IAPD):
            prefix = layer.iapdopt[0]
            assert (prefix.plen, IPv6Address(prefix.prefix)) == (48, IPv6Address("2001:db8:8::"))
        elif isinstance(opt, dhcp6.ElapsedTime):
            assert layer.elapsedtime == opt.elapsed_time
        elif isinstance(opt, dhcp6.RelayMessageOption):
            assert bytes(layer.message) == bytes(opt.message)
        elif isinstance(opt, dhcp6.UnknownOption):
            assert bytes(layer)[:4 + len(opt.data)] == bytes(opt)
        layer = layer.payload
