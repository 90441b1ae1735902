/*
 * freebsd.h -- host ABI of FreeBSD on amd64 and arm64 (LP64).
 *
 * Sources: freebsd/freebsd-src sys/netinet6/in6.h, sys/netinet/in.h,
 *          sys/sys/socket.h, sys/net/if.h, sys/net/if_dl.h, include/ifaddrs.h;
 *          golang/sys unix/zerrors_freebsd_amd64.go (numbers) and
 *          unix/ztypes_freebsd_amd64.go (layouts);
 *          golang/net ipv6/zsys_freebsd_amd64.go (group_req 0x88,
 *          group_source_req 0x108); shared/reference/platform_abi.json
 *          (freebsd: IPV6_BINDANY 64, IPV6_ORIGDSTADDR 72 from a 2024-25 in6.h).
 *
 * FreeBSD keeps IPV6_2292* only under _KERNEL, has no IPV6_ADD_MEMBERSHIP,
 * no IP_PKTINFO / struct in_pktinfo (IPv4 uses IP_RECVDSTADDR + IP_RECVIF).
 * group_req / group_source_req are naturally aligned (4 bytes of padding
 * after the interface index).  struct group_filter is not declared here:
 * its FreeBSD layout was not confirmed from a header.
 */

typedef uint32_t socklen_t;
typedef uint8_t  sa_family_t;
typedef uint16_t in_port_t;
/* a socket descriptor as libc's socket calls take it (Winsock's SOCKET is 64-bit) */
typedef int32_t  SOCKET;

struct in6_addr {
    union {
        uint8_t  s6_addr[16];
        uint16_t s6_addr16[8];
        uint32_t s6_addr32[4];
    };
};
struct in_addr {
    uint32_t s_addr;
};
struct sockaddr {
    uint8_t sa_len;
    sa_family_t sa_family;
    char sa_data[14];
};
struct sockaddr_in {
    uint8_t sin_len;
    sa_family_t sin_family;
    in_port_t sin_port;
    struct in_addr sin_addr;
    char sin_zero[8];
};
struct sockaddr_in6 {
    uint8_t sin6_len;
    sa_family_t sin6_family;
    in_port_t sin6_port;
    uint32_t sin6_flowinfo;
    struct in6_addr sin6_addr;
    uint32_t sin6_scope_id;
};
struct sockaddr_storage {
    uint8_t ss_len;
    sa_family_t ss_family;
    char __ss_pad1[6];
    int64_t __ss_align;
    char __ss_pad2[112];
};
/* AF_LINK address, what getifaddrs() reports for a MAC (sys/net/if_dl.h) */
struct sockaddr_dl {
    uint8_t  sdl_len;
    uint8_t  sdl_family;
    uint16_t sdl_index;
    uint8_t  sdl_type;
    uint8_t  sdl_nlen;
    uint8_t  sdl_alen;
    uint8_t  sdl_slen;
    char     sdl_data[46];
};

struct cmsghdr {
    socklen_t cmsg_len;
    int32_t cmsg_level;
    int32_t cmsg_type;
};
struct msghdr {
    void *msg_name;
    socklen_t msg_namelen;
    struct iovec *msg_iov;
    int32_t msg_iovlen;
    void *msg_control;
    socklen_t msg_controllen;
    int32_t msg_flags;
};
struct iovec {
    void *iov_base;
    size_t iov_len;
};
/* recvmmsg(2) / sendmmsg(2): FreeBSD 11+ <sys/sys/socket.h> (__BSD_VISIBLE): msg_len is ssize_t, vlen
 * size_t, the result ssize_t (not Linux's unsigned int / int).
 * timespec: time_t and long are 64-bit on amd64/arm64. */
struct timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};
struct mmsghdr {
    struct msghdr msg_hdr;
    ssize_t msg_len;
};
ssize_t recvmmsg(SOCKET s, struct mmsghdr *msgvec, size_t vlen, int flags,
                 const struct timespec *timeout);
ssize_t sendmmsg(SOCKET s, struct mmsghdr *msgvec, size_t vlen, int flags);
struct in6_pktinfo {
    struct in6_addr ipi6_addr;
    uint32_t ipi6_ifindex;
};
struct ip6_mtuinfo {
    struct sockaddr_in6 ip6m_addr;
    uint32_t ip6m_mtu;
};
struct icmp6_filter {
    uint32_t icmp6_filt[8];
};
struct ipv6_mreq {
    struct in6_addr ipv6mr_multiaddr;
    uint32_t ipv6mr_interface;
};
struct group_req {
    uint32_t gr_interface;
    struct sockaddr_storage gr_group;
};
struct group_source_req {
    uint32_t gsr_interface;
    struct sockaddr_storage gsr_group;
    struct sockaddr_storage gsr_source;
};
struct if_nameindex {
    uint32_t if_index;
    char *if_name;
};
struct ifaddrs {
    struct ifaddrs *ifa_next;
    char *ifa_name;
    uint32_t ifa_flags;
    struct sockaddr *ifa_addr;
    struct sockaddr *ifa_netmask;
    union {
        struct sockaddr *ifa_dstaddr;
        struct sockaddr *ifa_broadaddr;
    };
    void *ifa_data;
};

/* ---- address families and socket types <sys/socket.h> */
#define AF_UNSPEC          0
#define AF_INET            2
#define AF_INET6           28
#define AF_LINK            18
#define SOCK_STREAM        1
#define SOCK_DGRAM         2
#define SOCK_RAW           3
#define INET_ADDRSTRLEN    16
#define INET6_ADDRSTRLEN   46
#define IF_NAMESIZE        16

/* ---- socket level */
#define SOL_SOCKET         65535
#define SO_REUSEADDR       4
#define SO_TYPE            4104
#define SO_ERROR           4103
#define SO_BROADCAST       32
#define SO_SNDBUF          4097
#define SO_RCVBUF          4098
#define SO_REUSEPORT       512
#define SO_REUSEPORT_LB    65536
#define SCM_RIGHTS         1
#define MSG_OOB            1
#define MSG_PEEK           2
#define MSG_DONTROUTE      4
#define MSG_TRUNC          16
#define MSG_CTRUNC         32
#define MSG_DONTWAIT       128
#define MSG_WAITFORONE     524288

/* ---- IPv4 options seen on dual-stack sockets <netinet/in.h> */
#define IP_TOS             3
#define IP_TTL             4
#define IP_RECVDSTADDR     7
#define IP_RECVIF          20
#define IP_BINDANY         24
#define IP_RECVORIGDSTADDR 27
#define IP_ORIGDSTADDR     27
#define IP_RECVTTL         65
#define IP_RECVTOS         68

/* ---- RFC 3493 section 5 */
#define IPV6_UNICAST_HOPS      4
#define IPV6_MULTICAST_IF      9
#define IPV6_MULTICAST_HOPS    10
#define IPV6_MULTICAST_LOOP    11
#define IPV6_JOIN_GROUP        12
#define IPV6_LEAVE_GROUP       13
#define IPV6_V6ONLY            27

/* ---- RFC 3542 */
#define IPV6_CHECKSUM          26
#define IPV6_RTHDRDSTOPTS      35
#define IPV6_RECVPKTINFO       36
#define IPV6_RECVHOPLIMIT      37
#define IPV6_RECVRTHDR         38
#define IPV6_RECVHOPOPTS       39
#define IPV6_RECVDSTOPTS       40
#define IPV6_USE_MIN_MTU       42
#define IPV6_RECVPATHMTU       43
#define IPV6_PATHMTU           44
#define IPV6_PKTINFO           46
#define IPV6_HOPLIMIT          47
#define IPV6_NEXTHOP           48
#define IPV6_HOPOPTS           49
#define IPV6_DSTOPTS           50
#define IPV6_RTHDR             51
#define IPV6_RECVTCLASS        57
#define IPV6_TCLASS            61
#define IPV6_DONTFRAG          62
#define IPV6_RTHDR_LOOSE       0
#define IPV6_RTHDR_STRICT      1
#define ICMP6_FILTER           18

/* ---- RFC 3678 */
#define MCAST_UNDEFINED           0
#define MCAST_INCLUDE             1
#define MCAST_EXCLUDE             2
#define MCAST_JOIN_GROUP          80
#define MCAST_LEAVE_GROUP         81
#define MCAST_JOIN_SOURCE_GROUP   82
#define MCAST_LEAVE_SOURCE_GROUP  83
#define MCAST_BLOCK_SOURCE        84
#define MCAST_UNBLOCK_SOURCE      85

/* ---- KAME / FreeBSD-only IPv6 options */
#define IPV6_PORTRANGE         14
#define IPV6_AUTOFLOWLABEL     59
#define IPV6_PREFER_TEMPADDR   63
#define IPV6_BINDANY           64
#define IPV6_RECVORIGDSTADDR   72
#define IPV6_ORIGDSTADDR       72
#define IPV6_MSFILTER          74
#define IPV6_VLAN_PCP          75

/* ---- interface flags <net/if.h> */
#define IFF_UP            1
#define IFF_BROADCAST     2
#define IFF_DEBUG         4
#define IFF_LOOPBACK      8
#define IFF_POINTOPOINT   16
#define IFF_RUNNING       64
#define IFF_NOARP         128
#define IFF_PROMISC       256
#define IFF_ALLMULTI      512
#define IFF_SIMPLEX       2048
#define IFF_MULTICAST     32768

/* ---- router renumbering Use-Prefix RAFlags: KAME <netinet/icmp6.h>: RFC 2894 section 3.1 L and A bits */
#define ICMP6_RR_PCOUSE_RAFLAGS_ONLINK 128
#define ICMP6_RR_PCOUSE_RAFLAGS_AUTO   64

/* ---- sysctlbyname(3), for sockapi6.sysctl (issue 10).  Declared per OS, not
 * in functions.h: Linux libcs lack it and cffi raises ffi.error (not
 * AttributeError) for a declared function the library lacks. */
int sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
                 const void *newp, size_t newlen);
