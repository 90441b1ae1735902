/*
 * linux.h -- host ABI of Linux, every architecture sockapi6 supports.
 *
 * Sources: Debian 12 glibc 2.36 headers <sys/socket.h>, <netinet/in.h>,
 *          <bits/in.h>, <netinet/icmp6.h>, <net/if.h>, <ifaddrs.h>, kernel
 *          uapi <linux/in6.h>, <linux/errqueue.h>, <linux/if_packet.h>;
 *          musl 1.2.3 <sys/socket.h>, <netinet/in.h> (Debian musl-dev);
 *          kernel uapi <asm/socket.h> of mips and powerpc.  Every number and
 *          layout is checked, for glibc and musl on each architecture, by
 *          tools/probe.py against the headers the ziglang package ships
 *          (tests/test_conformance.py; glibc here is also compiled and run).
 *
 * The text outside @arch blocks is the x86_64 declaration.  A block
 * `@arch TERM ...` is kept for a platform (sockapi6/_platform.py) when one
 * TERM matches its tags; `a+b` needs both.  Tags: the arch name, lp64/ilp32,
 * le/be, mips (mips, mipsel), ppc (ppc64le), glibc/musl, and time64 on every
 * 32-bit Linux (64-bit time_t: musl >= 1.2, glibc with _TIME_BITS=64).  A
 * #define or struct in a kept block replaces the one of the same name
 * outside blocks.
 * IPV6_PREFER_SRC_* are kernel uapi values (<linux/in6.h>); musl's
 * <netinet/in.h> has them, glibc's does not, the kernel takes them on both.
 * INET_ADDRSTRLEN is an OS-header value (22 in Winsock), so each OS file
 * declares it; common.h does not.
 */

typedef uint32_t socklen_t;
typedef uint16_t sa_family_t;
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
    sa_family_t sa_family;
    char sa_data[14];
};
struct sockaddr_in {
    sa_family_t sin_family;
    in_port_t sin_port;
    struct in_addr sin_addr;
    uint8_t sin_zero[8];
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
    uint8_t __ss_padding[118];
    uint64_t __ss_align;
};
/* @arch ilp32: __ss_align is an unsigned long (glibc and musl) */
struct sockaddr_storage {
    sa_family_t ss_family;
    uint8_t __ss_padding[122];
    uint32_t __ss_align;
};
/* @end */
/* AF_PACKET link-layer address, what getifaddrs() reports for a MAC */
struct sockaddr_ll {
    uint16_t sll_family;
    uint16_t sll_protocol;
    int32_t  sll_ifindex;
    uint16_t sll_hatype;
    uint8_t  sll_pkttype;
    uint8_t  sll_halen;
    uint8_t  sll_addr[8];
};

/* glibc (size_t lengths, right on every architecture); musl below */
struct cmsghdr {
    size_t cmsg_len;
    int32_t cmsg_level;
    int32_t cmsg_type;
};
struct msghdr {
    void *msg_name;
    socklen_t msg_namelen;
    struct iovec *msg_iov;
    size_t msg_iovlen;
    void *msg_control;
    size_t msg_controllen;
    int32_t msg_flags;
};
/* @arch musl+lp64+le: 32-bit lengths, explicit pads after them */
struct cmsghdr {
    socklen_t cmsg_len;
    int32_t __pad1;
    int32_t cmsg_level;
    int32_t cmsg_type;
};
struct msghdr {
    void *msg_name;
    socklen_t msg_namelen;
    struct iovec *msg_iov;
    int32_t msg_iovlen;
    int32_t __pad1;
    void *msg_control;
    socklen_t msg_controllen;
    int32_t __pad2;
    int32_t msg_flags;
};
/* @end */
/* @arch musl+lp64+be: the pads come first (s390x) */
struct cmsghdr {
    int32_t __pad1;
    socklen_t cmsg_len;
    int32_t cmsg_level;
    int32_t cmsg_type;
};
struct msghdr {
    void *msg_name;
    socklen_t msg_namelen;
    struct iovec *msg_iov;
    int32_t __pad1;
    int32_t msg_iovlen;
    void *msg_control;
    int32_t __pad2;
    socklen_t msg_controllen;
    int32_t msg_flags;
};
/* @end */
/* @arch musl+ilp32: no pads */
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
/* @end */
/* recvmmsg(2) / sendmmsg(2) (Linux 2.6.33 / 3.0; glibc 2.12 / 2.14, musl 1.1):
 * glibc <bits/socket.h> and musl <sys/socket.h> under _GNU_SOURCE.  One
 * msghdr per entry (the layouts above); msg_len is unsigned int in
 * both.  timespec: time_t and long are 64-bit on the 64-bit targets here.
 * Prototypes: glibc takes `int flags`, musl `unsigned int flags`: the same
 * 32-bit argument, so one declaration serves both. */
struct timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};
/* @arch time64+le: 64-bit time_t, 32-bit long tv_nsec, padding after it */
struct timespec {
    int64_t tv_sec;
    int32_t tv_nsec;
    int32_t __pad;
};
/* @end */
/* @arch time64+be: padding before tv_nsec (mips) */
struct timespec {
    int64_t tv_sec;
    int32_t __pad;
    int32_t tv_nsec;
};
/* @end */
struct mmsghdr {
    struct msghdr msg_hdr;
    uint32_t msg_len;
};
int recvmmsg(SOCKET sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags,
             struct timespec *timeout);
int sendmmsg(SOCKET sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags);

struct iovec {
    void *iov_base;
    size_t iov_len;
};
struct in6_pktinfo {
    struct in6_addr ipi6_addr;
    uint32_t ipi6_ifindex;
};
struct in_pktinfo {
    int32_t ipi_ifindex;
    struct in_addr ipi_spec_dst;
    struct in_addr ipi_addr;
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
struct group_filter {
    uint32_t gf_interface;
    struct sockaddr_storage gf_group;
    uint32_t gf_fmode;
    uint32_t gf_numsrc;
    struct sockaddr_storage gf_slist[1];
};
/* <linux/errqueue.h>: what IPV6_RECVERR delivers */
struct sock_extended_err {
    uint32_t ee_errno;
    uint8_t  ee_origin;
    uint8_t  ee_type;
    uint8_t  ee_code;
    uint8_t  ee_pad;
    uint32_t ee_info;
    uint32_t ee_data;
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
        struct sockaddr *ifu_broadaddr;
        struct sockaddr *ifu_dstaddr;
    } ifa_ifu;
    void *ifa_data;
};

/* ---- address families and socket types <sys/socket.h> */
#define AF_UNSPEC          0
#define AF_INET            2
#define AF_INET6           10
#define AF_PACKET          17
#define SOCK_STREAM        1
#define SOCK_DGRAM         2
#define SOCK_RAW           3
#define INET_ADDRSTRLEN    16
#define INET6_ADDRSTRLEN   46
#define IF_NAMESIZE        16

/* ---- socket level */
#define SOL_SOCKET         1
#define SOL_IP             0
#define SOL_IPV6           41
#define SOL_ICMPV6         58
#define SOL_RAW            255
#define SO_REUSEADDR       2
#define SO_TYPE            3
#define SO_ERROR           4
#define SO_BROADCAST       6
#define SO_SNDBUF          7
#define SO_RCVBUF          8
#define SO_REUSEPORT       15
#define SO_BINDTODEVICE    25
#define SCM_RIGHTS         1
#define MSG_OOB            1
#define MSG_PEEK           2
#define MSG_DONTROUTE      4
#define MSG_CTRUNC         8
#define MSG_TRUNC          32
#define MSG_DONTWAIT       64
#define MSG_ERRQUEUE       8192
#define MSG_WAITFORONE     65536
#define SO_PASSCRED        16
#define SO_RCVLOWAT        18
#define SO_TIMESTAMP       29
#define SO_TIMESTAMPNS     35
#define SCM_TIMESTAMPNS    35
#define SO_TIMESTAMPING    37
#define SCM_TIMESTAMPING   37
/* @arch mips: arch/mips/include/uapi/asm/socket.h (IRIX numbering) and SOCK_* of musl/glibc mips */
#define SOCK_STREAM        2
#define SOCK_DGRAM         1
#define SOL_SOCKET         65535
#define SO_REUSEADDR       4
#define SO_TYPE            4104
#define SO_ERROR           4103
#define SO_BROADCAST       32
#define SO_SNDBUF          4097
#define SO_RCVBUF          4098
#define SO_REUSEPORT       512
#define SO_RCVLOWAT        4100
#define SO_PASSCRED        17
/* @end */
/* @arch ppc: arch/powerpc/include/uapi/asm/socket.h */
#define SO_RCVLOWAT        16
#define SO_PASSCRED        20
/* @end */
/* @arch time64: SO_TIMESTAMP_NEW, SO_TIMESTAMPNS_NEW, SO_TIMESTAMPING_NEW (64-bit time_t) */
#define SO_TIMESTAMP       63
#define SO_TIMESTAMPNS     64
#define SCM_TIMESTAMPNS    64
#define SO_TIMESTAMPING    65
#define SCM_TIMESTAMPING   65
/* @end */

/* ---- IPv4 options seen on dual-stack sockets <bits/in.h> */
#define IP_TOS             1
#define IP_TTL             2
#define IP_PKTINFO         8
#define IP_RECVERR         11
#define IP_RECVTTL         12
#define IP_RECVTOS         13

/* ---- RFC 3493 section 5 */
#define IPV6_UNICAST_HOPS      16
#define IPV6_MULTICAST_IF      17
#define IPV6_MULTICAST_HOPS    18
#define IPV6_MULTICAST_LOOP    19
#define IPV6_JOIN_GROUP        20
#define IPV6_ADD_MEMBERSHIP    20
#define IPV6_LEAVE_GROUP       21
#define IPV6_DROP_MEMBERSHIP   21
#define IPV6_V6ONLY            26

/* ---- RFC 3542 */
#define IPV6_CHECKSUM          7
#define IPV6_RECVPKTINFO       49
#define IPV6_PKTINFO           50
#define IPV6_RECVHOPLIMIT      51
#define IPV6_HOPLIMIT          52
#define IPV6_NEXTHOP           9
#define IPV6_RECVHOPOPTS       53
#define IPV6_HOPOPTS           54
#define IPV6_RTHDRDSTOPTS      55
#define IPV6_RECVRTHDR         56
#define IPV6_RTHDR             57
#define IPV6_RECVDSTOPTS       58
#define IPV6_DSTOPTS           59
#define IPV6_RECVPATHMTU       60
#define IPV6_PATHMTU           61
#define IPV6_DONTFRAG          62
#define IPV6_RECVTCLASS        66
#define IPV6_TCLASS            67
#define IPV6_RTHDR_LOOSE       0
#define IPV6_RTHDR_STRICT      1
#define ICMP6_FILTER           1

/* ---- RFC 2292 numbers Linux keeps (radvd's fallback) */
#define IPV6_2292PKTINFO       2
#define IPV6_2292HOPOPTS       3
#define IPV6_2292DSTOPTS       4
#define IPV6_2292RTHDR         5
#define IPV6_2292PKTOPTIONS    6
#define IPV6_2292HOPLIMIT      8

/* ---- RFC 5014 (kernel uapi bits) */
#define IPV6_ADDR_PREFERENCES          72
#define IPV6_PREFER_SRC_TMP            1
#define IPV6_PREFER_SRC_PUBLIC         2
#define IPV6_PREFER_SRC_COA            4
#define IPV6_PREFER_SRC_CGA            8
#define IPV6_PREFER_SRC_PUBTMP_DEFAULT 256
#define IPV6_PREFER_SRC_HOME           1024
#define IPV6_PREFER_SRC_NONCGA         2048

/* ---- RFC 3678 */
#define MCAST_JOIN_GROUP          42
#define MCAST_BLOCK_SOURCE        43
#define MCAST_UNBLOCK_SOURCE      44
#define MCAST_LEAVE_GROUP         45
#define MCAST_JOIN_SOURCE_GROUP   46
#define MCAST_LEAVE_SOURCE_GROUP  47
#define MCAST_MSFILTER            48
#define MCAST_EXCLUDE             0
#define MCAST_INCLUDE             1

/* ---- Linux-only IPv6 options */
#define IPV6_ADDRFORM          1
#define IPV6_MTU_DISCOVER      23
#define IPV6_MTU               24
#define IPV6_RECVERR           25
#define IPV6_ROUTER_ALERT      22
#define IPV6_MULTICAST_ALL     29
#define IPV6_AUTOFLOWLABEL     70
#define IPV6_RECVORIGDSTADDR   74
#define IPV6_ORIGDSTADDR       74
#define IPV6_TRANSPARENT       75
#define IPV6_UNICAST_IF        76
#define IPV6_RECVFRAGSIZE      77
#define IPV6_FREEBIND          78
#define IPV6_PMTUDISC_DONT     0
#define IPV6_PMTUDISC_WANT     1
#define IPV6_PMTUDISC_DO       2
#define IPV6_PMTUDISC_PROBE    3
#define IPV6_PMTUDISC_INTERFACE 4
#define IPV6_PMTUDISC_OMIT     5
#define SO_EE_ORIGIN_NONE      0
#define SO_EE_ORIGIN_LOCAL     1
#define SO_EE_ORIGIN_ICMP      2
#define SO_EE_ORIGIN_ICMP6     3

/* ---- UDP segmentation offload, kernel timestamps, drop counters (Linux: <netinet/udp.h>,
   <asm/socket.h> for the 64-bit-time_t-free numbers, <linux/net_tstamp.h>, <linux/errqueue.h>) */
#define SOL_UDP                        17
#define UDP_SEGMENT                    103
#define UDP_GRO                        104
#define SO_RXQ_OVFL                    40
#define SOF_TIMESTAMPING_TX_HARDWARE   1
#define SOF_TIMESTAMPING_TX_SOFTWARE   2
#define SOF_TIMESTAMPING_RX_HARDWARE   4
#define SOF_TIMESTAMPING_RX_SOFTWARE   8
#define SOF_TIMESTAMPING_SOFTWARE      16
#define SOF_TIMESTAMPING_RAW_HARDWARE  64
#define SOF_TIMESTAMPING_OPT_ID        128
#define SOF_TIMESTAMPING_TX_SCHED      256
#define SOF_TIMESTAMPING_OPT_CMSG      1024
#define SOF_TIMESTAMPING_OPT_TSONLY    2048
#define SO_EE_ORIGIN_TIMESTAMPING      4
#define SCM_TSTAMP_SND                 0
#define SCM_TSTAMP_SCHED               1
#define SCM_TSTAMP_ACK                 2

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
#define IFF_MULTICAST     4096
#define IFF_NOTRAILERS    32
#define IFF_MASTER        1024
#define IFF_SLAVE         2048
#define IFF_PORTSEL       8192
#define IFF_AUTOMEDIA     16384
#define IFF_DYNAMIC       32768
/* musl's <net/if.h> and the kernel's <linux/if.h>; glibc's <net/if.h> stops at IFF_DYNAMIC */
#define IFF_LOWER_UP      65536
#define IFF_DORMANT       131072
#define IFF_ECHO          262144

/* ---- router renumbering Use-Prefix RAFlags: glibc and musl <netinet/icmp6.h> (not RFC 2894's bit positions) */
#define ICMP6_RR_PCOUSE_RAFLAGS_ONLINK 32
#define ICMP6_RR_PCOUSE_RAFLAGS_AUTO   16

/* ---- daemon parity (issue 10): options of FRR, BIRD, mcproxy, pim6d,
 * iputils, odhcpd.  glibc 2.36 <bits/in.h> and kernel uapi <linux/in6.h>
 * (IPV6_FLOWINFO*, IPV6_FLOWLABEL_MGR, IPV6_FL_*, struct in6_flowlabel_req
 * are uapi-only), <asm-generic/socket.h> (SO_*_FILTER), <linux/filter.h>
 * (struct sock_filter / sock_fprog), <linux/if_ether.h> (ETH_P_IPV6).
 * musl 1.2.3 has the option numbers but not the flow-label or filter
 * declarations: probe.ABSENT says so; the kernel takes them all the same. */
#define IPV6_FLOWINFO             11
#define IPV6_JOIN_ANYCAST         27
#define IPV6_LEAVE_ANYCAST        28
#define IPV6_ROUTER_ALERT_ISOLATE 30
#define IPV6_RECVERR_RFC4884      31
#define IPV6_FLOWLABEL_MGR        32
#define IPV6_FLOWINFO_SEND        33
#define IPV6_HDRINCL              36
#define IPV6_MINHOPCOUNT          73
#define IPV6_FLOWINFO_FLOWLABEL   1048575
#define IPV6_FLOWINFO_PRIORITY    267386880
#define IPV6_FL_A_GET             0
#define IPV6_FL_A_PUT             1
#define IPV6_FL_A_RENEW           2
#define IPV6_FL_F_CREATE          1
#define IPV6_FL_F_EXCL            2
#define IPV6_FL_F_REFLECT         4
#define IPV6_FL_F_REMOTE          8
#define IPV6_FL_S_NONE            0
#define IPV6_FL_S_EXCL            1
#define IPV6_FL_S_PROCESS         2
#define IPV6_FL_S_USER            3
#define IPV6_FL_S_ANY             255
#define SO_ATTACH_FILTER          26
#define SO_DETACH_FILTER          27
#define SO_LOCK_FILTER            44
#define ETH_P_IPV6                34525
/* IPV6_FLOWLABEL_MGR's argument; flr_label is in network byte order */
struct in6_flowlabel_req {
    struct in6_addr flr_dst;
    uint32_t flr_label;
    uint8_t  flr_action;
    uint8_t  flr_share;
    uint16_t flr_flags;
    uint16_t flr_expires;
    uint16_t flr_linger;
    uint32_t __flr_pad;
};
/* classic BPF socket filter (SO_ATTACH_FILTER) */
struct sock_filter {
    uint16_t code;
    uint8_t  jt;
    uint8_t  jf;
    uint32_t k;
};
struct sock_fprog {
    uint16_t len;
    struct sock_filter *filter;
};
