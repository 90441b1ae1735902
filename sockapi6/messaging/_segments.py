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
import socket as _socket
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary, finalize

from .._binding import CONSTANTS as _C
from .._checks import check_int
from ..ancillary._offload import UDPSegment
from ._batch import _HAS, MAX_BATCH
from ._batch_send import _SENDERS
from ._send import _DESTINATIONS, _raw_family, prepare

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
#: id(socket) -> True, for the sockets of _GSO known to take GSO: the send path's one lookup (a weak
#: reference per call costs more); an entry leaves with its socket (weakref.finalize)
_GSO_OK: dict[int, bool] = {}
#: segment size -> (its UDP_SEGMENT item, segments per send)
_BY_SIZE: dict[int, tuple[tuple[int, int, bytes], int]] = {}
_SOCKET = _socket.socket


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
        _remember(sock, known)
    return known


def _remember(sock: Any, works: bool) -> None:
    """Record whether GSO works on ``sock`` (nothing for an object that cannot be weakly referenced)."""
    try:
        _GSO[sock] = works
    except TypeError:  # not weakly referenceable: ask again next time
        return
    key = id(sock)
    if works:
        if key not in _GSO_OK:
            _GSO_OK[key] = True
            finalize(sock, _GSO_OK.pop, key, None)
    else:
        _GSO_OK.pop(key, None)


def _segment_cmsg(size: int) -> tuple[int, int, bytes]:
    return _by_size(size)[0]


def _by_size(size: int) -> tuple[tuple[int, int, bytes], int]:
    """The ``UDP_SEGMENT`` item for ``size`` and how many such segments one send may carry."""
    found = _BY_SIZE.get(size)
    if found is None:
        found = _BY_SIZE[size] = (UDPSegment(size).to_cmsg(),
                                  max(1, min(_MAX_GSO_BYTES // size, _max_segments)))
    return found


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
    size = segment_size
    if type(size) is not int or not 1 <= size <= 0xFFFF:
        size = check_int(segment_size, 1, 0xFFFF, "segment_size")
    found = None
    if type(data) is bytes and type(ancillary) is tuple and not ancillary and type(sock) is _SOCKET \
            and type(address) is tuple and len(address) == 2 and type(address[0]) is str \
            and type(address[1]) is int:
        # a destination converted (and so checked) before, no items: what prepare() would return
        found = _DESTINATIONS.get((address[0], address[1], _raw_family(sock)))
    if found is not None:
        payload: Any = data
        cmsgs: list[Any] = []
        destination = found[0]
    else:
        buffers, cmsgs, destination = prepare(sock, data, address, ancillary)
        payload = buffers[0] if len(buffers) == 1 else b"".join(buffers)
        if type(payload) is not bytes:
            payload = memoryview(payload).cast("B")
    total = len(payload)
    count = -(-total // size) or 1
    if count == 1:
        _gso_send(sock, [payload], cmsgs, destination)
        return 1
    cmsg, per_send = _BY_SIZE.get(size) or _by_size(size)
    if count <= per_send and id(sock) in _GSO_OK:  # the common case: one GSO send
        try:
            _gso_send(sock, [payload], [*cmsgs, cmsg], destination)
            return count
        except OSError as exc:
            if exc.errno not in _FALLBACK_ERRORS:
                raise
    return _send_chunks(sock, memoryview(payload), size, count, per_send, cmsgs, destination)


def _send_chunks(sock: Any, payload: memoryview, size: int, count: int, per_send: int, cmsgs: list[Any],
                 destination: Any) -> int:
    """GSO sends of ``per_send`` segments at a time while the socket takes them, then the fallback."""
    sent = 0
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
            _remember(sock, False)
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
    _BY_SIZE.clear()
