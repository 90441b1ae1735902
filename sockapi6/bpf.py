"""Classic BPF socket filters: ``SO_ATTACH_FILTER`` / ``SO_DETACH_FILTER`` / ``SO_LOCK_FILTER`` (Linux).

A filter is a :class:`Program` of :class:`Instruction` values (``struct
sock_filter``: a 16-bit opcode, two 8-bit jump offsets, a 32-bit operand);
the kernel runs it on every packet queued to the socket and keeps the
number of bytes it returns (0 drops the packet).  The opcode encoding is
classic BPF's, the same on Linux and the BSDs (McCanne and Jacobson,
"The BSD Packet Filter", 1993); only Linux attaches it to ordinary sockets.

Where a filter starts reading depends on the socket: on a raw ``AF_INET6``
socket offset 0 is the transport header (for ICMPv6 the type byte: the
kernel has already consumed the IPv6 header and its extension headers);
on an ``AF_PACKET`` ``SOCK_DGRAM`` socket it is the IPv6 header; on an
``AF_PACKET`` ``SOCK_RAW`` socket on Ethernet it is the Ethernet header.
:func:`accept_icmpv6_types` builds the filter odhcpd and rdisc6 attach
("accept only ICMPv6 type T") for each of the three.

    attach_filter(sock, accept_icmpv6_types(ND_ROUTER_ADVERT))
    lock_filter(sock)          # no one can change it any more (EPERM)
"""

from __future__ import annotations

import struct
import sys
from typing import TYPE_CHECKING

from ._checks import check_int
from ._value import ValueObject

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

__all__ = [
    "Instruction", "Program", "stmt", "jump", "attach_filter", "detach_filter", "lock_filter",
    "get_filter", "accept_icmpv6_types",
]
# The opcode fields (BPF_LD ... SKF_LL_OFF) are attributes of this module, left out of
# __all__ so that a star import does not flood the importer's namespace.

# ---- opcode fields (the classic BPF encoding, identical in <linux/filter.h> and <net/bpf.h>)
BPF_LD, BPF_LDX, BPF_ST, BPF_STX, BPF_ALU, BPF_JMP, BPF_RET, BPF_MISC = range(8)
BPF_W, BPF_H, BPF_B = 0x00, 0x08, 0x10
BPF_IMM, BPF_ABS, BPF_IND, BPF_MEM, BPF_LEN, BPF_MSH = 0x00, 0x20, 0x40, 0x60, 0x80, 0xA0
BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND = 0x00, 0x10, 0x20, 0x30, 0x40, 0x50
BPF_LSH, BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR = 0x60, 0x70, 0x80, 0x90, 0xA0
BPF_JA, BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET = 0x00, 0x10, 0x20, 0x30, 0x40
BPF_K, BPF_X, BPF_A = 0x00, 0x08, 0x10
BPF_TAX, BPF_TXA = 0x00, 0x80
#: Linux's largest classic program (``BPF_MAXINSNS``, <linux/bpf_common.h>)
BPF_MAXINSNS = 4096
#: Linux's special offsets (<linux/filter.h>): ancillary data, the network header, the link layer
SKF_AD_OFF = -0x1000
SKF_NET_OFF = -0x100000
SKF_LL_OFF = -0x200000

#: ``struct sock_filter`` in host byte order: u16 code, u8 jt, u8 jf, u32 k
_INSN = struct.Struct("=HBBI")
_IPPROTO_ICMPV6 = 58
_ETH_P_IPV6 = 0x86DD
_IPV6_HEADER = 40
_ETHERNET_HEADER = 14
#: what ``accept_icmpv6_types`` accepts: (where the packet starts, bytes kept on a match)
_KINDS = ("icmpv6", "ipv6", "ethernet")
_ACCEPT_ALL = 0xFFFFFFFF


class Instruction(ValueObject):
    """One classic BPF instruction, ``struct sock_filter``: ``code``, ``jt``, ``jf``, ``k``.

    ``jt``/``jf`` are the instructions skipped when a conditional jump is
    true/false; ``k`` is the operand, taken modulo 2**32 so that negative
    offsets (``SKF_AD_OFF``) can be written as they are in C.
    """

    __slots__ = ("_code", "_jf", "_jt", "_k")
    _code: int
    _jt: int
    _jf: int
    _k: int

    def __init__(self, code: int, jt: int = 0, jf: int = 0, k: int = 0) -> None:
        object.__setattr__(self, "_code", check_int(code, 0, 0xFFFF, "code"))
        object.__setattr__(self, "_jt", check_int(jt, 0, 255, "jt"))
        object.__setattr__(self, "_jf", check_int(jf, 0, 255, "jf"))
        object.__setattr__(self, "_k", check_int(k, -(2 ** 31), 2 ** 32 - 1, "k") & 0xFFFFFFFF)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Instruction is immutable")

    code = property(lambda self: self._code, doc="The 16-bit opcode.")
    jt = property(lambda self: self._jt, doc="Instructions to skip when the jump condition holds.")
    jf = property(lambda self: self._jf, doc="Instructions to skip when it does not.")
    k = property(lambda self: self._k, doc="The 32-bit operand.")

    def _key(self) -> tuple[Any, ...]:
        return (self._code, self._jt, self._jf, self._k)

    def __repr__(self) -> str:
        return f"Instruction({self._code:#06x}, {self._jt}, {self._jf}, {self._k:#x})"

    def __bytes__(self) -> bytes:
        return _INSN.pack(self._code, self._jt, self._jf, self._k)

    @classmethod
    def from_bytes(cls, data: bytes) -> Instruction:
        """The instruction of 8 bytes in host byte order (a ``struct sock_filter``)."""
        if len(data) != _INSN.size:
            raise ValueError(f"a struct sock_filter is {_INSN.size} bytes, not {len(data)}")
        return cls(*_INSN.unpack(data))


def stmt(code: int, k: int = 0) -> Instruction:
    """C's ``BPF_STMT(code, k)``: an instruction that does not jump."""
    return Instruction(code, 0, 0, k)


def jump(code: int, k: int, jt: int, jf: int) -> Instruction:
    """C's ``BPF_JUMP(code, k, jt, jf)``: a conditional jump."""
    return Instruction(code, jt, jf, k)


class Program(ValueObject):
    """A classic BPF program: 1 to ``BPF_MAXINSNS`` instructions (``struct sock_fprog``).

    The constructor checks what the kernel's checker would refuse first: the
    length, jump targets inside the program, and a return as the last
    instruction.  ``bytes(program)`` is the array of ``struct sock_filter``.
    """

    __slots__ = ("_instructions",)
    _instructions: tuple[Instruction, ...]

    def __init__(self, instructions: Iterable[Instruction]) -> None:
        try:
            items = tuple(instructions)
        except TypeError:
            raise TypeError(f"instructions must be an iterable of Instruction, not "
                            f"{type(instructions).__name__}") from None
        for i, insn in enumerate(items):
            if not isinstance(insn, Instruction):
                raise TypeError(f"instruction {i} is a {type(insn).__name__}, not an Instruction")
        if not 1 <= len(items) <= BPF_MAXINSNS:
            raise ValueError(f"a program has 1..{BPF_MAXINSNS} instructions, not {len(items)}")
        last = len(items) - 1
        for i, insn in enumerate(items):
            if insn.code & 0x07 == BPF_JMP:
                reach = insn.k if insn.code & 0xF0 == BPF_JA else max(insn.jt, insn.jf)
                if i + 1 + reach > last:
                    raise ValueError(f"instruction {i} jumps past the end of the program")
        if items[-1].code & 0x07 != BPF_RET:
            raise ValueError("the last instruction must be a return (BPF_RET)")
        object.__setattr__(self, "_instructions", items)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Program is immutable")

    @property
    def instructions(self) -> tuple[Instruction, ...]:
        """The instructions, in order."""
        return self._instructions

    def __len__(self) -> int:
        return len(self._instructions)

    def __iter__(self) -> Any:
        return iter(self._instructions)

    def _key(self) -> tuple[Any, ...]:
        return (self._instructions,)

    def __repr__(self) -> str:
        return f"Program([{', '.join(map(repr, self._instructions))}])"

    def __bytes__(self) -> bytes:
        return b"".join(bytes(i) for i in self._instructions)

    @classmethod
    def from_bytes(cls, data: bytes) -> Program:
        """The program whose ``struct sock_filter`` array is ``data``."""
        if len(data) % _INSN.size:
            raise ValueError(f"a filter array is a multiple of {_INSN.size} bytes, not {len(data)}")
        return cls(Instruction(*_INSN.unpack_from(data, i)) for i in range(0, len(data), _INSN.size))


def accept_icmpv6_types(*types: int, packet_start: str = "icmpv6") -> Program:
    """The filter that accepts only ICMPv6 messages of ``types`` (what odhcpd and rdisc6 attach).

    ``packet_start`` says where the socket's packets begin:

    * ``"icmpv6"``: a raw ``AF_INET6``/``IPPROTO_ICMPV6`` socket (the type is byte 0);
    * ``"ipv6"``: an ``AF_PACKET`` ``SOCK_DGRAM`` socket for ``ETH_P_IPV6``
      (odhcpd's; the filter checks Next Header 58 and reads the type at 40);
    * ``"ethernet"``: an ``AF_PACKET`` ``SOCK_RAW`` socket on Ethernet (also
      checks the EtherType 0x86dd).

    The link-level forms look at the IPv6 header's Next Header only: an
    ICMPv6 message behind extension headers (a Hop-by-Hop header with a
    Router Alert, as MLD carries) is dropped, as in odhcpd's filter.
    """
    if packet_start not in _KINDS:
        raise ValueError(f"packet_start must be one of {', '.join(_KINDS)}, not {packet_start!r}")
    if not types:
        raise ValueError("give at least one ICMPv6 type")
    wanted = [check_int(t, 0, 255, "ICMPv6 type") for t in types]
    # (load, value it must equal) before the type is read: the EtherType, then the Next Header
    guards: list[tuple[Instruction, int]] = []
    base = 0
    if packet_start == "ethernet":
        guards.append((stmt(BPF_LD | BPF_H | BPF_ABS, 12), _ETH_P_IPV6))
        base = _ETHERNET_HEADER
    if packet_start != "icmpv6":
        guards.append((stmt(BPF_LD | BPF_B | BPF_ABS, base + 6), _IPPROTO_ICMPV6))
        base += _IPV6_HEADER
    n = len(wanted)
    drop = 2 * len(guards) + 1 + n          # index of "return 0"; "accept" follows it
    code: list[Instruction] = []
    for load, value in guards:
        code.append(load)
        code.append(jump(BPF_JMP | BPF_JEQ | BPF_K, value, 0, drop - len(code) - 1))
    code.append(stmt(BPF_LD | BPF_B | BPF_ABS, base))
    for i, t in enumerate(wanted):         # a match jumps to "accept"; a miss tries the next type
        code.append(jump(BPF_JMP | BPF_JEQ | BPF_K, t, n - i, 0))
    code.append(stmt(BPF_RET | BPF_K, 0))
    code.append(stmt(BPF_RET | BPF_K, _ACCEPT_ALL))
    return Program(code)


# ---- the socket calls ----------------------------------------------------

def _fprog(program: Program) -> tuple[Any, Any, Any]:
    from ._system.binding import ffi

    raw = bytes(program)
    array = ffi.new("struct sock_filter[]", len(program))
    ffi.memmove(array, raw, len(raw))
    fprog = ffi.new("struct sock_fprog *")
    fprog.len = len(program)
    fprog.filter = array
    return fprog, array, ffi.sizeof("struct sock_fprog")


def _option(name: str, what: str) -> tuple[int, int]:
    from ._system.binding import CONSTANTS, PLATFORM
    from .errors import NotSupportedError

    number = CONSTANTS.get(name)
    if number is None:
        raise NotSupportedError(f"{name} ({what})",
                                reason=f"classic BPF socket filters are a Linux facility; {PLATFORM} "
                                       "filters through /dev/bpf instead")
    return CONSTANTS["SOL_SOCKET"], number


def _setsockopt(sock: Any, name: str, what: str, value: Any, size: int) -> None:
    from ._system.binding import last_error, lib
    from ._system.descriptors import fileno
    from ._system.oserror import call_error

    level, number = _option(name, what)
    fd = fileno(sock)
    if lib.setsockopt(fd, level, number, value, size) != 0:
        raise call_error(last_error(), f"setsockopt(SOL_SOCKET, {name})", f"{name} ({what})")


def attach_filter(sock: Any, program: Program) -> None:
    """Attach ``program`` to ``sock`` (``SO_ATTACH_FILTER``), replacing any filter it had.

    The kernel checks the program (EINVAL for one it refuses) and, on a
    locked socket, refuses the change (EPERM).
    """
    if not isinstance(program, Program):
        raise TypeError(f"program must be a Program, not {type(program).__name__}")
    fprog, _array, size = _fprog(program)  # _array keeps the instructions alive during the call
    _setsockopt(sock, "SO_ATTACH_FILTER", "attach_filter", fprog, size)


def detach_filter(sock: Any) -> None:
    """Remove the socket's filter (``SO_DETACH_FILTER``); ENOENT when it has none, EPERM when locked."""
    from ._system.binding import ffi

    _setsockopt(sock, "SO_DETACH_FILTER", "detach_filter", ffi.new("int *", 0), ffi.sizeof("int"))


def lock_filter(sock: Any, locked: bool = True) -> None:
    """Lock the socket's filter (``SO_LOCK_FILTER``): once locked it cannot be changed or removed.

    Unlocking (``locked=False``) a locked socket is refused (EPERM): the
    lock is one way, for a privileged process that hands the socket on.
    """
    from ._system.binding import ffi

    if not isinstance(locked, (bool, int)):
        raise TypeError(f"locked must be a bool, not {type(locked).__name__}")
    _setsockopt(sock, "SO_LOCK_FILTER", "lock_filter", ffi.new("int *", 1 if locked else 0),
                ffi.sizeof("int"))


def get_filter(sock: Any) -> Program | None:
    """The filter attached to ``sock`` (``SO_GET_FILTER``), or None when it has none.

    Linux counts ``optlen`` in instructions here, not bytes: the first call
    asks for the count, the second reads that many instructions.
    """
    from ._system.binding import ffi, last_error, lib
    from ._system.descriptors import fileno
    from ._system.oserror import call_error

    level, number = _option("SO_ATTACH_FILTER", "get_filter")
    fd = fileno(sock)
    length = ffi.new("socklen_t *", 0)
    if lib.getsockopt(fd, level, number, ffi.NULL, length) != 0:
        raise call_error(last_error(), "getsockopt(SOL_SOCKET, SO_GET_FILTER)", "SO_GET_FILTER (get_filter)")
    count = int(length[0])
    if count == 0:
        return None
    buf = ffi.new("struct sock_filter[]", count)
    length[0] = count
    if lib.getsockopt(fd, level, number, buf, length) != 0:
        raise call_error(last_error(), "getsockopt(SOL_SOCKET, SO_GET_FILTER)", "SO_GET_FILTER (get_filter)")
    got = min(int(length[0]), count)
    return Program.from_bytes(ffi.buffer(buf, got * _INSN.size)[:])


if sys.byteorder not in ("little", "big"):  # pragma: no cover - Python has no third
    raise ImportError("unknown byte order")
