"""Load this platform's declarations and libc: ``ffi``, ``lib`` and the backend switch.

The declarations are out-of-line cffi ABI modules generated from ``cdefs/``
(``sockapi6/_system/_abi/<module>.py``, one per group of (family, arch) pairs with
the same declarations); libc is opened at run time, so nothing is compiled at
install.  A function the running libc lacks is absent from ``lib``
(``hasattr(lib, "inet6_opt_init")`` is False on musl); note that ``dir(lib)``
lists every declared name all the same.

:data:`RECORD` is the running platform's record (``sockapi6._system.platform``):
every per-platform fact the package reads.  On an architecture nobody
verified, the names whose value differs by architecture (``SOL_SOCKET``,
``SO_*``, ``SOCK_*`` on Linux) are refused with :class:`NotSupportedError`
naming the pair, from ``lib`` and the package alike; the rest works.

This module, ``sockapi6._system.platform`` and ``tools/gen_abi.py`` are the only
places that look at ``sys.platform``; everything else reads the tables here.
"""

from __future__ import annotations

import os
import sys

from .. import errors as _errors
from ..errors import NotSupportedError
from . import platform as _platform
from ._abi import _pairs

TYPE_CHECKING = False  # typing is not imported at run time: it would double the cost of ``import sockapi6``
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

__all__ = [
    "ffi", "lib", "PLATFORM", "PLATFORM_DESCRIPTION", "ARCH", "RECORD", "backend", "abi_module",
    "module_for", "PLATFORMS", "last_error", "UNVERIFIED_NAMES", "refusal",
]

#: every declarations family that ships with the package
PLATFORMS: tuple[str, ...] = tuple(_platform.OSES)

_BACKENDS = ("auto", "libc", "python")


def _libc() -> str:
    """Return ``glibc`` or ``musl`` for the running Linux C library."""
    try:
        glibc = os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError, AttributeError):
        glibc = None
    return "glibc" if glibc else "musl"


def _host() -> tuple[str, Any]:
    """Return the running declarations family (by ``sys.platform``, then C library) and its dlopen name."""
    found = [f for f in _platform.OSES.values() if sys.platform.startswith(f.sys_platform)]
    if len(found) > 1:
        libc = _libc()
        found = [f for f in found if f.libc == libc]
    if not found:
        raise ImportError(f"sockapi6 has no declarations for sys.platform={sys.platform!r}")
    return found[0].name, found[0].library


def module_for(family: str, arch: str, model: _platform.Arch | None = None) -> str:
    """Return the generated module declaring ``(family, arch)``.

    A pair outside the supported ones gets the module of the family's first
    supported arch with the same pointer size and byte order as ``model``
    (default: what :func:`sockapi6._system.platform.running` knows of ``arch``); its
    architecture-dependent names are refused by the caller.
    """
    if family not in _pairs.MODULES:
        raise ValueError(f"unknown platform {family!r}; choose from {', '.join(PLATFORMS)}")
    arches: dict[str, str] = _pairs.MODULES[family]
    if arch in arches:
        return arches[arch]
    if model is None:
        model = _platform.running(family, arch).arch
    for name, module in arches.items():
        other = _platform.ARCHES[name]
        if (other.pointer_size, other.big_endian) == (model.pointer_size, model.big_endian):
            return module
    return next(iter(arches.values()))


def abi_module(platform: str, arch: str | None = None) -> ModuleType:
    """Return the generated declarations module of ``platform`` (any of :data:`PLATFORMS`).

    ``arch`` picks the architecture (default: the family's first, x86_64).
    """
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}; choose from {', '.join(PLATFORMS)}")
    module: ModuleType = _pairs.load(module_for(platform, arch or _platform.SUPPORTED[platform][0]))
    return module


PLATFORM, _LIBRARY = _host()
#: the running platform's record: every per-platform fact
RECORD = _platform.running(PLATFORM)
ARCH = RECORD.arch.name
PLATFORM_DESCRIPTION = PLATFORM.replace("_", " (", 1) + ")" if "_" in PLATFORM else PLATFORM
_errors.DEFAULT_PLATFORM = PLATFORM_DESCRIPTION  # what NotSupportedError names when not told
_abi = _pairs.load(module_for(PLATFORM, ARCH, RECORD.arch))
ffi = _abi.ffi
CONSTANTS: dict[str, int] = _abi.CONSTANTS
FUNCTIONS: tuple[str, ...] = _abi.FUNCTIONS
TYPES: tuple[str, ...] = _abi.TYPES
#: names refused on this platform because their value depends on an architecture nobody verified
UNVERIFIED_NAMES: frozenset[str] = frozenset() if RECORD.verified else frozenset(_pairs.ARCH_NAMES[PLATFORM])


def refusal(name: str) -> Exception:
    """Return the NotSupportedError for an architecture-dependent ``name`` on an unverified pair."""
    return NotSupportedError(
        name, platform=RECORD.pair,
        reason=(f"its value differs by architecture and sockapi6 has no verified declarations for "
                f"{RECORD.pair}; supported: {', '.join(_platform.SUPPORTED[PLATFORM])}"))


class _GuardedLib:
    """``lib`` on an unverified pair: refuses :data:`UNVERIFIED_NAMES`, delegates the rest."""

    __slots__ = ("_lib",)

    def __init__(self, inner: Any) -> None:
        object.__setattr__(self, "_lib", inner)

    def __getattr__(self, name: str) -> Any:
        if name in UNVERIFIED_NAMES:
            raise refusal(name)
        return getattr(self._lib, name)

    def __dir__(self) -> list[str]:
        return [n for n in dir(self._lib) if n not in UNVERIFIED_NAMES]


lib: Any = ffi.dlopen(_LIBRARY)
if UNVERIFIED_NAMES:
    CONSTANTS = {k: v for k, v in CONSTANTS.items() if k not in UNVERIFIED_NAMES}
    lib = _GuardedLib(lib)


def _choice() -> str:
    value = os.environ.get("SOCKAPI6_BACKEND", "auto").strip().lower() or "auto"
    if value not in _BACKENDS:
        raise ValueError(
            f"SOCKAPI6_BACKEND={value!r} is not one of {', '.join(_BACKENDS)}"
        )
    return value


_CHOICE = _choice()


def backend() -> str:
    """Return ``"libc"`` or ``"python"``: the backend the top-level functions prefer.

    Set by the ``SOCKAPI6_BACKEND`` environment variable at import:
    ``python`` forces the pure-Python RFC 3542 code everywhere; ``libc``
    and ``auto`` (the default) prefer libc wherever it has the function and
    handles the case, and still use the pure code where it does not (musl,
    Windows, routing header type 2).
    """
    return "python" if _CHOICE == "python" else "libc"


def _errno() -> int:
    return int(ffi.errno)


def _winsock_error() -> int:
    # Winsock reports through WSAGetLastError(), which reads the thread's GetLastError()
    return int(ffi.getwinerror()[0])


#: where the error code of the last failed libc call is read (the record's ``error_source``)
_ERROR_SOURCES = {"errno": _errno, "winsock": _winsock_error}

last_error = _ERROR_SOURCES[RECORD.facts.error_source]
"""Return the error code of the calling thread's last failed libc call (``errno``; Winsock's on Windows).

Read it right after the call that failed: any later call may overwrite it.
"""


def has_function(name: str) -> bool:
    """Return whether the running libc exports the declared function ``name``."""
    return hasattr(lib, name)
