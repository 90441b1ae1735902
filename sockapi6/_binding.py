"""Load this OS's declarations and libc: ``ffi``, ``lib`` and the backend switch.

The declarations are out-of-line cffi ABI modules generated from ``cdefs/``
(``sockapi6/_abi/<platform>.py``); libc is opened at run time, so nothing is
compiled at install.  A function the running libc lacks is absent from
``lib`` (``hasattr(lib, "inet6_opt_init")`` is False on musl); note that
``dir(lib)`` lists every declared name all the same.

This module and ``tools/gen_abi.py`` are the only places that look at
``sys.platform``; everything else reads the tables here.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

__all__ = [
    "ffi", "lib", "PLATFORM", "PLATFORM_DESCRIPTION", "backend", "abi_module", "PLATFORMS", "last_error",
]

#: every platform whose declarations ship with the package
PLATFORMS: tuple[str, ...] = (
    "linux_glibc", "linux_musl", "darwin", "freebsd", "netbsd", "openbsd", "windows",
)

#: sys.platform prefix -> (declarations module, or None to ask the libc; library to dlopen)
_HOSTS: tuple[tuple[str, Any, Any], ...] = (
    ("linux", None, None),
    ("darwin", "darwin", None),
    ("freebsd", "freebsd", None),
    ("netbsd", "netbsd", None),
    ("openbsd", "openbsd", None),
    ("win32", "windows", "ws2_32.dll"),
)

_BACKENDS = ("auto", "libc", "python")


def _linux_variant() -> str:
    """Return ``linux_glibc`` or ``linux_musl`` for the running C library."""
    try:
        glibc = os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError, AttributeError):
        glibc = None
    return "linux_glibc" if glibc else "linux_musl"


def _host() -> tuple[str, Any]:
    for prefix, module, library in _HOSTS:
        if sys.platform.startswith(prefix):
            return (module or _linux_variant()), library
    raise ImportError(f"sockapi6 has no declarations for sys.platform={sys.platform!r}")


def abi_module(platform: str) -> ModuleType:
    """Return the generated declarations module of ``platform`` (any of :data:`PLATFORMS`)."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}; choose from {', '.join(PLATFORMS)}")
    return import_module(f"sockapi6._abi.{platform}")


PLATFORM, _LIBRARY = _host()
PLATFORM_DESCRIPTION = PLATFORM.replace("_", " (", 1) + ")" if "_" in PLATFORM else PLATFORM
_abi = abi_module(PLATFORM)
ffi = _abi.ffi
lib = ffi.dlopen(_LIBRARY)
CONSTANTS: dict[str, int] = _abi.CONSTANTS
FUNCTIONS: tuple[str, ...] = _abi.FUNCTIONS
TYPES: tuple[str, ...] = _abi.TYPES


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


#: where the error code of the last failed libc call is read, per platform
_ERROR_SOURCES = {"windows": _winsock_error}

last_error = _ERROR_SOURCES.get(PLATFORM, _errno)
"""Return the error code of the calling thread's last failed libc call (``errno``; Winsock's on Windows).

Read it right after the call that failed: any later call may overwrite it.
"""


def has_function(name: str) -> bool:
    """Return whether the running libc exports the declared function ``name``."""
    return hasattr(lib, name)
