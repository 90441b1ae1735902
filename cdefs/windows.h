/*
 * windows.h -- host ABI of Windows x64 (Winsock 2, LLP64: long is 32 bits,
 * so only fixed-width types appear below).
 *
 * Sources: mingw-w64/mingw-w64 mingw-w64-headers/include/winsock2.h,
 *          ws2def.h, ws2ipdef.h, ws2tcpip.h, mswsock.h, in6addr.h,
 *          netioapi.h (Debian 12 mingw-w64 v10 headers; every number and
 *          layout below was compiled with x86_64-w64-mingw32-gcc 12 and read
 *          back from the generated assembly); shared/reference/
 *          platform_abi.json (windows).
 *
 * Winsock spellings: IN6_ADDR is union u { UCHAR Byte[16]; USHORT Word[8]; }
 * (alignment 2; `s6_addr` is its macro for u.Byte), sockaddr families are
 * ADDRESS_FAMILY (USHORT), the control header is WSACMSGHDR (SIZE_T length,
 * 16 bytes).  Ancillary data goes through WSASendMsg/WSARecvMsg (WSAMSG,
 * WSABUF): there is no struct msghdr / struct iovec, so none is declared.
 * No RFC 3542 receive options (IPV6_PKTINFO / IPV6_HOPLIMIT both enable and
 * name the cmsg), no ICMPv6 filter, no ip6_mtuinfo, no SCM_RIGHTS, no
 * SO_REUSEPORT; MCAST_INCLUDE is 0 and MCAST_EXCLUDE 1.
 * Winsock has neither getifaddrs() nor if_nameindex(): struct ifaddrs and
 * struct if_nameindex are opaque so that functions.h parses.
 */

typedef int32_t  socklen_t;
typedef uint16_t sa_family_t;   /* ADDRESS_FAMILY */
typedef uint16_t in_port_t;     /* USHORT */
typedef uint64_t SOCKET;        /* UINT_PTR: what Python's fileno() returns on Windows */

struct in6_addr {
    union {
        uint8_t  s6_addr[16];
        uint16_t s6_words[8];
    };
};
struct in_addr {
    uint32_t s_addr;
};
struct sockaddr {
    sa_family_t sa_family;
    char sa_data[14];
};
struct sockaddr_in {
    sa_family_t sin_family;
    in_port_t sin_port;
    struct in_addr sin_addr;
    char sin_zero[8];
};
struct sockaddr_in6 {
    sa_family_t sin6_family;
    in_port_t sin6_port;
    uint32_t sin6_flowinfo;
    struct in6_addr sin6_addr;
    uint32_t sin6_scope_id;
};
struct sockaddr_storage {
    sa_family_t ss_family;
    char __ss_pad1[6];
    int64_t __ss_align;
    char __ss_pad2[112];
};

/* WSACMSGHDR */
struct cmsghdr {
    size_t cmsg_len;
    int32_t cmsg_level;
    int32_t cmsg_type;
};
struct in6_pktinfo {
    struct in6_addr ipi6_addr;
    uint32_t ipi6_ifindex;
};
struct in_pktinfo {
    struct in_addr ipi_addr;
    uint32_t ipi_ifindex;
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
struct group_filter {
    uint32_t gf_interface;
    struct sockaddr_storage gf_group;
    int32_t gf_fmode;               /* MULTICAST_MODE_TYPE */
    uint32_t gf_numsrc;
    struct sockaddr_storage gf_slist[1];
};
struct if_nameindex;
struct ifaddrs;

/* ---- address families and socket types <winsock2.h> */
#define AF_UNSPEC          0
#define AF_INET            2
#define AF_INET6           23
#define SOCK_STREAM        1
#define SOCK_DGRAM         2
#define SOCK_RAW           3
#define INET_ADDRSTRLEN    22
#define INET6_ADDRSTRLEN   65
#define IF_NAMESIZE        256

/* ---- socket level */
#define SOL_SOCKET         65535
#define SO_REUSEADDR       4
#define SO_EXCLUSIVEADDRUSE -5
#define SO_TYPE            4104
#define SO_ERROR           4103
#define SO_BROADCAST       32
#define SO_SNDBUF          4097
#define SO_RCVBUF          4098
#define MSG_OOB            1
#define MSG_PEEK           2
#define MSG_DONTROUTE      4
#define MSG_WAITALL        8
#define MSG_TRUNC          256
#define MSG_CTRUNC         512
#define MSG_BCAST          1024
#define MSG_MCAST          2048

/* ---- IPv4 options seen on dual-stack sockets <ws2ipdef.h> */
#define IP_TOS             3
#define IP_TTL             4
#define IP_PKTINFO         19
#define IP_RECVTTL         21
#define IP_RECVTOS         40

/* ---- RFC 3493 section 5 */
#define IPV6_UNICAST_HOPS      4
#define IPV6_MULTICAST_IF      9
#define IPV6_MULTICAST_HOPS    10
#define IPV6_MULTICAST_LOOP    11
#define IPV6_JOIN_GROUP        12
#define IPV6_ADD_MEMBERSHIP    12
#define IPV6_LEAVE_GROUP       13
#define IPV6_DROP_MEMBERSHIP   13
#define IPV6_V6ONLY            27

/* ---- RFC 3542 names Winsock has (its own numbers) */
#define IPV6_HOPOPTS           1
#define IPV6_DONTFRAG          14
#define IPV6_PKTINFO           19
#define IPV6_HOPLIMIT          21
#define IPV6_CHECKSUM          26
#define IPV6_RTHDR             32
#define IPV6_RECVRTHDR         38
#define IPV6_TCLASS            39
#define IPV6_RECVTCLASS        40

/* ---- RFC 3678 */
#define MCAST_JOIN_GROUP          41
#define MCAST_LEAVE_GROUP         42
#define MCAST_BLOCK_SOURCE        43
#define MCAST_UNBLOCK_SOURCE      44
#define MCAST_JOIN_SOURCE_GROUP   45
#define MCAST_LEAVE_SOURCE_GROUP  46
#define MCAST_INCLUDE             0
#define MCAST_EXCLUDE             1

/* ---- Windows-only IPv6 options */
#define IPV6_HDRINCL           2
#define IPV6_PROTECTION_LEVEL  23
#define IPV6_RECVIF            24
#define IPV6_RECVDSTADDR       25
#define IPV6_UNICAST_IF        31
#define IPV6_ECN               50
#define IPV6_PKTINFO_EX        51
#define IPV6_MTU_DISCOVER      71
#define IPV6_MTU               72
#define IPV6_RECVERR           75
#define IPV6_USER_MTU          76

/* ---- interface flags <ws2ipdef.h> (INTERFACE_INFO.iiFlags) */
#define IFF_UP            1
#define IFF_BROADCAST     2
#define IFF_LOOPBACK      4
#define IFF_POINTTOPOINT  8
#define IFF_MULTICAST     16

/* ---- router renumbering Use-Prefix RAFlags: Winsock has no <netinet/icmp6.h>: RFC 2894 section 3.1 L and A bits */
#define ICMP6_RR_PCOUSE_RAFLAGS_ONLINK 128
#define ICMP6_RR_PCOUSE_RAFLAGS_AUTO   64
