"""Hop-by-Hop and Destination Options headers as Python values (RFC 8200 sections 4.2-4.6).

:class:`HopByHopOptions` and :class:`DestinationOptions` hold a tuple of
options and a Next Header value.  ``bytes(h)`` lays the options out with the
padding rule of RFC 3542 sections 10.2/10.3 (pure Python, the same bytes on
every OS and backend); ``Class.parse(data)`` reads a whole header back, as the
kernel delivers it in ``IPV6_HOPOPTS`` / ``IPV6_DSTOPTS`` ancillary data.

Layout rule (RFC 3542 section 10.2, RFC 8200 section 4.2 and appendix A):
each option carries an ``align`` of 1, 2, 4 or 8; Pad1/PadN is inserted in
front of it so that the **end** of the option falls on a multiple of
``align`` from the start of the header.  The named options follow the
largest-field-last rule, so their data starts aligned too and each lands on
its RFC alignment: Router Alert 2n+0, Jumbo Payload 4n+2, Home Address 8n+6,
Tunnel Encapsulation Limit none.  The header then ends with Pad1/PadN to a
multiple of 8 octets.  With ``autopad=False`` the caller owns the layout:
the options (explicit :class:`Pad1` / :class:`PadN` included) are written
one after the other, and only the final padding to 8 octets is added;
``parse(data, keep_padding=True)`` returns such a header, whose bytes are
exactly the ones parsed.

Every value object here has ``__slots__``, is immutable and hashable,
compares by value and has a ``repr`` that evaluates back to an equal object
with this module's names.  The classes live in private submodules: generic
options (``_options``), the named ones (``_named``), the headers
(``_headers``); the machinery they share with :mod:`sockapi6.routing` is in
:mod:`sockapi6._tlv` and :mod:`sockapi6._extheader`.
"""

from .._extheader import MAX_HEADER_LEN as MAX_HEADER_LEN
from .._extheader import NO_NEXT_HEADER as NO_NEXT_HEADER
from ._headers import DestinationOptions, HopByHopOptions, parse_options
from ._named import HomeAddress, JumboPayload, RouterAlert, RouterAlertValue, TunnelEncapsulationLimit
from ._options import Option, OptionAction, Pad1, PadN

__all__ = [
    "OptionAction",
    "Option",
    "Pad1",
    "PadN",
    "RouterAlert",
    "RouterAlertValue",
    "JumboPayload",
    "TunnelEncapsulationLimit",
    "HomeAddress",
    "HopByHopOptions",
    "DestinationOptions",
    "parse_options",
]

# pickles and documentation name the public module, not the private one a class lives in
for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
