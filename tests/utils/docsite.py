#!/usr/bin/env python3
"""Write docs/docsite/rst/*.rst from the Markdown guides in docs/, for antsibull-docs.

    .venv/bin/python tests/utils/docsite.py          rewrite the RST files
    .venv/bin/python tests/utils/docsite.py --check  exit 1 if one is missing or stale

The Markdown pages are the source (GitHub and Galaxy render them, and the tests
run their code blocks); antsibull-docs only reads RST from docs/docsite/rst/,
listed in docs/docsite/extra-docs.yml. Relative links become absolute links to the
repository (from galaxy.yml), since the docsite has no docs/examples/. The
conversion is pandoc's (pypandoc-binary, a test requirement).
"""

import os
import re
import sys

import pypandoc
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(ROOT, "docs")
RST_DIR = os.path.join(DOCS, "docsite", "rst")
LABEL_PREFIX = "ansible_collections.outscale.cloud.docsite."
DOCS_TEST_MARKER = re.compile(r"^\s*<!--\s*docs-test:.*-->\s*\n", re.MULTILINE)
LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)\s]+)\)")


def guides():
    """docs/*.md, new pages included, in name order."""
    return sorted(name[:-3] for name in os.listdir(DOCS) if name.endswith(".md"))


def label(name):
    return LABEL_PREFIX + name.replace("-", "_")


def repository_base():
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        galaxy = yaml.safe_load(handle)
    return galaxy["repository"].rstrip("/") + "/blob/main/docs/"


def to_rst(name):
    with open(os.path.join(DOCS, name + ".md"), encoding="utf-8") as handle:
        markdown = handle.read()
    markdown = DOCS_TEST_MARKER.sub("", markdown)
    base = repository_base()
    markdown = LINK.sub(lambda match: "](%s%s)" % (base, match.group(1)), markdown)
    body = pypandoc.convert_text(markdown, "rst", format="gfm-gfm_auto_identifiers", extra_args=["--wrap=preserve"])
    header = (".. Generated from docs/%s.md by tests/utils/docsite.py: edit the Markdown, then run it.\n\n"
              ".. _%s:\n\n" % (name, label(name)))
    return header + body


def main(argv):
    check = argv == ["--check"]
    stale = []
    os.makedirs(RST_DIR, exist_ok=True)
    wanted = set()
    for name in guides():
        path = os.path.join(RST_DIR, name + ".rst")
        wanted.add(path)
        text = to_rst(name)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current != text:
            stale.append(os.path.relpath(path, ROOT))
            if not check:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
    for name in os.listdir(RST_DIR):
        path = os.path.join(RST_DIR, name)
        if name.endswith(".rst") and path not in wanted:
            stale.append(os.path.relpath(path, ROOT) + " (no docs/%s.md)" % name[:-4])
            if not check:
                os.remove(path)
    if check and stale:
        print("stale, run tests/utils/docsite.py: %s" % ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
