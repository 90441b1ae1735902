"""Import cost of sockapi6 over ``import socket`` (design budget: at most 10 ms more).

Each figure is the median of fresh interpreters measured with ``-X importtime``:
the cumulative microseconds of the top-level ``sockapi6`` import, which already
excludes modules imported before it (``socket`` is imported first so its cost,
and that of what it pulls in, is not counted against us).

The interpreters run isolated (``python -I``): no ``PYTHONPATH``, no user site,
and so no ``.pth`` file of some other package that imports ``typing`` (or
``re``, ...) before us and hides what sockapi6 itself costs.  Run it with the
Python of a clean venv holding only cffi.  It measures the sockapi6 it finds
next to this file (the source tree), unless ``--installed`` asks for the one
the interpreter has installed.

    python benchmarks/bench_import.py [--installed] [runs]
"""

from __future__ import annotations

import os
import pathlib
import statistics
import subprocess
import sys

#: bytecode is written and reused, as in a real install (this workplace sets PYTHONDONTWRITEBYTECODE)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ROOT = pathlib.Path(__file__).resolve().parent.parent


def _cumulative(code: str, module: str) -> int:
    err = subprocess.run([sys.executable, "-I", "-X", "importtime", "-c", code],
                         capture_output=True, text=True, check=True, env=ENV).stderr
    for line in err.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise RuntimeError(f"{module} not in -X importtime output")


def main() -> None:
    args = sys.argv[1:]
    installed = "--installed" in args
    args = [a for a in args if a != "--installed"]
    runs = int(args[0]) if args else 15
    # sys is loaded before any import is timed, so putting the tree on the path costs nothing measured
    prefix = "" if installed else f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
    _cumulative(prefix + "import socket, sockapi6", "sockapi6")  # writes the bytecode once
    socket_us = [_cumulative(prefix + "import socket", "socket") for _ in range(runs)]
    ours_us = [_cumulative(prefix + "import socket, sockapi6", "sockapi6") for _ in range(runs)]
    s, o = statistics.median(socket_us), statistics.median(ours_us)
    where = "installed" if installed else str(ROOT)
    print(f"python {sys.version.split()[0]} -I, {runs} fresh interpreters each (median)")
    print(f"sockapi6 from {where}")
    print(f"import socket                    {s / 1000:7.2f} ms")
    verdict = "ok" if o < 10000 else "OVER"
    print(f"import sockapi6 (after socket)   {o / 1000:7.2f} ms   budget 10 ms  -> {verdict}")
    print(f"ratio sockapi6/socket            {o / s:7.2f}x")


if __name__ == "__main__":
    main()
