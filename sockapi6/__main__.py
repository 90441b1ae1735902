"""``python -m sockapi6 COMMAND``: each command is a module ``sockapi6.cli.<command>`` with ``main(argv)``."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

#: command -> one line of help; the module sockapi6.cli.<command> implements it
COMMANDS = {
    "info": "report this system: OS, libc, backend, functions found, options the kernel accepts",
    "abi": "print every constant, struct size and field offset for an OS (--platform, --json)",
    "demo": "send datagrams with ancillary data on ::1 and show what the kernel delivered",
    "watch": "listen on a UDP port or raw protocol and print each datagram with its ancillary data",
    "send": "send one datagram with chosen ancillary items",
}


def _command(name: str) -> ModuleType:
    """Import the module of command ``name`` (one of :data:`COMMANDS`)."""
    if name == "info":
        from .cli import info

        return info
    if name == "abi":
        from .cli import abi

        return abi
    if name == "demo":
        from .cli import demo

        return demo
    if name == "watch":
        from .cli import watch

        return watch
    if name == "send":
        from .cli import send

        return send
    raise ModuleNotFoundError(f"no command {name!r}")


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit status."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m sockapi6 COMMAND [options]\n\ncommands:")
        for name, text in COMMANDS.items():
            print(f"  {name:<6} {text}")
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"unknown command {name!r}; try: python -m sockapi6 --help", file=sys.stderr)
        return 2
    try:
        module = _command(name)
    except ModuleNotFoundError:
        print(f"command {name!r} is not available in this build", file=sys.stderr)
        return 2
    try:
        result: int = module.main(rest)
        sys.stdout.flush()
    except BrokenPipeError:  # `python -m sockapi6 abi | head`: the reader left, not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
