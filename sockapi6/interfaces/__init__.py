"""Interfaces: the RFC 3493 section 4 name/index functions and ``getifaddrs(3)``.

``if_nametoindex``, ``if_indextoname`` and ``if_nameindex`` call libc through
:data:`sockapi6.lib`; where libc lacks one (Windows' ws2_32 has none) the
standard library's ``socket.if_*`` stands in, chosen once from a table.
Where C returns 0 or NULL these raise
:class:`~sockapi6.errors.UnknownInterfaceError` (an ``OSError`` and a
``ValueError``): ``ENODEV`` for an unknown name, ``ENXIO`` for an unknown
index (RFC 3493 sections 4.1 and 4.2).

:func:`getifaddrs` returns a flat list of :class:`InterfaceAddress`, one per
entry libc reports (IPv6, IPv4 and link-layer), decoded into Python values
before libc's list is freed; :func:`list_interfaces` groups them into
:class:`Interface` objects.  Link-layer addresses come from a table of
address family -> decoder (Linux ``AF_PACKET``/``sockaddr_ll``, BSD
``AF_LINK``/``sockaddr_dl``).

The code lives in private submodules: the ``IFF_*`` flags (``_flags``),
name <-> index (``sockapi6._system.ifnames``, the system layer), the value objects (``_values``), the sockaddr
decoders (``_decoders``), ``getifaddrs`` and its grouping (``_getifaddrs``),
and the per-interface lookups (``_lookup``).  Everything shows, and
pickles, as ``sockapi6.interfaces.<name>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._system.ifnames import if_indextoname as if_indextoname
from .._system.ifnames import if_nameindex as if_nameindex
from .._system.ifnames import if_nametoindex as if_nametoindex
from ._flags import InterfaceFlags as InterfaceFlags
from ._getifaddrs import getifaddrs as getifaddrs
from ._getifaddrs import list_interfaces as list_interfaces
from ._lookup import hardware_address as hardware_address
from ._lookup import link_local_address as link_local_address
from ._values import Interface as Interface
from ._values import InterfaceAddress as InterfaceAddress

if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "if_nametoindex",
    "if_indextoname",
    "if_nameindex",
    "getifaddrs",
    "list_interfaces",
    "InterfaceAddress",
    "Interface",
    "InterfaceFlags",
    "link_local_address",
    "hardware_address",
]

for _name in __all__:  # the public names show, document and pickle themselves under this module
    globals()[_name].__module__ = __name__
del _name


def __getattr__(name: str) -> Any:
    # ``interfaces()`` was renamed ``list_interfaces()``: at top level, ``sockapi6.interfaces`` is this
    # package (a name means one thing).  The old name stays here only, where it names nothing else.
    if name == "interfaces":
        import warnings

        warnings.warn("sockapi6.interfaces.interfaces() is now list_interfaces()", DeprecationWarning,
                      stacklevel=2)
        return list_interfaces
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
