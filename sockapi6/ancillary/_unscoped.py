"""The warning for a link-local destination with no interface (RFC 4007 section 6): see
:class:`~sockapi6.errors.UnscopedDestinationWarning`.

``sendmsg`` calls :func:`warn_unscoped` for every destination without a
scope id; the first test is on the address text, so a global destination
costs one slice and one set lookup.
"""

from __future__ import annotations

import socket as _socket
from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS as _C
from ._pktinfo import PacketInfo
from ._wire import _IPPROTO_IPV6, _needs_scope

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

__all__ = ["warn_unscoped"]

#: first three characters of the text of every address that needs a scope: fe80::/10 and ff01/ff02-style
#: multicast (any flags nibble); the exact test (address.needs_scope) follows
_PREFIXES = frozenset({f"fe{c}" for c in "89ab"} | {f"ff{c}" for c in "0123456789abcdef"})
_IPV6_MULTICAST_IF = _C.get("IPV6_MULTICAST_IF")
_IPV6_UNICAST_IF = _C.get("IPV6_UNICAST_IF")


def _chosen_elsewhere(sock: Any, multicast: bool) -> bool:
    """Whether the socket itself names the interface: a bound device, or IPV6_MULTICAST_IF for a group
    (IPV6_UNICAST_IF for a unicast address)."""
    try:
        option = _IPV6_MULTICAST_IF if multicast else _IPV6_UNICAST_IF
        if option is not None and sock.getsockopt(_IPPROTO_IPV6, option):
            return True
        option = getattr(_socket, "SO_BINDTODEVICE", None)
        return option is not None and bool(sock.getsockopt(_socket.SOL_SOCKET, option, 16).strip(b"\0"))
    except (OSError, AttributeError, TypeError):
        return False


def warn_unscoped(sock: Any, host: str, items: Sequence[Any], stacklevel: int = 4) -> None:
    """Warn (:class:`~sockapi6.errors.UnscopedDestinationWarning`) when ``host``, a destination sent to
    with scope id 0, needs a scope and nothing else names the interface."""
    if host[:3].lower() not in _PREFIXES:
        return
    try:
        packed = _socket.inet_pton(_socket.AF_INET6, host)
    except (OSError, ValueError):
        return
    if not _needs_scope(packed):
        return
    if any(isinstance(item, PacketInfo) and item.ifindex for item in items):
        return
    if _chosen_elsewhere(sock, packed[0] == 0xFF):
        return
    import warnings

    from ..errors import UnscopedDestinationWarning

    warnings.warn(f"{host} is link-local but has no scope and no PacketInfo interface: the kernel picks "
                  f"an interface itself; give one ('{host}%eth0', scope_id, or PacketInfo(ifindex=...))",
                  UnscopedDestinationWarning, stacklevel=stacklevel)
