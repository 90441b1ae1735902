"""``python -m sockapi6 abi``: every constant, struct size and field offset for an OS.

Reads the generated declarations (no C parsing, no compiler), so the table of
any supported OS prints on any host: ``--platform darwin`` on Linux shows the
macOS numbers (RFC 3542 option values, RFC 3678 structs, ``sockaddr_in6``
with ``sin6_len``), and ``--arch`` picks the architecture, whose layouts
are computed for it (``--platform musl --arch mips``).  ``--json`` prints the same as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    """Print the ABI table and return the exit status (2 for an unknown platform)."""
    from ..abi import ALIASES, dump, format_text

    parser = argparse.ArgumentParser(
        prog="python -m sockapi6 abi",
        description="Print every constant, struct size and field offset declared for an OS.",
    )
    parser.add_argument(
        "--platform",
        metavar="NAME",
        help="one of: " + ", ".join(sorted(ALIASES)) + " (default: the running OS)",
    )
    parser.add_argument(
        "--arch",
        metavar="ARCH",
        help="x86_64, aarch64, arm, i386, mips, mipsel, ppc64le, riscv64, s390x "
             "(those the platform supports; default: the running architecture)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(sys.argv[2:] if argv is None else argv)
    try:
        table = dump(args.platform, args.arch)
    except ValueError as exc:
        print(f"python -m sockapi6 abi: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(table, indent=1))
    else:
        print(format_text(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
