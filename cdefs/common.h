/*
 * common.h -- declarations that are the same on every OS: wire formats and
 * numbers fixed by an RFC or by IANA.
 *
 * Sources: RFC 8200 section 4 (extension headers and option types),
 *          RFC 3542 sections 2 and 7-8 (struct names and field names),
 *          RFC 4584 sections 4-5 (ip6_rthdr2, IPPROTO_MH),
 *          IANA "Assigned Internet Protocol Numbers" registry.
 *
 * Rules of this directory (see README.md): fixed-width types only; one
 * literal number per #define; `struct in6_addr` comes from the OS file,
 * which is always processed before this one.
 */

/* ---- IANA protocol numbers (present on every OS, RFC 3542 section 2.1.1) */
#define IPPROTO_IP        0
#define IPPROTO_HOPOPTS   0
#define IPPROTO_ICMP      1
#define IPPROTO_TCP       6
#define IPPROTO_UDP       17
#define IPPROTO_IPV6      41
#define IPPROTO_ROUTING   43
#define IPPROTO_FRAGMENT  44
#define IPPROTO_ESP       50
#define IPPROTO_AH        51
#define IPPROTO_ICMPV6    58
#define IPPROTO_NONE      59
#define IPPROTO_DSTOPTS   60
#define IPPROTO_MH        135
#define IPPROTO_RAW       255

/* ---- IPv6 header, RFC 8200 section 3.  Both the glibc/KAME spelling
 *      (ip6_ctlun.ip6_un1.ip6_un1_nxt) and the macro spelling C code uses
 *      every day (ip6_nxt) reach the same bytes. */
struct ip6_hdrctl {
    uint32_t ip6_un1_flow;
    uint16_t ip6_un1_plen;
    uint8_t  ip6_un1_nxt;
    uint8_t  ip6_un1_hlim;
};
union ip6_ctlun_u {
    struct ip6_hdrctl ip6_un1;
    uint8_t ip6_un2_vfc;
};
struct ip6_hdr {
    union {
        union ip6_ctlun_u ip6_ctlun;
        struct {
            uint32_t ip6_flow;
            uint16_t ip6_plen;
            uint8_t  ip6_nxt;
            uint8_t  ip6_hlim;
        };
        uint8_t ip6_vfc;
    };
    struct in6_addr ip6_src;
    struct in6_addr ip6_dst;
};

/* ---- Extension headers, RFC 8200 section 4 / RFC 3542 section 2.2 */
struct ip6_ext {
    uint8_t ip6e_nxt;
    uint8_t ip6e_len;
};
struct ip6_hbh {
    uint8_t ip6h_nxt;
    uint8_t ip6h_len;
};
struct ip6_dest {
    uint8_t ip6d_nxt;
    uint8_t ip6d_len;
};
struct ip6_opt {
    uint8_t ip6o_type;
    uint8_t ip6o_len;
};
struct ip6_rthdr {
    uint8_t ip6r_nxt;
    uint8_t ip6r_len;
    uint8_t ip6r_type;
    uint8_t ip6r_segleft;
};
/* RFC 3542 section 2.2.3 gives `uint32_t ip6r0_reserved`; glibc splits the
 * same four bytes into `uint8_t ip6r0_reserved` + `uint8_t ip6r0_slmap[3]`.
 * Both spellings are offered: ip6r0_reserved32 is the RFC's 32-bit field. */
struct ip6_rthdr0 {
    uint8_t ip6r0_nxt;
    uint8_t ip6r0_len;
    uint8_t ip6r0_type;
    uint8_t ip6r0_segleft;
    union {
        uint32_t ip6r0_reserved32;
        struct {
            uint8_t ip6r0_reserved;
            uint8_t ip6r0_slmap[3];
        };
    };
    struct in6_addr ip6r0_addr[0];
};
/* Type 2 routing header, RFC 6275 section 6.4 / RFC 4584 section 5.1 */
struct ip6_rthdr2 {
    uint8_t  ip6r2_nxt;
    uint8_t  ip6r2_len;
    uint8_t  ip6r2_type;
    uint8_t  ip6r2_segleft;
    uint32_t ip6r2_reserved;
    struct in6_addr ip6r2_homeaddr;
};
/* Fragment header, RFC 8200 section 4.5 */
struct ip6_frag {
    uint8_t  ip6f_nxt;
    uint8_t  ip6f_reserved;
    uint16_t ip6f_offlg;
    uint32_t ip6f_ident;
};
/* Jumbo Payload option, RFC 2675 */
struct ip6_opt_jumbo {
    uint8_t ip6oj_type;
    uint8_t ip6oj_len;
    uint8_t ip6oj_jumbo_len[4];
};
/* Router Alert option, RFC 2711 */
struct ip6_opt_router {
    uint8_t ip6or_type;
    uint8_t ip6or_len;
    uint8_t ip6or_value[2];
};

/* ---- Option types, RFC 8200 section 4.2, RFC 3542 section 2.2.4 */
#define IP6OPT_PAD1            0
#define IP6OPT_PADN            1
#define IP6OPT_TUNNEL_LIMIT    4
#define IP6OPT_ROUTER_ALERT    5
#define IP6OPT_JUMBO           194
#define IP6OPT_NSAP_ADDR       195
#define IP6OPT_JUMBO_LEN       6
#define IP6OPT_TYPE_SKIP       0
#define IP6OPT_TYPE_DISCARD    64
#define IP6OPT_TYPE_FORCEICMP  128
#define IP6OPT_TYPE_ICMP       192
#define IP6OPT_MUTABLE         32

/* ---- Routing header types, RFC 3542 section 7 and RFC 4584 section 5.1.
 *      No libc defines IPV6_RTHDR_TYPE_2; RFC 4584 names it, IANA numbers it. */
#define IPV6_RTHDR_TYPE_0      0
#define IPV6_RTHDR_TYPE_2      2

/* ---- ICMPv6 message types, RFC 4443 / RFC 4861 / RFC 2710 (RFC 3542 2.2) */
#define ICMP6_DST_UNREACH             1
#define ICMP6_PACKET_TOO_BIG          2
#define ICMP6_TIME_EXCEEDED           3
#define ICMP6_PARAM_PROB              4
#define ICMP6_ECHO_REQUEST            128
#define ICMP6_ECHO_REPLY              129
#define MLD_LISTENER_QUERY            130
#define MLD_LISTENER_REPORT           131
#define MLD_LISTENER_REDUCTION        132
#define ND_ROUTER_SOLICIT             133
#define ND_ROUTER_ADVERT              134
#define ND_NEIGHBOR_SOLICIT           135
#define ND_NEIGHBOR_ADVERT            136
#define ND_REDIRECT                   137


/* ======================================================================
 * RFC 3542 section 2.2: ICMPv6, Neighbor Discovery, MLD, router
 * renumbering.  (Section appended by the icmp6/mobility work, issue 5.)
 *
 * Byte-order decision: a constant whose C value depends on the host's byte
 * order -- a flag inside a 16- or 32-bit field that C code tests without
 * ntohs()/ntohl() (ND_NA_FLAG_*, ICMP6_RR_PCOUSE_FLAGS_*,
 * ICMP6_RR_RESULT_FLAGS_*, IP6_MH_BU_*, MIP6_PA_FLAG_*) -- is NOT declared
 * here: this file is shared by every platform and byte order is not a
 * property of the OS.  sockapi6.icmp6 and sockapi6.mobility define those
 * names with the value that compares against the field as read on the
 * running host (glibc's value on little-endian), and their enums (NAFlag,
 * BUFlag, ...) hold the network-order values.  One-byte flags are here.
 *
 * Field-name macros of C (icmp6_id, nd_ra_curhoplimit, mip6_dhreq_id, ...)
 * are real field names: anonymous unions overlay them on the named header,
 * so both cdata.nd_ra_hdr.icmp6_type and cdata.nd_ra_type work.
 * ====================================================================== */
union icmp6_dataun_u {
    uint32_t icmp6_un_data32[1];
    uint16_t icmp6_un_data16[2];
    uint8_t  icmp6_un_data8[4];
};
struct icmp6_hdr {
    uint8_t  icmp6_type;
    uint8_t  icmp6_code;
    uint16_t icmp6_cksum;
    union {
        union icmp6_dataun_u icmp6_dataun;
        uint32_t icmp6_data32[1];
        uint16_t icmp6_data16[2];
        uint8_t  icmp6_data8[4];
        uint32_t icmp6_pptr;
        uint32_t icmp6_mtu;
        uint16_t icmp6_maxdelay;
        struct {
            uint16_t icmp6_id;
            uint16_t icmp6_seq;
        };
    };
};

#define ICMP6_INFOMSG_MASK            128
#define ICMP6_ROUTER_RENUMBERING      138
#define ICMP6_NI_QUERY                139
#define ICMP6_NI_REPLY                140
#define MLDV2_LISTENER_REPORT         143
#define ICMPV6_EXT_ECHO_REQUEST       160
#define ICMPV6_EXT_ECHO_REPLY         161

/* codes, RFC 4443 section 3, RFC 7112 */
#define ICMP6_DST_UNREACH_NOROUTE     0
#define ICMP6_DST_UNREACH_ADMIN       1
#define ICMP6_DST_UNREACH_BEYONDSCOPE 2
#define ICMP6_DST_UNREACH_ADDR        3
#define ICMP6_DST_UNREACH_NOPORT      4
#define ICMP6_DST_UNREACH_POLICY      5
#define ICMP6_DST_UNREACH_REJECT      6
#define ICMP6_TIME_EXCEED_TRANSIT     0
#define ICMP6_TIME_EXCEED_REASSEMBLY  1
#define ICMP6_PARAMPROB_HEADER        0
#define ICMP6_PARAMPROB_NEXTHEADER    1
#define ICMP6_PARAMPROB_OPTION        2
#define ICMP6_PARAMPROB_FIRSTFRAG_INCOMPLETE_CHAIN 3
#define ND_REDIRECT_ONLINK            0
#define ND_REDIRECT_ROUTER            1

/* ---- Neighbor Discovery messages, RFC 4861 section 4 */
struct nd_router_solicit {
    union {
        struct icmp6_hdr nd_rs_hdr;
        struct {
            uint8_t  nd_rs_type;
            uint8_t  nd_rs_code;
            uint16_t nd_rs_cksum;
            uint32_t nd_rs_reserved;
        };
    };
};
struct nd_router_advert {
    union {
        struct icmp6_hdr nd_ra_hdr;
        struct {
            uint8_t  nd_ra_type;
            uint8_t  nd_ra_code;
            uint16_t nd_ra_cksum;
            uint8_t  nd_ra_curhoplimit;
            uint8_t  nd_ra_flags_reserved;
            uint16_t nd_ra_router_lifetime;
        };
    };
    uint32_t nd_ra_reachable;
    uint32_t nd_ra_retransmit;
};
struct nd_neighbor_solicit {
    union {
        struct icmp6_hdr nd_ns_hdr;
        struct {
            uint8_t  nd_ns_type;
            uint8_t  nd_ns_code;
            uint16_t nd_ns_cksum;
            uint32_t nd_ns_reserved;
        };
    };
    struct in6_addr nd_ns_target;
};
struct nd_neighbor_advert {
    union {
        struct icmp6_hdr nd_na_hdr;
        struct {
            uint8_t  nd_na_type;
            uint8_t  nd_na_code;
            uint16_t nd_na_cksum;
            uint32_t nd_na_flags_reserved;
        };
    };
    struct in6_addr nd_na_target;
};
struct nd_redirect {
    union {
        struct icmp6_hdr nd_rd_hdr;
        struct {
            uint8_t  nd_rd_type;
            uint8_t  nd_rd_code;
            uint16_t nd_rd_cksum;
            uint32_t nd_rd_reserved;
        };
    };
    struct in6_addr nd_rd_target;
    struct in6_addr nd_rd_dst;
};

/* RA flags (one byte: nd_ra_flags_reserved), RFC 4861, RFC 6275 7.1,
 * RFC 4191 (router preference, two bits), RFC 4389 (proxy) */
#define ND_RA_FLAG_MANAGED            128
#define ND_RA_FLAG_OTHER              64
#define ND_RA_FLAG_HOME_AGENT         32
#define ND_RA_FLAG_PROXY              4
#define ND_RA_FLAG_RTPREF_MASK        24
#define ND_RA_FLAG_RTPREF_HIGH        8
#define ND_RA_FLAG_RTPREF_MEDIUM      0
#define ND_RA_FLAG_RTPREF_LOW         24
#define ND_RA_FLAG_RTPREF_RSV         16

/* ---- Neighbor Discovery options, RFC 4861 section 4.6 */
struct nd_opt_hdr {
    uint8_t nd_opt_type;
    uint8_t nd_opt_len;
};
#define ND_OPT_SOURCE_LINKADDR        1
#define ND_OPT_TARGET_LINKADDR        2
#define ND_OPT_PREFIX_INFORMATION     3
#define ND_OPT_REDIRECTED_HEADER      4
#define ND_OPT_MTU                    5
#define ND_OPT_RTR_ADV_INTERVAL       7
#define ND_OPT_HOME_AGENT_INFO        8
#define ND_OPT_ROUTE_INFO             24
#define ND_OPT_RDNSS                  25
#define ND_OPT_DNSSL                  31

struct nd_opt_prefix_info {
    uint8_t  nd_opt_pi_type;
    uint8_t  nd_opt_pi_len;
    uint8_t  nd_opt_pi_prefix_len;
    uint8_t  nd_opt_pi_flags_reserved;
    uint32_t nd_opt_pi_valid_time;
    uint32_t nd_opt_pi_preferred_time;
    uint32_t nd_opt_pi_reserved2;
    struct in6_addr nd_opt_pi_prefix;
};
#define ND_OPT_PI_FLAG_ONLINK         128
#define ND_OPT_PI_FLAG_AUTO           64
#define ND_OPT_PI_FLAG_RADDR          32

struct nd_opt_rd_hdr {
    uint8_t  nd_opt_rh_type;
    uint8_t  nd_opt_rh_len;
    uint16_t nd_opt_rh_reserved1;
    uint32_t nd_opt_rh_reserved2;
};
struct nd_opt_mtu {
    uint8_t  nd_opt_mtu_type;
    uint8_t  nd_opt_mtu_len;
    uint16_t nd_opt_mtu_reserved;
    uint32_t nd_opt_mtu_mtu;
};
/* Route Information, RFC 4191 section 2.3 (prefix of 0, 8 or 16 bytes follows) */
struct nd_opt_route_info {
    uint8_t  nd_opt_rti_type;
    uint8_t  nd_opt_rti_len;
    uint8_t  nd_opt_rti_prefixlen;
    uint8_t  nd_opt_rti_flags;
    uint32_t nd_opt_rti_lifetime;
};
/* RDNSS and DNSSL, RFC 8106 sections 5.1-5.2 (addresses / names follow) */
struct nd_opt_rdnss {
    uint8_t  nd_opt_rdnss_type;
    uint8_t  nd_opt_rdnss_len;
    uint16_t nd_opt_rdnss_reserved;
    uint32_t nd_opt_rdnss_lifetime;
};
struct nd_opt_dnssl {
    uint8_t  nd_opt_dnssl_type;
    uint8_t  nd_opt_dnssl_len;
    uint16_t nd_opt_dnssl_reserved;
    uint32_t nd_opt_dnssl_lifetime;
};

/* ---- MLD, RFC 2710 section 3; MLDv2, RFC 3810 sections 5.1-5.2 */
struct mld_hdr {
    union {
        struct icmp6_hdr mld_icmp6_hdr;
        struct {
            uint8_t  mld_type;
            uint8_t  mld_code;
            uint16_t mld_cksum;
            uint16_t mld_maxdelay;
            uint16_t mld_reserved;
        };
    };
    struct in6_addr mld_addr;
};
struct mldv2_query {
    union {
        struct icmp6_hdr mld_icmp6_hdr;
        struct {
            uint8_t  mld_type;
            uint8_t  mld_code;
            uint16_t mld_cksum;
            uint16_t mld_maxdelay;
            uint16_t mld_reserved;
        };
    };
    struct in6_addr mld_addr;
    uint8_t  mld_misc;
    uint8_t  mld_qqi;
    uint16_t mld_numsrc;
};
struct mldv2_report {
    union {
        struct icmp6_hdr mld_icmp6_hdr;
        struct {
            uint8_t  mld_type;
            uint8_t  mld_code;
            uint16_t mld_cksum;
            uint16_t mld_v2_reserved;
            uint16_t mld_v2_numrecs;
        };
    };
};
struct mldv2_record {
    uint8_t  mr_type;
    uint8_t  mr_datalen;
    uint16_t mr_numsrc;
    struct in6_addr mr_addr;
};
#define MLD_MINLEN                    24
#define MLD_V2_QUERY_MINLEN           28
#define MLD_RECORD_TYPE_IS_INCLUDE    1
#define MLD_RECORD_TYPE_IS_EXCLUDE    2
#define MLD_RECORD_TYPE_TO_INCLUDE    3
#define MLD_RECORD_TYPE_TO_EXCLUDE    4
#define MLD_RECORD_TYPE_ALLOW_NEW     5
#define MLD_RECORD_TYPE_BLOCK_OLD     6

/* ---- Router renumbering, RFC 2894 section 3 */
struct icmp6_router_renum {
    union {
        struct icmp6_hdr rr_hdr;
        struct {
            uint8_t  rr_type;
            uint8_t  rr_code;
            uint16_t rr_cksum;
            uint32_t rr_seqnum;
        };
    };
    uint8_t  rr_segnum;
    uint8_t  rr_flags;
    uint16_t rr_maxdelay;
    uint32_t rr_reserved;
};
#define ICMP6_ROUTER_RENUMBERING_COMMAND      0
#define ICMP6_ROUTER_RENUMBERING_RESULT       1
#define ICMP6_ROUTER_RENUMBERING_SEQNUM_RESET 255
#define ICMP6_RR_FLAGS_TEST           128
#define ICMP6_RR_FLAGS_REQRESULT      64
#define ICMP6_RR_FLAGS_FORCEAPPLY     32
#define ICMP6_RR_FLAGS_SPECSITE       16
#define ICMP6_RR_FLAGS_PREVDONE       8
struct rr_pco_match {
    uint8_t  rpm_code;
    uint8_t  rpm_len;
    uint8_t  rpm_ordinal;
    uint8_t  rpm_matchlen;
    uint8_t  rpm_minlen;
    uint8_t  rpm_maxlen;
    uint16_t rpm_reserved;
    struct in6_addr rpm_prefix;
};
#define RPM_PCO_ADD                   1
#define RPM_PCO_CHANGE                2
#define RPM_PCO_SETGLOBAL             3
struct rr_pco_use {
    uint8_t  rpu_uselen;
    uint8_t  rpu_keeplen;
    uint8_t  rpu_ramask;
    uint8_t  rpu_raflags;
    uint32_t rpu_vltime;
    uint32_t rpu_pltime;
    uint32_t rpu_flags;
    struct in6_addr rpu_prefix;
};
/* ICMP6_RR_PCOUSE_RAFLAGS_ONLINK / _AUTO differ by OS (glibc and musl 0x20/0x10,
 * KAME 0x80/0x40 as RFC 2894 section 3.1 draws them): each OS file declares them. */
struct rr_result {
    uint16_t rrr_flags;
    uint8_t  rrr_ordinal;
    uint8_t  rrr_matchedlen;
    uint32_t rrr_ifid;
    struct in6_addr rrr_prefix;
};

/* ======================================================================
 * RFC 4584 section 4: Mobile IPv6 (<netinet/ip6mh.h> and the additions
 * to <netinet/ip6.h> and <netinet/icmp6.h>), wire layouts of RFC 6275
 * section 6.  (Section appended by the icmp6/mobility work, issue 5.)
 *
 * IP6_MH_BU_* and MIP6_PA_FLAG_* are 16-bit flags whose C value depends on
 * the host byte order: see the decision at the top of the RFC 3542 section
 * above; they live in sockapi6.mobility / sockapi6.icmp6.
 * IPV6_MIPDSTOPTS (RFC 4584 section 5) has no number on any OS and is not
 * declared; sockapi6.mobility raises NotSupportedError for it.
 * ip6_rthdr2 and IPPROTO_MH are declared above (RFC 3542 part of the file).
 * ====================================================================== */
struct ip6_mh {
    uint8_t  ip6mh_proto;
    uint8_t  ip6mh_hdrlen;
    uint8_t  ip6mh_type;
    uint8_t  ip6mh_reserved;
    uint16_t ip6mh_cksum;
};
struct ip6_mh_binding_request {
    uint8_t  ip6mhbr_proto;
    uint8_t  ip6mhbr_hdrlen;
    uint8_t  ip6mhbr_type;
    uint8_t  ip6mhbr_reserved;
    uint16_t ip6mhbr_cksum;
    uint16_t ip6mhbr_reserved2;
};
struct ip6_mh_home_test_init {
    uint8_t  ip6mhhti_proto;
    uint8_t  ip6mhhti_hdrlen;
    uint8_t  ip6mhhti_type;
    uint8_t  ip6mhhti_reserved;
    uint16_t ip6mhhti_cksum;
    uint16_t ip6mhhti_reserved2;
    uint32_t ip6mhhti_cookie[2];
};
struct ip6_mh_careof_test_init {
    uint8_t  ip6mhcti_proto;
    uint8_t  ip6mhcti_hdrlen;
    uint8_t  ip6mhcti_type;
    uint8_t  ip6mhcti_reserved;
    uint16_t ip6mhcti_cksum;
    uint16_t ip6mhcti_reserved2;
    uint32_t ip6mhcti_cookie[2];
};
struct ip6_mh_home_test {
    uint8_t  ip6mhht_proto;
    uint8_t  ip6mhht_hdrlen;
    uint8_t  ip6mhht_type;
    uint8_t  ip6mhht_reserved;
    uint16_t ip6mhht_cksum;
    uint16_t ip6mhht_nonce_index;
    uint32_t ip6mhht_cookie[2];
    uint32_t ip6mhht_keygen[2];
};
struct ip6_mh_careof_test {
    uint8_t  ip6mhct_proto;
    uint8_t  ip6mhct_hdrlen;
    uint8_t  ip6mhct_type;
    uint8_t  ip6mhct_reserved;
    uint16_t ip6mhct_cksum;
    uint16_t ip6mhct_nonce_index;
    uint32_t ip6mhct_cookie[2];
    uint32_t ip6mhct_keygen[2];
};
struct ip6_mh_binding_update {
    uint8_t  ip6mhbu_proto;
    uint8_t  ip6mhbu_hdrlen;
    uint8_t  ip6mhbu_type;
    uint8_t  ip6mhbu_reserved;
    uint16_t ip6mhbu_cksum;
    uint16_t ip6mhbu_seqno;
    uint16_t ip6mhbu_flags;
    uint16_t ip6mhbu_lifetime;
};
struct ip6_mh_binding_ack {
    uint8_t  ip6mhba_proto;
    uint8_t  ip6mhba_hdrlen;
    uint8_t  ip6mhba_type;
    uint8_t  ip6mhba_reserved;
    uint16_t ip6mhba_cksum;
    uint8_t  ip6mhba_status;
    uint8_t  ip6mhba_flags;
    uint16_t ip6mhba_seqno;
    uint16_t ip6mhba_lifetime;
};
struct ip6_mh_binding_error {
    uint8_t  ip6mhbe_proto;
    uint8_t  ip6mhbe_hdrlen;
    uint8_t  ip6mhbe_type;
    uint8_t  ip6mhbe_reserved;
    uint16_t ip6mhbe_cksum;
    uint8_t  ip6mhbe_status;
    uint8_t  ip6mhbe_reserved2;
    struct in6_addr ip6mhbe_homeaddr;
};
struct ip6_mh_opt {
    uint8_t ip6mhopt_type;
    uint8_t ip6mhopt_len;
};
struct ip6_mh_opt_refresh_advice {
    uint8_t  ip6mora_type;
    uint8_t  ip6mora_len;
    uint16_t ip6mora_interval;
};
/* @packed */
/* 18 bytes on the wire, the address at offset 2 (RFC 6275 6.2.5) */
struct ip6_mh_opt_altcoa {
    uint8_t ip6moa_type;
    uint8_t ip6moa_len;
    struct in6_addr ip6moa_addr;
};
/* @end */
struct ip6_mh_opt_nonce_index {
    uint8_t  ip6moni_type;
    uint8_t  ip6moni_len;
    uint16_t ip6moni_home_nonce;
    uint16_t ip6moni_coa_nonce;
};
struct ip6_mh_opt_auth_data {
    uint8_t ip6moad_type;
    uint8_t ip6moad_len;
    uint8_t ip6moad_data[12];
};

#define IP6_MH_TYPE_BRR               0
#define IP6_MH_TYPE_HOTI              1
#define IP6_MH_TYPE_COTI              2
#define IP6_MH_TYPE_HOT               3
#define IP6_MH_TYPE_COT               4
#define IP6_MH_TYPE_BU                5
#define IP6_MH_TYPE_BACK              6
#define IP6_MH_TYPE_BERROR            7
#define IP6_MHOPT_PAD1                0
#define IP6_MHOPT_PADN                1
#define IP6_MHOPT_BREFRESH            2
#define IP6_MHOPT_ALTCOA              3
#define IP6_MHOPT_NONCEID             4
#define IP6_MHOPT_BAUTH               5
#define IP6_MH_BA_KEYM                128
#define IP6_MH_BAS_ACCEPTED           0
#define IP6_MH_BAS_PRFX_DISCOV        1
#define IP6_MH_BAS_UNSPECIFIED        128
#define IP6_MH_BAS_PROHIBIT           129
#define IP6_MH_BAS_INSUFFICIENT       130
#define IP6_MH_BAS_HA_NOT_SUPPORTED   131
#define IP6_MH_BAS_NOT_HOME_SUBNET    132
#define IP6_MH_BAS_NOT_HA             133
#define IP6_MH_BAS_DAD_FAILED         134
#define IP6_MH_BAS_SEQNO_BAD          135
#define IP6_MH_BAS_HOME_NI_EXPIRED    136
#define IP6_MH_BAS_COA_NI_EXPIRED     137
#define IP6_MH_BAS_NI_EXPIRED         138
#define IP6_MH_BAS_REG_NOT_ALLOWED    139
#define IP6_MH_BES_UNKNOWN_HAO        1
#define IP6_MH_BES_UNKNOWN_MH         2

/* Home Address destination option, RFC 4584 4.3 / RFC 6275 6.3 (all bytes) */
struct ip6_opt_home_address {
    uint8_t ip6oha_type;
    uint8_t ip6oha_len;
    uint8_t ip6oha_addr[16];
};
#define IP6OPT_HOME_ADDRESS           201

/* ICMPv6 messages of Mobile IPv6, RFC 4584 4.5 / RFC 6275 6.5-6.8 */
#define MIP6_HA_DISCOVERY_REQUEST     144
#define MIP6_HA_DISCOVERY_REPLY       145
#define MIP6_PREFIX_SOLICIT           146
#define MIP6_PREFIX_ADVERT            147
struct mip6_dhaad_req {
    union {
        struct icmp6_hdr mip6_dhreq_hdr;
        struct {
            uint8_t  mip6_dhreq_type;
            uint8_t  mip6_dhreq_code;
            uint16_t mip6_dhreq_cksum;
            uint16_t mip6_dhreq_id;
            uint16_t mip6_dhreq_reserved;
        };
    };
};
struct mip6_dhaad_rep {
    union {
        struct icmp6_hdr mip6_dhrep_hdr;
        struct {
            uint8_t  mip6_dhrep_type;
            uint8_t  mip6_dhrep_code;
            uint16_t mip6_dhrep_cksum;
            uint16_t mip6_dhrep_id;
            uint16_t mip6_dhrep_reserved;
        };
    };
};
struct mip6_prefix_solicit {
    union {
        struct icmp6_hdr mip6_ps_hdr;
        struct {
            uint8_t  mip6_ps_type;
            uint8_t  mip6_ps_code;
            uint16_t mip6_ps_cksum;
            uint16_t mip6_ps_id;
            uint16_t mip6_ps_reserved;
        };
    };
};
struct mip6_prefix_advert {
    union {
        struct icmp6_hdr mip6_pa_hdr;
        struct {
            uint8_t  mip6_pa_type;
            uint8_t  mip6_pa_code;
            uint16_t mip6_pa_cksum;
            uint16_t mip6_pa_id;
            uint16_t mip6_pa_flags_reserved;
        };
    };
};

/* Neighbor Discovery changes, RFC 4584 4.6 / RFC 6275 7.1-7.4.  The RFC
 * 4584 names and glibc's names (second spelling) share values/layouts. */
#define ND_RA_FLAG_HOMEAGENT          32
#define ND_OPT_PI_FLAG_ROUTER         32
#define ND_OPT_ADV_INTERVAL           7
#define ND_OPT_HA_INFORMATION         8
struct nd_opt_adv_interval {
    union {
        struct {
            uint8_t  nd_opt_ai_type;
            uint8_t  nd_opt_ai_len;
            uint16_t nd_opt_ai_reserved;
            uint32_t nd_opt_ai_interval;
        };
        struct {
            uint8_t  nd_opt_adv_interval_type;
            uint8_t  nd_opt_adv_interval_len;
            uint16_t nd_opt_adv_interval_reserved;
            uint32_t nd_opt_adv_interval_ival;
        };
    };
};
struct nd_opt_homeagent_info {
    union {
        struct {
            uint8_t  nd_opt_hai_type;
            uint8_t  nd_opt_hai_len;
            uint16_t nd_opt_hai_reserved;
            uint16_t nd_opt_hai_preference;
            uint16_t nd_opt_hai_lifetime;
        };
        struct {
            uint8_t  nd_opt_home_agent_info_type;
            uint8_t  nd_opt_home_agent_info_len;
            uint16_t nd_opt_home_agent_info_reserved;
            uint16_t nd_opt_home_agent_info_preference;
            uint16_t nd_opt_home_agent_info_lifetime;
        };
    };
};
/* glibc's name for the same option */
struct nd_opt_home_agent_info {
    union {
        struct {
            uint8_t  nd_opt_hai_type;
            uint8_t  nd_opt_hai_len;
            uint16_t nd_opt_hai_reserved;
            uint16_t nd_opt_hai_preference;
            uint16_t nd_opt_hai_lifetime;
        };
        struct {
            uint8_t  nd_opt_home_agent_info_type;
            uint8_t  nd_opt_home_agent_info_len;
            uint16_t nd_opt_home_agent_info_reserved;
            uint16_t nd_opt_home_agent_info_preference;
            uint16_t nd_opt_home_agent_info_lifetime;
        };
    };
};
