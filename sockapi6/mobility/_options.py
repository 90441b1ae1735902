"""Mobility options (RFC 6275 section 6.2): type-length-value items after a message's fixed fields.

They are the third family of :mod:`sockapi6._tlv` (with extension-header
options and SRH TLVs): :class:`MobilityOption` is the family, the named
classes (:class:`BindingRefreshAdvice`, :class:`AlternateCareofAddress`,
:class:`NonceIndices`, :class:`BindingAuthorizationData`) are views of the
generic :class:`UnknownMobilityOption`, and two options are equal exactly
when their wire bytes are (``UnknownMobilityOption(2, b"\\0\\5") ==
BindingRefreshAdvice(5)``).  Each named class states its RFC alignment in
``ALIGN`` as ``(x, y)``, "xn+y" from the start of the Mobility Header;
:func:`align` inserts the :class:`MobilityPad1` / :class:`MobilityPadN` that
section 6.2 requires, and :func:`parse_options` reads options back, padding
included, as received.  The padding classes carry the family's name so that
they do not share a name with :class:`sockapi6.exthdr.Pad1`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import address, int_in, octets, u16
from .._tlv import NO_ALIGNMENT, TLV, Pad1Mixin, PadNMixin, TLVFormat, data_field, paddings, tlv_type
from .._wire import REQUIRED, field

if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv6Address
    from typing import Any, Optional

__all__ = [
    "MobilityOption", "MobilityPad1", "MobilityPadN", "BindingRefreshAdvice", "AlternateCareofAddress",
    "NonceIndices", "BindingAuthorizationData", "UnknownMobilityOption", "parse_options",
]



class MobilityOption(TLV):
    """A mobility option (RFC 6275 section 6.2.1): ``bytes(opt)`` is its type-length-value encoding.

    The base of the family; :class:`UnknownMobilityOption` is its generic
    class.  ``ALIGN = (x, y)`` is the requirement "xn+y" on the option's
    offset from the start of the Mobility Header.
    """

    __slots__ = ()
    _KIND = "mobility option"
    _PADN_TYPE = 1
    _PADS = "MobilityPad1() / MobilityPadN(n)"

    def __init__(self) -> None:
        raise TypeError("mobility.MobilityOption is the family of the mobility options: build "
                        "UnknownMobilityOption(type, value) or a named class")


class MobilityPad1(Pad1Mixin, MobilityOption):
    """One octet of padding, the Pad1 mobility option (RFC 6275 section 6.2.2)."""

    __slots__ = ()


class MobilityPadN(PadNMixin, MobilityOption):
    """Two or more octets of padding, the PadN mobility option (RFC 6275 section 6.2.3).

    ``MobilityPadN(n)`` is n zero data octets; ``MobilityPadN(data)`` keeps
    given octets (receivers ignore them), as :func:`parse_options` does.
    """

    __slots__ = ()

    @property
    def padding(self) -> bytes:
        """The Option Data (zeros when sent)."""
        return self._data


class UnknownMobilityOption(MobilityOption):
    """The generic mobility option: any ``type`` (2..255) and its Option Data ``value`` (RFC 6275 6.2.1).

    :func:`parse_options` gives it for types this module has no class for;
    it equals the named option of the same bytes.  A type that has a class
    of its own must have the Option Length its RFC gives (what
    :func:`parse_options` requires).
    """

    __slots__ = ()
    type: int = field("", tlv_type(1, "mobility option", "MobilityPad1() / MobilityPadN(n)"), REQUIRED,
                      "the 8-bit option type (0 and 1 are MobilityPad1 and MobilityPadN)")
    value: bytes = field("", data_field, b"", "the Option Data, 0..255 octets")

    def _get_type(self) -> int:
        return self._type

    def _get_value(self) -> bytes:
        return self._data

    def _assemble(self, *values: Any) -> None:
        self._set(values[0], values[1], NO_ALIGNMENT)

    def _check(self) -> None:
        named = _NAMED.get(self._type)
        if named is not None and not named._accepts(self._data):
            raise ValueError(f"value must be {named.SIZE} octets for type {self._type} "
                             f"({named.__name__}, RFC 6275 section 6.2), not {len(self._data)}")


class BindingRefreshAdvice(MobilityOption):
    """Binding Refresh Advice (RFC 6275 section 6.2.4, alignment 2n)."""

    __slots__ = ()
    TYPE, SIZE, ALIGN = 2, 2, (2, 0)
    interval: int = field("H", u16, REQUIRED, "the Refresh Interval, in units of 4 seconds")


class AlternateCareofAddress(MobilityOption):
    """Alternate Care-of Address (RFC 6275 section 6.2.5, alignment 8n+6)."""

    __slots__ = ()
    TYPE, SIZE, ALIGN = 3, 16, (8, 6)
    address: IPv6Address = field("16s", address, REQUIRED, "the alternate care-of address (an IPv6Address, "
                                 "its text or its 16 bytes; a scope is dropped)")


class NonceIndices(MobilityOption):
    """Nonce Indices (RFC 6275 section 6.2.6, alignment 2n)."""

    __slots__ = ()
    TYPE, SIZE, ALIGN = 4, 4, (2, 0)
    home_nonce_index: int = field("H", u16, REQUIRED, "the Home Nonce Index")
    careof_nonce_index: int = field("H", u16, REQUIRED, "the Care-of Nonce Index")


class BindingAuthorizationData(MobilityOption):
    """Binding Authorization Data (RFC 6275 section 6.2.7, the last option, alignment 8n+2)."""

    __slots__ = ()
    TYPE, ALIGN = 5, (8, 2)
    authenticator: bytes = field("*", data_field, REQUIRED, "the Authenticator")


_NAMED = {cls.TYPE: cls for cls in (BindingRefreshAdvice, AlternateCareofAddress, NonceIndices,
                                     BindingAuthorizationData)}
#: mobility options: Pad1 and PadN (type 1); a known type with a wrong Option Length is malformed
OPTIONS = TLVFormat(UnknownMobilityOption, MobilityPad1, MobilityPadN, _NAMED.values(), paddings(1),
                    strict=True)


def align(options: Iterable[MobilityOption], start: int) -> tuple[MobilityOption, ...]:
    """Insert Pad1/PadN where an option's alignment or the 8-octet total needs them (RFC 6275 6.2).

    ``start`` is the offset of the first option from the start of the
    Mobility Header; padding options given are kept where they are.
    """
    return OPTIONS.layout(options, start)


def parse_options(data: bytes, start: int = 0, end: Optional[int] = None) -> tuple[MobilityOption, ...]:
    """Read the mobility options in ``data[start:end]`` (RFC 6275 6.2), padding included.

    Offsets in errors count from ``data[0]``.  ``TypeError`` for ``data``
    that is not bytes-like, ``ValueError`` for ``start``/``end`` outside it,
    :class:`MalformedError` for an option that overruns ``end`` or a known
    type with an Option Length its RFC does not give.
    """
    raw = octets(data, "mobility.parse_options: data")
    stop = len(raw) if end is None else int_in(end, 0, len(raw), "mobility.parse_options: end")
    first = int_in(start, 0, stop, "mobility.parse_options: start")
    return OPTIONS.read(raw, first, stop, 0, lean=False)[0]
