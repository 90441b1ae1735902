"""``InterfaceFlags``: the ``IFF_*`` flags of ``<net/if.h>``, from the constants of the running OS.

The members are built from the ABI tables (so each OS gets its own values);
under ``TYPE_CHECKING`` mypy sees a fixed class with the common members.
``repr`` and ``str`` name the flags set (``IFF_LOOPBACK|IFF_RUNNING|IFF_UP``);
``repr`` evaluates back to the same value, bits without a name included.
"""

from __future__ import annotations

from enum import IntFlag
from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS as _CONSTANTS

__all__ = ["InterfaceFlags"]

#: the public module that shows (and pickles) the flags
_PUBLIC_MODULE = __name__.rpartition(".")[0]

if TYPE_CHECKING:
    class InterfaceFlags(IntFlag):
        """``ifa_flags`` of ``getifaddrs(3)``: the ``IFF_*`` constants of the running OS."""

        IFF_UP = 1
        IFF_BROADCAST = 2
        IFF_DEBUG = 4
        IFF_LOOPBACK = 8
        IFF_POINTOPOINT = 16
        IFF_RUNNING = 64
        IFF_NOARP = 128
        IFF_PROMISC = 256
        IFF_ALLMULTI = 512
        IFF_MULTICAST = 4096
else:
    InterfaceFlags = IntFlag(
        "InterfaceFlags",
        sorted((name, value) for name, value in _CONSTANTS.items() if name.startswith("IFF_")),
        module=_PUBLIC_MODULE,
    )
    InterfaceFlags.__doc__ = "``ifa_flags`` of ``getifaddrs(3)``: the ``IFF_*`` constants of the running OS."

    def _repr(self: InterfaceFlags) -> str:
        """``InterfaceFlags.IFF_UP|InterfaceFlags.IFF_LOOPBACK``: evaluates back, unknown bits as a number."""
        from .._wire import show

        return show(self)

    def _str(self: InterfaceFlags) -> str:
        """``IFF_LOOPBACK|IFF_UP`` (the bits no name covers in hex; ``0`` for none)."""
        words = [w.replace("InterfaceFlags.", "") for w in _repr(self).split("|")]
        words = [w[len("InterfaceFlags("):-1] if w.startswith("InterfaceFlags(") else w for w in words]
        return "0" if words == ["0x0"] else "|".join(words)

    def _format(self: InterfaceFlags, spec: str) -> str:
        return _str(self) if not spec else int.__format__(self, spec)

    InterfaceFlags.__repr__ = _repr
    InterfaceFlags.__str__ = _str
    InterfaceFlags.__format__ = _format
