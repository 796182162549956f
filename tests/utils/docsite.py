"""Write docs/docsite/rst/*.rst and extra-docs.yml from the Markdown guides in docs/.

    .venv/bin/python tests/utils/docsite.py          rewrite them
    .venv/bin/python tests/utils/docsite.py --check  exit 1 if one is missing, stale or
                                                     garbled (make lint)

The Markdown pages are the source (GitHub and Galaxy render them, and the tests
run their code blocks); antsibull-docs only reads RST from docs/docsite/rst/,
listed in docs/docsite/extra-docs.yml. The conversion is pandoc's (pypandoc-binary,
a test requirement), on pandoc's document tree, where two things are fixed:

- a link to another guide (``credentials.md``, ``net_peering.md#cross-account``)
  becomes a ``:ref:`` to that page, or to the label of that section, so it stays
  on the docsite; every heading gets a label named like GitHub's anchor for it
  (``ansible_collections.outscale.cloud.docsite.net_peering.cross-account``). Other
  relative links (docs/examples/, docs/awx/) become links to the repository
  (from galaxy.yml), since the docsite has no copy of those files;
- RST cannot nest inline markup: ``**the `x` option**`` would show its
  backquotes. Bold or italic text holding code or a link is split around them
  (``**the** ``x`` **option**``).

The check also parses each RST page and fails on a span that RST would show
garbled (markup left visible, any docutils warning) and on a link from a guide
to the GitHub copy of another guide.
"""

import json
import os
import posixpath
import re
import sys
import unicodedata

import docutils.core
import docutils.nodes
import docutils.parsers.rst.roles
import pypandoc
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(ROOT, "docs")
RST_DIR = os.path.join(DOCS, "docsite", "rst")
LABEL_PREFIX = "ansible_collections.outscale.cloud.docsite."
DOCS_TEST_MARKER = re.compile(r"^\s*<!--\s*docs-test:.*-->\s*\n", re.MULTILINE)
EXTRA_DOCS = os.path.join(DOCS, "docsite", "extra-docs.yml")
# The reading order of the docsite's Guides section; other pages follow, by name.
FIRST = ["getting-started", "credentials", "net_peering", "inventory", "troubleshooting", "testing-offline", "awx"]
MARKDOWN_FORMAT = "gfm-gfm_auto_identifiers"
# Inlines that RST cannot nest inside bold or italic text.
UNNESTABLE = {"Code", "Link", "RawInline", "Strong", "Emph", "Image", "Math"}
BLANK = {"Space", "SoftBreak", "LineBreak"}


class DocsiteError(Exception):
    pass


def guides():
    """docs/*.md, new pages included, in name order."""
    return sorted(name[:-3] for name in os.listdir(DOCS) if name.endswith(".md"))


def label(name, anchor=None):
    page = LABEL_PREFIX + name.replace("-", "_")
    return f"{page}.{anchor}" if anchor else page


def repository_base():
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        galaxy = yaml.safe_load(handle)
    return galaxy["repository"].rstrip("/") + "/blob/main/"


def read_markdown(name):
    with open(os.path.join(DOCS, name + ".md"), encoding="utf-8") as handle:
        return DOCS_TEST_MARKER.sub("", handle.read())


def document(name, markdown=None):
    markdown = read_markdown(name) if markdown is None else markdown
    return json.loads(pypandoc.convert_text(markdown, "json", format=MARKDOWN_FORMAT))


def plain_text(inlines):
    """The text of inlines, markup dropped (as GitHub reads a heading for its anchor)."""
    parts = []
    for item in inlines:
        kind, content = item["t"], item.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in BLANK:
            parts.append(" ")
        elif kind in ("Code", "Math", "RawInline"):
            parts.append(content[1])
        elif kind in ("Link", "Image", "Span", "Cite"):
            parts.append(plain_text(content[1] if kind != "Cite" else content[1]))
        elif kind == "Quoted":
            parts.append(plain_text(content[1]))
        elif isinstance(content, list):
            parts.append(plain_text(content))
    return "".join(parts)


def github_anchor(text):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = text.strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def headings(blocks):
    """[(Header block, anchor)] in document order, repeated anchors numbered as GitHub does."""
    found, seen = [], {}
    for block in blocks:
        if block["t"] == "Header":
            anchor = github_anchor(plain_text(block["c"][2]))
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            found.append((block, f"{anchor}-{count}" if count else anchor))
    return found


_anchors = {}


def anchors_of(name):
    if name not in _anchors:
        _anchors[name] = {anchor for _block, anchor in headings(document(name)["blocks"])}
    return _anchors[name]


def rst_ref(text, target):
    """A :ref:; a link whose text is a file name (``credentials.md``) shows the title of the page or section."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text or re.match(r"^[\w.-]+\.md(#\S*)?$", text):
        return {"t": "RawInline", "c": ["rst", f":ref:`{target}`"]}
    escaped = re.sub(r"([`<>\\])", r"\\\1", text)
    return {"t": "RawInline", "c": ["rst", f":ref:`{escaped} <{target}>`"]}


def convert_link(item, page, own_anchors):
    """A link to another guide (or a section of this one): a :ref:. Another relative link: the repository."""
    attr, inlines, (url, title) = item["c"]
    if re.match(r"^(https?|mailto):", url):
        return item
    path, _hash, anchor = url.partition("#")
    target = page if not path else None
    if path.endswith(".md") and "/" not in path:
        target = path[:-3]
        if target not in guides():
            raise DocsiteError(f"docs/{page}.md links to {url}, but there is no docs/{path}")
    if target is not None:
        if anchor and anchor not in (own_anchors if target == page else anchors_of(target)):
            raise DocsiteError(f"docs/{page}.md links to {url}, but docs/{target}.md has no heading with that anchor")
        return rst_ref(plain_text(inlines), label(target, anchor or None))
    location = posixpath.normpath(posixpath.join("docs", path)) + ("/" if path.endswith("/") else "")
    return {"t": "Link", "c": [attr, inlines, [repository_base() + location + (f"#{anchor}" if anchor else ""), title]]}


def split_markup(item):
    """Bold or italic text around code or links, as RST can show it: the markup stops at each."""
    kind, result, run = item["t"], [], []

    def flush():
        start, end = 0, len(run)
        while start < end and run[start]["t"] in BLANK:
            start += 1
        while end > start and run[end - 1]["t"] in BLANK:
            end -= 1
        result.extend(run[:start])
        words = run[start:end]
        # Punctuation alone (the "." after a literal) is not worth its own markup, and RST
        # would not see it as markup right after a literal anyway.
        if any(c.isalnum() for c in plain_text(words)):
            result.append({"t": kind, "c": words})
        else:
            result.extend(words)
        result.extend(run[end:])
        run.clear()

    for inner in item["c"]:
        if inner["t"] in UNNESTABLE:
            flush()
            result.append(inner)
        else:
            run.append(inner)
    flush()
    return result


def rewrite(node, page, own_anchors):
    """The document tree with guide links as :ref: and no inline markup nested in bold or italic."""
    if isinstance(node, list):
        result = []
        for item in node:
            item = rewrite(item, page, own_anchors)
            if (
                isinstance(item, dict)
                and item.get("t") in ("Strong", "Emph")
                and any(inner["t"] in UNNESTABLE for inner in item["c"])
            ):
                result.extend(split_markup(item))
            else:
                result.append(item)
        return result
    if isinstance(node, dict):
        if node.get("t") == "Link":
            node = dict(node, c=[node["c"][0], rewrite(node["c"][1], page, own_anchors), node["c"][2]])
            return convert_link(node, page, own_anchors)
        return {key: rewrite(value, page, own_anchors) for key, value in node.items()}
    return node


def label_headings(blocks, name):
    """Each heading gets a label named after its GitHub anchor (pandoc writes the identifier as one)."""
    for block, anchor in headings(blocks):
        level, (_identifier, classes, attributes), inlines = block["c"]
        block["c"] = [level, [label(name, anchor), classes, attributes], inlines]
    return blocks


def to_rst(name, markdown=None):
    """The RST page of docs/<name>.md (or of this Markdown text, as if it were that page)."""
    tree = document(name, markdown)
    own_anchors = {anchor for _block, anchor in headings(tree["blocks"])}
    tree["blocks"] = label_headings(rewrite(tree["blocks"], name, own_anchors), name)
    body = pypandoc.convert_text(json.dumps(tree), "rst", format="json", extra_args=["--wrap=preserve"])
    header = (
        f".. Generated from docs/{name}.md by tests/utils/docsite.py: edit the Markdown, then run it.\n\n"
        f".. _{label(name)}:\n\n"
    )
    return header + body


# :ref: and the other Sphinx roles are unknown to bare docutils: read as plain text.
for _role in ("ref", "doc", "ansplugin", "ansopt", "ansretval", "ansval"):
    docutils.parsers.rst.roles.register_generic_role(_role, docutils.nodes.inline)


def garbled(text, guide_url):
    """What RST would show wrong in a page: [(line or None, problem)]."""
    messages = []
    doctree = docutils.core.publish_doctree(
        text, settings_overrides={"report_level": 5, "halt_level": 5, "warning_stream": False}
    )
    for message in doctree.findall(docutils.nodes.system_message):
        if message["level"] >= 2:
            messages.append((message.get("line"), "docutils: " + message.astext().splitlines()[0]))
    for kind in (docutils.nodes.strong, docutils.nodes.emphasis):
        for node in doctree.findall(kind):
            if "`" in node.astext() or "**" in node.astext():
                messages.append((node.line, f"markup shown as text in {kind.__name__} {node.astext()!r}"))
    for node in doctree.findall(docutils.nodes.Text):
        checked_elsewhere = any(
            # literal text may hold ** and ``; bold and italic text is checked above
            isinstance(
                parent,
                (docutils.nodes.literal, docutils.nodes.literal_block, docutils.nodes.strong, docutils.nodes.emphasis),
            )
            for parent in _parents(node)
        )
        if not checked_elsewhere and ("**" in node or "``" in node):
            messages.append((_line(node), f"markup shown as text: {str(node)[:60]!r}"))
    for node in doctree.findall(docutils.nodes.reference):
        if guide_url.match(node.get("refuri", "")):
            messages.append((_line(node), f"link to another guide leaves the docsite: {node['refuri']}"))
    return messages


def _parents(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _line(node):
    for each in [node, *_parents(node)]:
        if getattr(each, "line", None):
            return each.line
    return None


def guide_url():
    """A URL of a guide's Markdown on the repository host: a link that leaves the docsite."""
    return re.compile(re.escape(repository_base()) + r"docs/[^/#]+\.md(#.*)?$")


def extra_docs():
    names = [name for name in FIRST if name in guides()] + [name for name in guides() if name not in FIRST]
    return (
        "---\n"
        "# Generated by tests/utils/docsite.py from docs/*.md: the guides in the collection's\n"
        "# docsite (antsibull-docs), whose RST it writes to docs/docsite/rst/.\n"
        "sections:\n"
        "  - title: Guides\n"
        "    toctree:\n" + "".join(f"      - {name}\n" for name in names)
    )


def main(argv):
    check = argv == ["--check"]
    stale = []
    os.makedirs(RST_DIR, exist_ok=True)
    wanted, problems = set(), []
    for name in guides():
        path = os.path.join(RST_DIR, name + ".rst")
        wanted.add(path)
        try:
            text = to_rst(name)
        except DocsiteError as exc:
            problems.append(str(exc))
            continue
        problems += [
            f"docs/{name}.md -> {os.path.relpath(path, ROOT)}:{line}: {what}"
            for line, what in garbled(text, guide_url())
        ]
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current != text:
            stale.append(os.path.relpath(path, ROOT))
            if not check:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
    current = open(EXTRA_DOCS, encoding="utf-8").read() if os.path.exists(EXTRA_DOCS) else None
    if current != extra_docs():
        stale.append(os.path.relpath(EXTRA_DOCS, ROOT))
        if not check:
            with open(EXTRA_DOCS, "w", encoding="utf-8") as handle:
                handle.write(extra_docs())
    for name in os.listdir(RST_DIR):
        path = os.path.join(RST_DIR, name)
        if name.endswith(".rst") and path not in wanted:
            stale.append(os.path.relpath(path, ROOT) + f" (no docs/{name[:-4]}.md)")
            if not check:
                os.remove(path)
    for problem in problems:
        print(problem)
    if check and stale:
        print(f"stale, run tests/utils/docsite.py: {', '.join(stale)}")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
