"""Import cost of sockapi6 over ``import socket`` (design budget: at most 10 ms more).

Each figure is the median of fresh interpreters measured with ``-X importtime``:
the cumulative microseconds of the top-level ``sockapi6`` import, which already
excludes modules imported before it (``socket`` is imported first so its cost,
and that of what it pulls in, is not counted against us).

    python benchmarks/bench_import.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

#: bytecode is written and reused, as in a real install (this workplace sets PYTHONDONTWRITEBYTECODE)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _cumulative(code: str, module: str) -> int:
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                         capture_output=True, text=True, check=True, env=ENV).stderr
    for line in err.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise RuntimeError(f"{module} not in -X importtime output")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    _cumulative("import socket, sockapi6", "sockapi6")  # writes the bytecode once
    socket_us = [_cumulative("import socket", "socket") for _ in range(runs)]
    ours_us = [_cumulative("import socket, sockapi6", "sockapi6") for _ in range(runs)]
    s, o = statistics.median(socket_us), statistics.median(ours_us)
    print(f"python {sys.version.split()[0]}, {runs} fresh interpreters each (median)")
    print(f"import socket                    {s / 1000:7.2f} ms")
    verdict = "ok" if o < 10000 else "OVER"
    print(f"import sockapi6 (after socket)   {o / 1000:7.2f} ms   budget 10 ms  -> {verdict}")
    print(f"ratio sockapi6/socket            {o / s:7.2f}x")


if __name__ == "__main__":
    main()
