# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 17: no Python file in plugins/ above 400 lines of code.

Lines of code are the non-blank lines that are not comments; docstrings count. In
plugins/modules/*.py the DOCUMENTATION, EXAMPLES and RETURN strings do not count:
they are the module's documentation (YAML), not code. A file over the limit is
split by responsibility into private module_utils files.
"""

import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIMIT = 400
DOC_STRINGS = {"DOCUMENTATION", "EXAMPLES", "RETURN"}


def plugin_files():
    for folder, dirs, files in os.walk(os.path.join(ROOT, "plugins")):
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                yield os.path.relpath(os.path.join(folder, name), ROOT)


def lines_of_code(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        text = handle.read()
    lines = text.splitlines()
    documentation = set()
    if os.path.basename(os.path.dirname(path)) == "modules":
        for node in ast.parse(text, path).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) in DOC_STRINGS for t in node.targets):
                documentation.update(range(node.lineno, node.end_lineno + 1))
    return sum(
        1
        for number, line in enumerate(lines, 1)
        if number not in documentation and line.strip() and not line.strip().startswith("#")
    )


@pytest.mark.parametrize("path", sorted(plugin_files()))
def test_no_plugin_file_above_400_lines_of_code(path):
    assert lines_of_code(path) <= LIMIT, f"{path}: {lines_of_code(path)} lines of code, over {LIMIT}; split it"


def test_the_count_leaves_out_comments_blank_lines_and_module_documentation(tmp_path):
    module = tmp_path / "plugins" / "modules" / "m.py"
    module.parent.mkdir(parents=True)
    module.write_text('# comment\n\nDOCUMENTATION = r"""\na: 1\n"""\nRETURN = "x"\n"""doc"""\nx = 1\n')
    assert lines_of_code(str(module)) == 2  # the docstring and x = 1
