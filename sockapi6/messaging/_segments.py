"""``send_segments``: many datagrams in one send with UDP segmentation offload (GSO, Linux udp(7)),
falling back to ``sendmmsg`` and then to a loop where the kernel, device or path cannot.

One ``sendmsg`` with a ``UDP_SEGMENT`` control message (a 16-bit size)
hands the kernel a buffer that it cuts into datagrams of that size, the
last possibly shorter.  The arguments are checked first, so a caller's
mistake is never taken for "no GSO" (the kernel answers both with
EINVAL).  Then, once per socket, the socket is asked whether it knows
``UDP_SEGMENT`` (``getsockopt``; ENOPROTOOPT on kernels before 4.18 and
off Linux).  A GSO send that fails with the errors real systems give for
an unusable offload marks the socket as "no GSO" and the same datagrams
go out the other way, so none is lost:

* EIO -- devices or paths without checksum offload on older kernels,
  UDP-Lite, xfrm (IPsec) paths (quinn-udp and msquic both fall back on it);
* EINVAL -- some virtio and IPv6 setups; also more segments than the
  kernel allows per send (64 before Linux 5.19's 128), which is tried once
  with 64 before giving up on GSO.

The send that fails is a single system call (``_gso_send``): the
kernel queues all of the buffer's datagrams or none, so resending them all
loses and duplicates nothing.
"""

from __future__ import annotations

import errno as _errno
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from .._binding import CONSTANTS as _C
from .._checks import check_int
from ..ancillary._offload import UDPSegment
from ._batch import _HAS, MAX_BATCH
from ._batch_send import _SENDERS
from ._send import prepare

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from .._types import AncillaryInput, Data, Destination, SendingSocket

__all__ = ["send_segments"]

_SOL_UDP: int = _C.get("SOL_UDP", 17)
_UDP_SEGMENT: int = _C.get("UDP_SEGMENT", -1)
#: bytes of payload one GSO send may carry: an IPv4 datagram's limit (65535 - 20 - 8), so that
#: dual-stack sockets sending to IPv4 peers stay within it too
_MAX_GSO_BYTES = 65507
#: the most segments the kernel takes per send (UDP_MAX_SEGMENTS): 128 since Linux 5.19, 64 before;
#: lowered to 64 the first time a kernel refuses more
_max_segments = 128
#: EIO / EINVAL from a GSO send: the offload cannot be used on this path (see the module docs)
_FALLBACK_ERRORS = frozenset({_errno.EIO, _errno.EINVAL})
#: socket -> whether GSO works on it (absent: not asked yet)
_GSO: WeakKeyDictionary[Any, bool] = WeakKeyDictionary()
_CMSGS: dict[int, tuple[int, int, bytes]] = {}


def _gso_send(sock: Any, buffers: Sequence[Any], cmsgs: list[Any], destination: Any) -> int:
    """The one system call of a GSO send (tests inject failures here: the kernel here never fails it)."""
    if destination is None:
        return sock.sendmsg(buffers, cmsgs)  # type: ignore[no-any-return]
    return sock.sendmsg(buffers, cmsgs, 0, destination)  # type: ignore[no-any-return]


def gso_available(sock: Any) -> bool:
    """Whether GSO sends are tried on ``sock``: it knows ``UDP_SEGMENT`` and no GSO send failed on it."""
    known = _GSO.get(sock)
    if known is None:
        known = False
        if _UDP_SEGMENT >= 0 and getattr(sock, "type", None) == 2:  # SOCK_DGRAM on every OS
            try:
                sock.getsockopt(_SOL_UDP, _UDP_SEGMENT)
                known = True
            except OSError:
                pass
        try:
            _GSO[sock] = known
        except TypeError:  # not weakly referenceable: ask again next time
            pass
    return known


def _segment_cmsg(size: int) -> tuple[int, int, bytes]:
    cmsg = _CMSGS.get(size)
    if cmsg is None:
        cmsg = _CMSGS[size] = UDPSegment(size).to_cmsg()
    return cmsg


def _fallback(sock: Any, payload: memoryview, size: int, cmsgs: list[Any], destination: Any) -> int:
    """Send ``payload`` as datagrams of ``size`` bytes without GSO: ``sendmmsg``, else a loop."""
    send = _SENDERS[_HAS["sendmmsg"]]
    messages = [(payload[i:i + size], cmsgs, destination) for i in range(0, len(payload), size)] \
        or [(payload, cmsgs, destination)]
    sent = 0
    while sent < len(messages):
        batch = messages[sent:sent + MAX_BATCH]
        try:
            n = int(send(sock, batch, 0))
        except OSError:
            if not sent:
                raise
            return sent
        if n <= 0:
            break
        sent += n
    return sent


def send_segments(sock: SendingSocket, data: Data, segment_size: int, address: Destination = None,
                  ancillary: Iterable[AncillaryInput] = ()) -> int:
    """Send ``data`` as datagrams of ``segment_size`` bytes (the last may be shorter); return how many.

    Uses UDP segmentation offload (``UDP_SEGMENT``, Linux 4.18+) where the
    socket and path take it -- one system call for up to 64/128 datagrams
    -- and ``sendmmsg``, else one ``sendmsg`` per datagram, elsewhere or
    after a GSO send failed with EIO/EINVAL (then for the socket's life).
    ``address`` and ``ancillary`` as for :func:`~sockapi6.sendmsg`; every
    datagram carries the same items.  An error after some datagrams went
    out stops the call, which returns how many did (as ``sendmmsg``);
    before any, it raises.
    """
    size = check_int(segment_size, 1, 0xFFFF, "segment_size")
    buffers, cmsgs, destination = prepare(sock, data, address, ancillary)
    payload = memoryview(buffers[0] if len(buffers) == 1 else b"".join(buffers)).cast("B")
    total = len(payload)
    count = -(-total // size) or 1
    if count == 1:
        _gso_send(sock, [payload], cmsgs, destination)
        return 1
    sent = 0
    per_send = max(1, min(_MAX_GSO_BYTES // size, _max_segments))
    lowered = False
    while sent < count and gso_available(sock):
        chunk = min(per_send, count - sent)
        start = sent * size
        try:
            _gso_send(sock, [payload[start:start + chunk * size]], [*cmsgs, _segment_cmsg(size)], destination)
        except OSError as exc:
            if exc.errno not in _FALLBACK_ERRORS:
                if sent:
                    return sent
                raise
            if exc.errno == _errno.EINVAL and chunk > 64 and not lowered:
                per_send, lowered = 64, True  # an older kernel's limit, or no GSO: try 64 once
                continue
            _GSO[sock] = False
            break
        if lowered:
            _lower_max_segments()
        sent += chunk
    if sent < count:
        done = _fallback(sock, payload[sent * size:], size, cmsgs, destination)
        sent += done
    return sent


def _lower_max_segments() -> None:
    global _max_segments
    _max_segments = 64
