#!/usr/bin/env python3
"""traceroute6: the UDP traceroute of ``traceroute -6`` (and the path MTU of ``tracepath -6``) on
Linux's socket error queue (RFC 4443 3.1-3.3, RFC 8201, RFC 3542 6.3; Linux ipv6(7) IPV6_RECVERR).

One unprivileged UDP socket with ``IPV6_RECVERR``: probes to ports 33434,
33435, ... with hop limits 1, 2, ... (an ``IPV6_HOPLIMIT`` item per probe,
RFC 3542 6.3).  The ICMPv6 errors they cause come back on the socket's
error queue: ``poll`` reports ``POLLERR`` (a blocking
``recvmsg(MSG_ERRQUEUE)`` would return EAGAIN at once), ``recvmsg(sock,
flags=MSG_ERRQUEUE)`` returns the probe with an
:class:`~sockapi6.ExtendedError` whose ``offender`` is the router that
answered; the message's *address* is the probe's destination and port (not
a sender), which tells the probes apart.  Time Exceeded (type 3) is a hop;
Port Unreachable from the destination ends the trace; the other Destination
Unreachable codes are printed as ``traceroute -6`` prints them (``!N`` no
route, ``!X`` administratively prohibited, ``!H`` beyond scope or address
unreachable, ``!<code>`` otherwise) and end it too.

``--pmtu`` works as tracepath does: ``IPV6_MTU_DISCOVER`` = DO, probes as
large as the path MTU known so far (starting at the outgoing interface's,
learnt from the local EMSGSIZE error), and each Packet Too Big (type 2,
``info`` = the next-hop MTU) shrinks them; each hop line then ends with
``pmtu N`` where the MTU changed, and a last line ``Resume: pmtu N hops H``.

Every ICMP error also becomes the socket's pending error (``SO_ERROR``),
which the *next* send would raise instead of sending; the program clears it
before each probe.  Output, one line per hop as ``traceroute -6 -n``::

    python examples/traceroute6.py -n 2001:db8::1
     1  2001:db8:1::1  0.105 ms  0.052 ms  0.049 ms
     2  2001:db8::1  0.091 ms  0.070 ms  0.066 ms
"""

from __future__ import annotations

import argparse
import errno
import select
import socket
import sys
import time
from ipaddress import IPv6Address

from sockapi6 import HopLimit, ReceivedMessage, SocketOptions, recvmsg, sendmsg
from sockapi6 import lib as _lib

MSG_ERRQUEUE = getattr(_lib, "MSG_ERRQUEUE", 0x2000)
ORIGIN_LOCAL, ORIGIN_ICMP6 = 1, 3  # SO_EE_ORIGIN_LOCAL / SO_EE_ORIGIN_ICMP6 (<linux/errqueue.h>)
TIME_EXCEEDED, DST_UNREACH, PACKET_TOO_BIG = 3, 1, 2  # RFC 4443 3.3, 3.1, 3.2
NOPORT = 4  # RFC 4443 3.1 code 4: port unreachable, the destination answered
#: what traceroute -6 prints after a Destination Unreachable, by code (RFC 4443 3.1)
ANNOTATIONS = {0: "!N", 1: "!X", 2: "!H", 3: "!H"}
IPV6_PMTUDISC_DO = 2
HEADERS = 40 + 8  # IPv6 + UDP


class Probe:
    """One probe in flight: its hop limit, when it left and its size."""

    __slots__ = ("hop", "sent", "size")

    def __init__(self, hop: int, size: int) -> None:
        self.hop, self.sent, self.size = hop, time.monotonic(), size


class Answer:
    """What came back for one probe."""

    __slots__ = ("address", "mtu", "note", "reached", "rtt")

    def __init__(self, address: str, rtt: float, note: str = "", reached: bool = False, mtu: int = 0) -> None:
        self.address, self.rtt, self.note, self.reached, self.mtu = address, rtt, note, reached, mtu


class Tracer:
    """The socket and the probes of one trace to ``destination``."""

    def __init__(self, destination: IPv6Address, port: int, pmtu: bool, size: int) -> None:
        self.destination, self.port = destination, port
        self.sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        opts = SocketOptions(self.sock)
        opts.recv_err = True  # ICMPv6 errors onto the error queue, with the offender
        self.pmtu = pmtu
        if pmtu:
            opts.mtu_discover = IPV6_PMTUDISC_DO
            size = 65535 - 8  # the first send learns the interface MTU (local EMSGSIZE error)
        self.size = size
        self.probes: dict[int, Probe] = {}
        self.poller = select.poll()
        self.poller.register(self.sock, select.POLLERR)

    def send(self, hop: int) -> int:
        """Send one probe with hop limit ``hop``; return its destination port (its name)."""
        port = self.port
        self.port += 1
        while True:
            # a queued ICMP error is also the socket's pending error: the next send would raise it
            # (and not send) -- read and clear it first
            self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            payload = bytes(max(self.size - HEADERS, 0))
            try:
                sendmsg(self.sock, payload, (str(self.destination), port, 0, 0), [HopLimit(hop)])
            except OSError as exc:
                if exc.errno == errno.EMSGSIZE and self.pmtu:
                    self.local_mtu()
                    continue
                raise
            self.probes[port] = Probe(hop, len(payload) + HEADERS)
            return port

    def local_mtu(self) -> None:
        """After a local EMSGSIZE: the interface MTU from the error queue's local error."""
        while self.poller.poll(100):
            msg = recvmsg(self.sock, 2048, MSG_ERRQUEUE)
            err = msg.error
            if err is not None and err.origin == ORIGIN_LOCAL and err.info:
                self.size = err.info
                return
        self.size = 1280

    def wait(self, ports: set[int], deadline: float) -> dict[int, Answer]:
        """Collect the answers to ``ports`` until all came or ``deadline`` (monotonic) passed."""
        got: dict[int, Answer] = {}
        while set(got) < ports:
            left = deadline - time.monotonic()
            if left <= 0 or not self.poller.poll(max(int(left * 1000), 1)):
                break
            msg = recvmsg(self.sock, 2048, MSG_ERRQUEUE)
            answer, port = self.read(msg)
            if answer is None or port not in ports:
                continue
            if answer.mtu:  # Packet Too Big: shrink and send this hop's probe again, as tracepath does
                self.size = min(self.size, answer.mtu)
                ports = (ports - {port}) | {self.send(self.probes[port].hop)}
                continue
            got[port] = answer
        return got

    def read(self, msg: ReceivedMessage) -> tuple[Answer | None, int]:
        """The answer an error-queue message carries, and the probe it answers (its destination port)."""
        err = msg.error
        port = msg.address[1] if msg.address else 0  # the probe's destination, not a sender
        probe = self.probes.get(port)
        if err is None or probe is None or err.origin != ORIGIN_ICMP6 or err.offender is None:
            return None, port
        rtt = (time.monotonic() - probe.sent) * 1000
        offender = str(err.offender).partition("%")[0]
        if err.type == TIME_EXCEEDED:
            return Answer(offender, rtt), port
        if err.type == PACKET_TOO_BIG:
            return Answer(offender, rtt, mtu=err.info), port
        if err.type == DST_UNREACH:
            if err.code == NOPORT:
                return Answer(offender, rtt, reached=True), port
            return Answer(offender, rtt, ANNOTATIONS.get(err.code, f"!<{err.code}>"), reached=True), port
        return Answer(offender, rtt, f"!<{err.type}-{err.code}>", reached=True), port


def name_of(address: str, numeric: bool) -> str:
    """``address`` as traceroute prints it: numeric, or ``name (address)``."""
    if numeric:
        return address
    try:
        host = socket.getnameinfo((address, 0), socket.NI_NAMEREQD)[0]
    except OSError:
        return f"{address} ({address})"
    return f"{host} ({address})"


def resolve(host: str) -> IPv6Address:
    try:
        return IPv6Address(host)
    except ValueError:
        return IPv6Address(socket.getaddrinfo(host, None, socket.AF_INET6, socket.SOCK_DGRAM)[0][4][0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", action="store_true", help="print addresses only, no names")
    parser.add_argument("-q", type=int, default=3, metavar="NPROBES", help="probes per hop (default 3)")
    parser.add_argument("-m", type=int, default=30, metavar="MAX_HOPS", help="largest hop limit (default 30)")
    parser.add_argument("-w", type=float, default=5.0, metavar="WAIT", help="seconds to wait per hop")
    parser.add_argument("-p", type=int, default=33434, metavar="PORT", help="first destination port")
    parser.add_argument("--pmtu", action="store_true", help="discover the path MTU as tracepath does")
    parser.add_argument("host")
    parser.add_argument("packetlen", nargs="?", type=int, default=80, help="probe size with headers (80)")
    args = parser.parse_args(argv)
    if not (1 <= args.q <= 10 and 1 <= args.m <= 255 and HEADERS <= args.packetlen <= 65535):
        parser.error("-q is 1..10, -m is 1..255, packetlen is 48..65535")
    try:
        destination = resolve(args.host)
    except (OSError, ValueError) as exc:
        print(f"traceroute6: {args.host}: {exc}", file=sys.stderr)
        return 2
    tracer = Tracer(destination, args.p, args.pmtu, args.packetlen)
    print(f"traceroute to {args.host} ({destination}), {args.m} hops max, "
          f"{'path MTU' if args.pmtu else f'{args.packetlen} byte'} packets", flush=True)
    mtu_shown = 0
    with tracer.sock:
        for hop in range(1, args.m + 1):
            try:
                ports = [tracer.send(hop) for _ in range(args.q)]
            except OSError as exc:
                print(f"{hop:2d}  send failed: {exc}", flush=True)
                return 1
            answers = tracer.wait(set(ports), time.monotonic() + args.w)
            words: list[str] = []
            last, reached = "", False
            for answer in [answers[p] for p in sorted(answers)] + [None] * (args.q - len(answers)):
                if answer is None:
                    words.append("*")
                    continue
                if answer.address != last:
                    words.append(name_of(answer.address, args.n))
                    last = answer.address
                words.append(f"{answer.rtt:.3f} ms" + (f" {answer.note}" if answer.note else ""))
                reached = reached or answer.reached
            line = f"{hop:2d}  " + "  ".join(words)
            if args.pmtu and tracer.size != mtu_shown and answers:
                line += f"  pmtu {tracer.size}"
                mtu_shown = tracer.size
            print(line, flush=True)
            if reached:
                break
    if args.pmtu:
        print(f"     Resume: pmtu {tracer.size} hops {hop}", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
