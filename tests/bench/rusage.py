# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interpreter wrapper that measures the module process.

Ansible runs a module as ``<interpreter> .../AnsiballZ_<name>.py``; the
benchmark sets ansible_python_interpreter to a shell script that runs
``python rusage.py REAL_PYTHON <args>``. This wrapper runs the real interpreter
as its only child, passing stdin/stdout/stderr through untouched, waits for it,
and appends one JSON line to $OSC_RUSAGE_FILE with the child's figures from
getrusage(RUSAGE_CHILDREN): user and system CPU seconds and peak RSS (ru_maxrss,
KiB on Linux). The wrapper's own start-up is not in those figures. AnsiballZ
runs the module inside that same process (ansible-core 2.19), so the figures
are the module's, Python start-up and AnsiballZ unpacking included.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time


def main():
    real_python, args = sys.argv[1], sys.argv[2:]
    started = time.monotonic()
    returncode = subprocess.call([real_python] + args)
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    target = os.environ.get("OSC_RUSAGE_FILE")
    if target:
        module = next((os.path.basename(arg) for arg in args if "AnsiballZ_" in arg), " ".join(args)[:80])
        line = json.dumps(
            {
                "module": module,
                "wall": wall,
                "user": usage.ru_utime,
                "system": usage.ru_stime,
                "cpu": usage.ru_utime + usage.ru_stime,
                "maxrss_kib": usage.ru_maxrss,
                "rc": returncode,
            }
        )
        with open(target, "a") as handle:
            handle.write(line + "\n")
    sys.exit(returncode)


if __name__ == "__main__":
    main()
