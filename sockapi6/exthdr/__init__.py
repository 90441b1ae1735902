"""Hop-by-Hop and Destination Options headers as Python values (RFC 8200 sections 4.2-4.6).

:class:`HopByHopOptions` and :class:`DestinationOptions` hold a tuple of
options and a Next Header value.  ``bytes(h)`` lays the options out with the
padding rule of RFC 3542 sections 10.2/10.3 (pure Python, the same bytes on
every OS and backend); ``Class.parse(data)`` reads a whole header back, as the
kernel delivers it in ``IPV6_HOPOPTS`` / ``IPV6_DSTOPTS`` ancillary data.

Equality (the rule of all three TLV families: these options, the SRH TLVs
of :mod:`sockapi6.routing` and the options of :mod:`sockapi6.mobility`):
two objects of a family are equal exactly when their wire bytes are equal,
and then they hash alike.  A named option is a view of the generic one,
``Option(5, b"\\0\\0", align=2) == RouterAlert(0)``; an option's bytes are
its TLV alone, so ``Option(t, d, align=4) == Option(t, d)``, while the headers
built from them lay out different bytes and are unequal.  Two
``HopByHopOptions`` (or two ``DestinationOptions``) are equal exactly when
their bytes are, whatever options and ``autopad`` built them.  ``align`` and
padding are ways to *build* bytes, not part of an object's identity.

Parsing keeps the bytes: ``bytes(Class.parse(b)) == b`` for every
well-formed header up to 2048 octets, and ``Class.parse(bytes(h)) == h``.
When the padding of a parsed header is the one the layout rule below writes,
its options leave it out (a generic option gets the ``align`` that explains
the padding before it); otherwise its options are every item on the wire,
:class:`Pad1`/:class:`PadN` included, with ``autopad=False``.  Either way
its ``repr`` evaluates back to an equal header.

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
``parse(data, keep_padding=True)`` always returns that form.  Each option's
:attr:`~sockapi6._tlv.TLV.alignment` gives the RFCs' "xn+y" as ``(x, y)``,
the notation the three TLV families share.

Every value object here has ``__slots__``, is immutable and hashable, and
has a ``repr`` that evaluates back to an equal object with this module's
names (no other public class of sockapi6 shares them: the Mobility padding
options are ``MobilityPad1``/``MobilityPadN``, the SRH ones
``SRHPad1``/``SRHPadN``).  The classes live in private submodules: generic
options (``_options``), the named ones (``_named``), the headers
(``_headers``); the machinery they share with :mod:`sockapi6.routing` and
:mod:`sockapi6.mobility` is in :mod:`sockapi6._tlv` and
:mod:`sockapi6._extheader`.
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
