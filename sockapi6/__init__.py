"""sockapi6: the IPv6 advanced socket API (RFC 3493, 3542, 3678, 4584, 5014) for Python.

Three layers, one package:

* the thin binding: :data:`ffi` and :data:`lib` with every struct and constant
  of the running OS under its C name (constants are also attributes of this
  module, and absent where the OS lacks them, as in C);
* the C-port layer: ``inet6_opt_*``, ``inet6_rth_*``, ``IN6_IS_ADDR_*`` with
  C's names, argument order and return codes;
* the Pythonic layer: addresses, socket options, ancillary data.

Nothing here compiles: libc is opened at run time through cffi's ABI mode.
"""

from __future__ import annotations

from . import errors
from ._binding import CONSTANTS as _CONSTANTS
from ._binding import PLATFORM, backend, ffi, lib
from .errors import Error, MalformedError, NotSupportedError

globals().update(_CONSTANTS)

__version__ = "0.1.0"

__all__ = [
    "PLATFORM",
    "Error",
    "MalformedError",
    "NotSupportedError",
    "backend",
    "errors",
    "ffi",
    "lib",
    *sorted(_CONSTANTS),
]
