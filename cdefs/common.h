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

/* ---- Sizes fixed by RFC 3493 section 3.7 / 6.1 */
#define INET_ADDRSTRLEN        16
