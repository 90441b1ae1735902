"""Sizes and field offsets of the wire-format structs in cdefs/common.h, against the RFC figures.

The table below is written from the packet diagrams of RFC 4443 2.1, RFC 4861 4.1-4.6,
RFC 2710 3, RFC 3810 5.1-5.2, RFC 2894 3, RFC 8106 5, RFC 4191 2.3 and RFC 6275 6-7
(via RFC 4584 4), not from any C header.  Every platform's generated declarations
are checked, since these layouts are the same on every OS.
"""

from __future__ import annotations

import pytest

from sockapi6._system.binding import PLATFORMS, abi_module

#: struct -> (size, {field: offset}); offsets count octets from the start of the ICMPv6/MH header
LAYOUTS: dict[str, tuple[int, dict[str, int]]] = {
    "icmp6_hdr": (
        8,
        {
            "icmp6_type": 0,
            "icmp6_code": 1,
            "icmp6_cksum": 2,
            "icmp6_dataun": 4,
            "icmp6_data32": 4,
            "icmp6_data16": 4,
            "icmp6_data8": 4,
            "icmp6_pptr": 4,
            "icmp6_mtu": 4,
            "icmp6_id": 4,
            "icmp6_seq": 6,
            "icmp6_maxdelay": 4,
        },
    ),
    "nd_router_solicit": (
        8,
        {"nd_rs_hdr": 0, "nd_rs_type": 0, "nd_rs_code": 1, "nd_rs_cksum": 2, "nd_rs_reserved": 4},
    ),
    "nd_router_advert": (
        16,
        {
            "nd_ra_hdr": 0,
            "nd_ra_type": 0,
            "nd_ra_cksum": 2,
            "nd_ra_curhoplimit": 4,
            "nd_ra_flags_reserved": 5,
            "nd_ra_router_lifetime": 6,
            "nd_ra_reachable": 8,
            "nd_ra_retransmit": 12,
        },
    ),
    "nd_neighbor_solicit": (24, {"nd_ns_hdr": 0, "nd_ns_reserved": 4, "nd_ns_target": 8}),
    "nd_neighbor_advert": (24, {"nd_na_hdr": 0, "nd_na_flags_reserved": 4, "nd_na_target": 8}),
    "nd_redirect": (40, {"nd_rd_hdr": 0, "nd_rd_reserved": 4, "nd_rd_target": 8, "nd_rd_dst": 24}),
    "nd_opt_hdr": (2, {"nd_opt_type": 0, "nd_opt_len": 1}),
    "nd_opt_prefix_info": (
        32,
        {
            "nd_opt_pi_type": 0,
            "nd_opt_pi_len": 1,
            "nd_opt_pi_prefix_len": 2,
            "nd_opt_pi_flags_reserved": 3,
            "nd_opt_pi_valid_time": 4,
            "nd_opt_pi_preferred_time": 8,
            "nd_opt_pi_reserved2": 12,
            "nd_opt_pi_prefix": 16,
        },
    ),
    "nd_opt_rd_hdr": (
        8,
        {"nd_opt_rh_type": 0, "nd_opt_rh_len": 1, "nd_opt_rh_reserved1": 2, "nd_opt_rh_reserved2": 4},
    ),
    "nd_opt_mtu": (
        8,
        {"nd_opt_mtu_type": 0, "nd_opt_mtu_len": 1, "nd_opt_mtu_reserved": 2, "nd_opt_mtu_mtu": 4},
    ),
    "nd_opt_route_info": (8, {"nd_opt_rti_prefixlen": 2, "nd_opt_rti_flags": 3, "nd_opt_rti_lifetime": 4}),
    "nd_opt_rdnss": (
        8,
        {
            "nd_opt_rdnss_type": 0,
            "nd_opt_rdnss_len": 1,
            "nd_opt_rdnss_reserved": 2,
            "nd_opt_rdnss_lifetime": 4,
        },
    ),
    "nd_opt_dnssl": (
        8,
        {
            "nd_opt_dnssl_type": 0,
            "nd_opt_dnssl_len": 1,
            "nd_opt_dnssl_reserved": 2,
            "nd_opt_dnssl_lifetime": 4,
        },
    ),
    "mld_hdr": (
        24,
        {
            "mld_icmp6_hdr": 0,
            "mld_type": 0,
            "mld_code": 1,
            "mld_cksum": 2,
            "mld_maxdelay": 4,
            "mld_reserved": 6,
            "mld_addr": 8,
        },
    ),
    "mldv2_query": (28, {"mld_maxdelay": 4, "mld_addr": 8, "mld_misc": 24, "mld_qqi": 25, "mld_numsrc": 26}),
    "mldv2_report": (8, {"mld_v2_reserved": 4, "mld_v2_numrecs": 6}),
    "mldv2_record": (20, {"mr_type": 0, "mr_datalen": 1, "mr_numsrc": 2, "mr_addr": 4}),
    "icmp6_router_renum": (
        16,
        {
            "rr_hdr": 0,
            "rr_type": 0,
            "rr_seqnum": 4,
            "rr_segnum": 8,
            "rr_flags": 9,
            "rr_maxdelay": 10,
            "rr_reserved": 12,
        },
    ),
    "rr_pco_match": (
        24,
        {
            "rpm_code": 0,
            "rpm_len": 1,
            "rpm_ordinal": 2,
            "rpm_matchlen": 3,
            "rpm_minlen": 4,
            "rpm_maxlen": 5,
            "rpm_reserved": 6,
            "rpm_prefix": 8,
        },
    ),
    "rr_pco_use": (
        32,
        {
            "rpu_uselen": 0,
            "rpu_keeplen": 1,
            "rpu_ramask": 2,
            "rpu_raflags": 3,
            "rpu_vltime": 4,
            "rpu_pltime": 8,
            "rpu_flags": 12,
            "rpu_prefix": 16,
        },
    ),
    "rr_result": (
        24,
        {"rrr_flags": 0, "rrr_ordinal": 2, "rrr_matchedlen": 3, "rrr_ifid": 4, "rrr_prefix": 8},
    ),
    # RFC 4584 section 4 / RFC 6275 section 6.1
    "ip6_mh": (
        6,
        {"ip6mh_proto": 0, "ip6mh_hdrlen": 1, "ip6mh_type": 2, "ip6mh_reserved": 3, "ip6mh_cksum": 4},
    ),
    "ip6_mh_binding_request": (8, {"ip6mhbr_cksum": 4, "ip6mhbr_reserved2": 6}),
    "ip6_mh_home_test_init": (16, {"ip6mhhti_cksum": 4, "ip6mhhti_reserved2": 6, "ip6mhhti_cookie": 8}),
    "ip6_mh_careof_test_init": (16, {"ip6mhcti_cksum": 4, "ip6mhcti_reserved2": 6, "ip6mhcti_cookie": 8}),
    "ip6_mh_home_test": (24, {"ip6mhht_nonce_index": 6, "ip6mhht_cookie": 8, "ip6mhht_keygen": 16}),
    "ip6_mh_careof_test": (24, {"ip6mhct_nonce_index": 6, "ip6mhct_cookie": 8, "ip6mhct_keygen": 16}),
    "ip6_mh_binding_update": (12, {"ip6mhbu_seqno": 6, "ip6mhbu_flags": 8, "ip6mhbu_lifetime": 10}),
    "ip6_mh_binding_ack": (
        12,
        {"ip6mhba_status": 6, "ip6mhba_flags": 7, "ip6mhba_seqno": 8, "ip6mhba_lifetime": 10},
    ),
    "ip6_mh_binding_error": (24, {"ip6mhbe_status": 6, "ip6mhbe_reserved2": 7, "ip6mhbe_homeaddr": 8}),
    "ip6_mh_opt": (2, {"ip6mhopt_type": 0, "ip6mhopt_len": 1}),
    "ip6_mh_opt_refresh_advice": (4, {"ip6mora_type": 0, "ip6mora_len": 1, "ip6mora_interval": 2}),
    "ip6_mh_opt_altcoa": (18, {"ip6moa_type": 0, "ip6moa_len": 1, "ip6moa_addr": 2}),
    "ip6_mh_opt_nonce_index": (6, {"ip6moni_home_nonce": 2, "ip6moni_coa_nonce": 4}),
    "ip6_mh_opt_auth_data": (14, {"ip6moad_type": 0, "ip6moad_len": 1, "ip6moad_data": 2}),
    "ip6_opt_home_address": (18, {"ip6oha_type": 0, "ip6oha_len": 1, "ip6oha_addr": 2}),
    "ip6_rthdr2": (
        24,
        {
            "ip6r2_nxt": 0,
            "ip6r2_len": 1,
            "ip6r2_type": 2,
            "ip6r2_segleft": 3,
            "ip6r2_reserved": 4,
            "ip6r2_homeaddr": 8,
        },
    ),
    "mip6_dhaad_req": (
        8,
        {
            "mip6_dhreq_hdr": 0,
            "mip6_dhreq_type": 0,
            "mip6_dhreq_code": 1,
            "mip6_dhreq_cksum": 2,
            "mip6_dhreq_id": 4,
            "mip6_dhreq_reserved": 6,
        },
    ),
    "mip6_dhaad_rep": (8, {"mip6_dhrep_hdr": 0, "mip6_dhrep_id": 4, "mip6_dhrep_reserved": 6}),
    "mip6_prefix_solicit": (8, {"mip6_ps_hdr": 0, "mip6_ps_id": 4, "mip6_ps_reserved": 6}),
    "mip6_prefix_advert": (8, {"mip6_pa_hdr": 0, "mip6_pa_id": 4, "mip6_pa_flags_reserved": 6}),
    "nd_opt_adv_interval": (
        8,
        {
            "nd_opt_ai_type": 0,
            "nd_opt_ai_len": 1,
            "nd_opt_ai_reserved": 2,
            "nd_opt_ai_interval": 4,
            "nd_opt_adv_interval_type": 0,
            "nd_opt_adv_interval_ival": 4,
        },
    ),
    "nd_opt_homeagent_info": (
        8,
        {
            "nd_opt_hai_type": 0,
            "nd_opt_hai_len": 1,
            "nd_opt_hai_reserved": 2,
            "nd_opt_hai_preference": 4,
            "nd_opt_hai_lifetime": 6,
            "nd_opt_home_agent_info_preference": 4,
            "nd_opt_home_agent_info_lifetime": 6,
        },
    ),
    "nd_opt_home_agent_info": (
        8,
        {
            "nd_opt_home_agent_info_type": 0,
            "nd_opt_home_agent_info_reserved": 2,
            "nd_opt_home_agent_info_preference": 4,
            "nd_opt_home_agent_info_lifetime": 6,
            "nd_opt_hai_lifetime": 6,
        },
    ),
}

#: constants fixed by the RFCs (value on the wire), one per name
CONSTANTS = {
    "ICMP6_ROUTER_RENUMBERING": 138,
    "MLDV2_LISTENER_REPORT": 143,
    "ND_OPT_RDNSS": 25,
    "ND_OPT_DNSSL": 31,
    "ND_RA_FLAG_HOMEAGENT": 0x20,
    "ND_RA_FLAG_HOME_AGENT": 0x20,
    "ND_OPT_PI_FLAG_ROUTER": 0x20,
    "ND_OPT_PI_FLAG_RADDR": 0x20,
    "ND_OPT_ADV_INTERVAL": 7,
    "ND_OPT_RTR_ADV_INTERVAL": 7,
    "ND_OPT_HA_INFORMATION": 8,
    "ND_OPT_HOME_AGENT_INFO": 8,
    "IPPROTO_MH": 135,
    "IP6OPT_HOME_ADDRESS": 0xC9,
    "IP6_MH_TYPE_BRR": 0,
    "IP6_MH_TYPE_BERROR": 7,
    "IP6_MHOPT_BAUTH": 5,
    "IP6_MH_BA_KEYM": 0x80,
    "IP6_MH_BAS_ACCEPTED": 0,
    "IP6_MH_BAS_REG_NOT_ALLOWED": 139,
    "IP6_MH_BES_UNKNOWN_MH": 2,
    "MIP6_HA_DISCOVERY_REQUEST": 144,
    "MIP6_PREFIX_ADVERT": 147,
    "ND_OPT_PI_FLAG_ONLINK": 0x80,
    "ND_RA_FLAG_MANAGED": 0x80,
    "ND_RA_FLAG_OTHER": 0x40,
    "RPM_PCO_SETGLOBAL": 3,
}

#: host-byte-order-dependent flags: deliberately not in cdefs (see the note at the top of the section)
NOT_IN_CDEFS = (
    "ND_NA_FLAG_ROUTER",
    "IP6_MH_BU_ACK",
    "MIP6_PA_FLAG_MANAGED",
    "ICMP6_RR_RESULT_FLAGS_OOB",
    "ICMP6_RR_PCOUSE_FLAGS_DECRVLTIME",
    "IPV6_MIPDSTOPTS",
)


def _platforms() -> list[str]:
    found = []
    for name in PLATFORMS:
        try:
            abi_module(name)
        except ImportError:
            continue
        found.append(name)
    return found


@pytest.mark.parametrize("platform", _platforms())
@pytest.mark.parametrize("struct", sorted(LAYOUTS))
def test_layout(platform: str, struct: str) -> None:
    ffi = abi_module(platform).ffi
    size, offsets = LAYOUTS[struct]
    assert ffi.sizeof(f"struct {struct}") == size
    for field, offset in offsets.items():
        assert ffi.offsetof(f"struct {struct}", field) == offset, field


@pytest.mark.parametrize("platform", _platforms())
def test_constants(platform: str) -> None:
    consts = abi_module(platform).CONSTANTS
    for name, value in CONSTANTS.items():
        assert consts[name] == value, name
    for name in NOT_IN_CDEFS:
        assert name not in consts


def test_field_macros_reach_the_same_bytes() -> None:
    """The C field-name macros are real fields overlaying the named header (anonymous unions)."""
    from sockapi6 import ffi

    ra = ffi.new("struct nd_router_advert *")
    ra.nd_ra_curhoplimit = 64
    ra.nd_ra_flags_reserved = 0xA0
    assert ra.nd_ra_hdr.icmp6_data8[0] == 64
    assert ra.nd_ra_hdr.icmp6_dataun.icmp6_un_data8[1] == 0xA0
    echo = ffi.new("struct icmp6_hdr *")
    echo.icmp6_id, echo.icmp6_seq = 0x1234, 0x5678
    assert list(echo.icmp6_data16) == [0x1234, 0x5678]
    req = ffi.new("struct mip6_dhaad_req *")
    req.mip6_dhreq_id = 7
    assert req.mip6_dhreq_hdr.icmp6_data16[0] == 7
    altcoa = ffi.new("struct ip6_mh_opt_altcoa *")
    altcoa.ip6moa_addr.s6_addr[0] = 0x20
    assert bytes(ffi.buffer(altcoa))[2] == 0x20


def test_each_layout_matches_the_python_encoder() -> None:
    """A struct filled through cffi gives the bytes sockapi6.icmp6 / sockapi6.mobility build."""
    import socket
    import struct as st

    from sockapi6 import ffi, icmp6, mobility

    pi = ffi.new("struct nd_opt_prefix_info *")
    pi.nd_opt_pi_type, pi.nd_opt_pi_len, pi.nd_opt_pi_prefix_len = 3, 4, 64
    pi.nd_opt_pi_flags_reserved = 0xE0
    pi.nd_opt_pi_valid_time = socket.htonl(100)
    pi.nd_opt_pi_preferred_time = socket.htonl(50)
    ffi.memmove(pi.nd_opt_pi_prefix.s6_addr, socket.inet_pton(socket.AF_INET6, "2001:db8::"), 16)
    ours = icmp6.PrefixInformation("2001:db8::", 64, icmp6.PIFlag(0xE0), 100, 50)
    assert bytes(ffi.buffer(pi)) == bytes(ours)
    bu = ffi.new("struct ip6_mh_binding_update *")
    bu.ip6mhbu_proto, bu.ip6mhbu_hdrlen, bu.ip6mhbu_type = 59, 1, 5
    bu.ip6mhbu_seqno = socket.htons(9)
    bu.ip6mhbu_flags = mobility.IP6_MH_BU_ACK | mobility.IP6_MH_BU_HOME  # host-order C constants
    bu.ip6mhbu_lifetime = socket.htons(25)
    wire = bytes(mobility.BindingUpdate(9, mobility.BUFlag.ACK | mobility.BUFlag.HOME, 25))
    assert bytes(ffi.buffer(bu)) == wire[:12]
    na = ffi.new("struct nd_neighbor_advert *")
    na.nd_na_flags_reserved = icmp6.ND_NA_FLAG_ROUTER | icmp6.ND_NA_FLAG_OVERRIDE
    assert st.unpack("!I", bytes(ffi.buffer(na))[4:8])[0] == icmp6.NAFlag.ROUTER | icmp6.NAFlag.OVERRIDE
