"""IPv6 addresses in and out: ``sockaddr_in6``, scopes, ``IN6_IS_ADDR_*``, IPv4-mapped and KAME forms.

Design rule 5: every address this package returns is an
:class:`ipaddress.IPv6Address` (exported as :data:`Address`) whose
``scope_id``, when set, is the **numeric** interface index
(``IPv6Address("fe80::1%2")``); inputs also take text with an interface
name or index after ``%`` (``"fe80::1%eth0"``), 16 bytes, or an
``in6_addr`` cdata.  Note that ``ipaddress`` compares scopes as strings,
so ``fe80::1%2 != fe80::1%eth0``: pass inputs through :func:`to_ipv6`
before comparing them.

The address-testing predicates keep their C names (RFC 3493 section 6.4,
RFC 3542 section 2.3) and C's exact definitions, but return ``bool`` where
C returns a non-zero ``int``.

Scoped addresses (RFC 3493 section 3.3, ``sin6_scope_id``): here an
address *needs a scope* when it is link-local unicast (``fe80::/10``) or
multicast of interface-local (1) or link-local (2) scope -- the addresses
Linux and KAME attach an interface index to.

The code lives in private submodules: input -> 16 octets and text parsing
(``_packed``), the predicates (``_predicates``), scopes and :func:`to_ipv6`
(``_scoped``), ``sockaddr_in6`` and the standard library's tuples
(``_sockaddr``), IPv4-mapped and KAME forms (``_forms``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._forms import embed_scope as embed_scope
from ._forms import has_embedded_scope as has_embedded_scope
from ._forms import is_v4mapped as is_v4mapped
from ._forms import map_ipv4 as map_ipv4
from ._forms import strip_embedded_scope as strip_embedded_scope
from ._forms import unmap as unmap
from ._packed import Address as Address
from ._packed import _to_bytes as _to_bytes
from ._predicates import IN6_ARE_ADDR_EQUAL as IN6_ARE_ADDR_EQUAL
from ._predicates import IN6_IS_ADDR_LINKLOCAL as IN6_IS_ADDR_LINKLOCAL
from ._predicates import IN6_IS_ADDR_LOOPBACK as IN6_IS_ADDR_LOOPBACK
from ._predicates import IN6_IS_ADDR_MC_GLOBAL as IN6_IS_ADDR_MC_GLOBAL
from ._predicates import IN6_IS_ADDR_MC_LINKLOCAL as IN6_IS_ADDR_MC_LINKLOCAL
from ._predicates import IN6_IS_ADDR_MC_NODELOCAL as IN6_IS_ADDR_MC_NODELOCAL
from ._predicates import IN6_IS_ADDR_MC_ORGLOCAL as IN6_IS_ADDR_MC_ORGLOCAL
from ._predicates import IN6_IS_ADDR_MC_SITELOCAL as IN6_IS_ADDR_MC_SITELOCAL
from ._predicates import IN6_IS_ADDR_MULTICAST as IN6_IS_ADDR_MULTICAST
from ._predicates import IN6_IS_ADDR_SITELOCAL as IN6_IS_ADDR_SITELOCAL
from ._predicates import IN6_IS_ADDR_UNSPECIFIED as IN6_IS_ADDR_UNSPECIFIED
from ._predicates import IN6_IS_ADDR_V4COMPAT as IN6_IS_ADDR_V4COMPAT
from ._predicates import IN6_IS_ADDR_V4MAPPED as IN6_IS_ADDR_V4MAPPED
from ._predicates import IN6ADDR_ANY_INIT as IN6ADDR_ANY_INIT
from ._predicates import IN6ADDR_LOOPBACK_INIT as IN6ADDR_LOOPBACK_INIT
from ._predicates import in6addr_any as in6addr_any
from ._predicates import in6addr_loopback as in6addr_loopback
from ._predicates import needs_scope as needs_scope
from ._scoped import _interface_index as _interface_index
from ._scoped import to_ipv6 as to_ipv6
from ._sockaddr import from_sockaddr_tuple as from_sockaddr_tuple
from ._sockaddr import parse_sockaddr_in6 as parse_sockaddr_in6
from ._sockaddr import sockaddr_in6 as sockaddr_in6
from ._sockaddr import to_sockaddr_tuple as to_sockaddr_tuple

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, Union

    #: what the functions here accept as an IPv6 address (cdata is ``Any``)
    AddressLike = Union[str, bytes, bytearray, memoryview, IPv6Address, Any]
    #: an interface given by name or by index
    InterfaceLike = Union[str, int]

__all__ = [
    "Address",
    "to_ipv6",
    "sockaddr_in6",
    "parse_sockaddr_in6",
    "to_sockaddr_tuple",
    "from_sockaddr_tuple",
    "needs_scope",
    "IN6_IS_ADDR_UNSPECIFIED",
    "IN6_IS_ADDR_LOOPBACK",
    "IN6_IS_ADDR_MULTICAST",
    "IN6_IS_ADDR_LINKLOCAL",
    "IN6_IS_ADDR_SITELOCAL",
    "IN6_IS_ADDR_V4MAPPED",
    "IN6_IS_ADDR_V4COMPAT",
    "IN6_IS_ADDR_MC_NODELOCAL",
    "IN6_IS_ADDR_MC_LINKLOCAL",
    "IN6_IS_ADDR_MC_SITELOCAL",
    "IN6_IS_ADDR_MC_ORGLOCAL",
    "IN6_IS_ADDR_MC_GLOBAL",
    "IN6_ARE_ADDR_EQUAL",
    "in6addr_any",
    "in6addr_loopback",
    "IN6ADDR_ANY_INIT",
    "IN6ADDR_LOOPBACK_INIT",
    "map_ipv4",
    "unmap",
    "is_v4mapped",
    "has_embedded_scope",
    "strip_embedded_scope",
    "embed_scope",
]

for _name in __all__:  # the public functions show (and document) themselves under this module
    _obj = globals()[_name]
    if getattr(_obj, "__module__", "").startswith(f"{__name__}."):
        _obj.__module__ = __name__
del _name, _obj
