/*
 * functions.h -- libc functions the package calls.  Declared on every OS;
 * a function the running libc lacks is simply absent from `sockapi6.lib`
 * (musl and Windows have no inet6_opt_* / inet6_rth_*).
 *
 * Sources: RFC 3542 sections 7 and 10 (inet6_rth_*, inet6_opt_*),
 *          RFC 3493 section 4 (if_nametoindex and friends),
 *          RFC 3678 section 5.2 (getsourcefilter / setsourcefilter),
 *          getifaddrs(3) (4.4BSD, glibc, musl), POSIX getsockopt/setsockopt.
 * Types: sockets are `SOCKET` (int on Unix, 64-bit on Windows, from the OS file);
 * `align` is uint8_t in glibc and KAME (platform_abi.md section 5).
 */

/* recvmmsg / sendmmsg are declared in the OS files beside `struct mmsghdr`
 * (linux.h, freebsd.h, netbsd.h): FreeBSD's prototypes take `size_t vlen` and
 * return `ssize_t`, Linux's and NetBSD's `unsigned int` / `int`, so one
 * declaration here would be wrong somewhere.  macOS, OpenBSD and Windows have
 * neither function: absent from `lib` there. */

/* RFC 3542 section 10: hop-by-hop and destination options */
int inet6_opt_init(void *extbuf, socklen_t extlen);
int inet6_opt_append(void *extbuf, socklen_t extlen, int offset, uint8_t type,
                     socklen_t len, uint8_t align, void **databufp);
int inet6_opt_finish(void *extbuf, socklen_t extlen, int offset);
int inet6_opt_set_val(void *databuf, int offset, void *val, socklen_t vallen);
int inet6_opt_next(void *extbuf, socklen_t extlen, int offset, uint8_t *typep,
                   socklen_t *lenp, void **databufp);
int inet6_opt_find(void *extbuf, socklen_t extlen, int offset, uint8_t type,
                   socklen_t *lenp, void **databufp);
int inet6_opt_get_val(void *databuf, int offset, void *val, socklen_t vallen);

/* RFC 3542 section 7: routing header */
socklen_t inet6_rth_space(int type, int segments);
void *inet6_rth_init(void *bp, socklen_t bp_len, int type, int segments);
int inet6_rth_add(void *bp, const struct in6_addr *addr);
int inet6_rth_reverse(const void *in, void *out);
int inet6_rth_segments(const void *bp);
struct in6_addr *inet6_rth_getaddr(const void *bp, int index);

/* RFC 3493 section 4: interface identification */
unsigned int if_nametoindex(const char *ifname);
char *if_indextoname(unsigned int ifindex, char *ifname);
struct if_nameindex *if_nameindex(void);
void if_freenameindex(struct if_nameindex *ptr);

/* getifaddrs(3) */
int getifaddrs(struct ifaddrs **ifap);
void freeifaddrs(struct ifaddrs *ifa);

/* Socket options through libc, for what the standard library cannot do
 * (results over 1024 bytes, in/out options). */
int getsockopt(SOCKET sockfd, int level, int optname, void *optval,
               socklen_t *optlen);
int setsockopt(SOCKET sockfd, int level, int optname, const void *optval,
               socklen_t optlen);

/* RFC 3678 section 5.2.1: full-state source filter API */
int getsourcefilter(SOCKET s, uint32_t interface, struct sockaddr *group,
                    socklen_t grouplen, uint32_t *fmode, uint32_t *numsrc,
                    struct sockaddr_storage *slist);
int setsourcefilter(SOCKET s, uint32_t interface, struct sockaddr *group,
                    socklen_t grouplen, uint32_t fmode, uint32_t numsrc,
                    struct sockaddr_storage *slist);

/* RFC 2292 section 6.3 (issue 10): hop-by-hop and destination options in
 * the older, cmsghdr-based API that pim6sd and old radvd use.  glibc
 * exports these (deprecated); musl has none; glibc has no inet6_rthdr_*,
 * so RFC 2292 section 8 is served by sockapi6.rfc2292.pure everywhere. */
int inet6_option_space(int nbytes);
int inet6_option_init(void *bp, struct cmsghdr **cmsgp, int type);
int inet6_option_append(struct cmsghdr *cmsg, const uint8_t *typep, int multx,
                        int plusy);
uint8_t *inet6_option_alloc(struct cmsghdr *cmsg, int datalen, int multx,
                            int plusy);
int inet6_option_next(const struct cmsghdr *cmsg, uint8_t **tptrp);
int inet6_option_find(const struct cmsghdr *cmsg, uint8_t **tptrp, int type);
