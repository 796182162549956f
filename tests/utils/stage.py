"""Run one test stage quietly and print one summary line; or print the verdict.

    stage.py run NAME -- COMMAND [ARG...]   run COMMAND, output to tests/output/logs/NAME.log
    stage.py verdict                        sum the stages run since `stage.py reset`
    stage.py reset                          forget earlier results (make test starts with it)

Expected failures (tests that check error messages make ansible print [ERROR]
and fatal lines) stay in the log file; the tail of the log is shown only when
the stage fails. Exit code: the command's, for `run`; 1 if any stage failed,
for `verdict`. Standard library only (runs before any virtualenv exists).
"""

import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOGS = os.path.join(ROOT, "tests", "output", "logs")
RESULTS = os.path.join(LOGS, "results.jsonl")
TAIL_LINES = 40

PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)\b")


def pytest_counts(text):
    """The counts of pytest's closing line ("3 failed, 550 passed, 2 skipped in 42.1s"), or None."""
    for line in reversed(text.splitlines()):
        if re.search(r"\b(passed|failed|errors?|skipped)\b.* in [\d.]+s", line):
            counts = {}
            for number, word in PYTEST_COUNT.findall(line):
                word = "errors" if word.startswith("error") else word
                counts[word] = counts.get(word, 0) + int(number)
            return counts
    return None


def describe(name, text, code):
    """The part of the summary line that says what ran: counts of tests, targets, ..."""
    counts = pytest_counts(text)
    if counts is not None:
        order = ("passed", "failed", "errors", "skipped", "xfailed", "xpassed")
        return ", ".join(f"{counts[key]} {key}" for key in order if counts.get(key)), counts
    targets = re.findall(r"^Running (\S+) integration test role", text, re.MULTILINE)
    if targets:
        return f"{len(targets)} targets {'ok' if code == 0 else 'run'}", None
    sanity = re.findall(r"^Running sanity test '([^']+)'", text, re.MULTILINE)
    if sanity:
        return f"{len(sanity)} tests {'ok' if code == 0 else 'run'}", None
    for line in reversed(text.splitlines()):  # a tool's own closing line, e.g. ansible-lint's
        if line.strip().startswith("Passed:") or line.strip().startswith("Failed:"):
            return line.strip(), None
    return ("ok" if code == 0 else ""), None


def run(name, command):
    os.makedirs(LOGS, exist_ok=True)
    log_path = os.path.join(LOGS, name + ".log")
    env = dict(os.environ)
    env.setdefault("LC_ALL", "C.UTF-8")  # ansible refuses (or warns about) a non-UTF-8 locale
    env["ANSIBLE_NOCOLOR"] = "1"
    env["PY_COLORS"] = "0"
    start = time.monotonic()
    with open(log_path, "w") as log:
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        try:
            code = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        except OSError as exc:
            log.write(f"cannot run {command[0]}: {exc}\n")
            code = 127
    seconds = time.monotonic() - start
    with open(log_path, errors="replace") as log:
        text = log.read()
    what, counts = describe(name, text, code)
    skipped = re.search(r"^skipped: (.*)$", text, re.MULTILINE)
    if skipped and code == 0:
        what, counts = f"skipped ({skipped.group(1)})", None
    using = re.search(r"^using: (.*)$", text, re.MULTILINE)
    if using:
        what = f"{what or 'ok'} [{using.group(1)}]"
    relative_log = os.path.relpath(log_path, ROOT)
    if code == 0:
        line = f"{name}: {what or 'ok'} ({seconds:.0f} s)"
    else:
        tail = text.splitlines()[-TAIL_LINES:]
        print(f"---- {name} failed; the last {len(tail)} lines of {relative_log}:")
        print("\n".join(tail))
        print("----")
        details = ", " + what if what else ""
        line = f"{name}: FAILED{details} (exit {code}, {seconds:.0f} s; full log: {relative_log})"
    print(line, flush=True)
    with open(RESULTS, "a") as results:
        results.write(json.dumps({"stage": name, "code": code, "line": line, "counts": counts}) + "\n")
    return code


def verdict():
    stages = []
    if os.path.exists(RESULTS):
        with open(RESULTS) as results:
            stages = [json.loads(line) for line in results if line.strip()]
    print()
    print(f"Summary (logs in {os.path.relpath(LOGS, ROOT)}):")
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    for stage in stages:
        print("  " + stage["line"])
        for key, value in (stage["counts"] or {}).items():
            key = "failed" if key == "errors" else key
            if key in totals:
                totals[key] += value
    failed = [stage["stage"] for stage in stages if stage["code"] != 0]
    if not stages:
        failed = ["(no stage ran)"]
    print(f"{totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
    print(f"FAILED: {', '.join(failed)}" if failed else "PASSED")
    return 1 if failed else 0


def main(argv):
    if argv[:1] == ["run"] and len(argv) >= 4 and argv[2] == "--":
        return run(argv[1], argv[3:])
    if argv == ["verdict"]:
        return verdict()
    if argv == ["reset"]:
        if os.path.exists(RESULTS):
            os.remove(RESULTS)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
