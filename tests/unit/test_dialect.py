# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One dialect for strings: f-strings, never ``"..." % x`` nor ``"...".format(x)``.

ruff's UP031/UP032 (on in ruff.toml) catch the cases they can fix safely; this
test catches the rest, in plugins/ and tests/. A template kept in a variable
(GENERIC_ADVICE) may still be filled with .format: only literals are refused.
"""

import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIPPED = {"output", ".venv", "__pycache__"}


def python_files():
    for top in ("plugins", "tests"):
        for folder, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = [name for name in dirs if name not in SKIPPED and not name.startswith(".venv")]
            for name in files:
                if name.endswith(".py"):
                    yield os.path.join(folder, name)


def old_formatting(path):
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        literal = None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            literal = node.left
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            literal = node.func.value
        if isinstance(literal, ast.Constant) and isinstance(literal.value, (str, bytes)):
            yield f"{os.path.relpath(path, ROOT)}:{node.lineno}"


def test_no_percent_or_format_on_string_literals():
    found = [place for path in python_files() for place in old_formatting(path)]
    assert found == [], "use f-strings: " + ", ".join(found)
