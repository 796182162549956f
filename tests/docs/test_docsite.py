"""tests/utils/docsite.py: the docsite pages show no garbled markup and keep guide links on the docsite."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "utils"))
import docsite  # noqa: E402

GUIDE_ON_GITHUB = docsite.repository_base() + "docs/credentials.md"


def test_the_check_sees_code_inside_bold():
    # What pandoc alone writes for **the `profile` option**: RST shows the backquotes.
    problems = docsite.garbled("Set **the ``profile`` option**.\n", docsite.guide_url())
    assert [what for _line, what in problems] == ["markup shown as text in strong 'the ``profile`` option'"]


def test_the_check_sees_a_guide_link_that_leaves_the_docsite():
    problems = docsite.garbled(f"See `credentials.md <{GUIDE_ON_GITHUB}#secrets>`__.\n", docsite.guide_url())
    assert [what for _line, what in problems] == [
        f"link to another guide leaves the docsite: {GUIDE_ON_GITHUB}#secrets"
    ]


def test_the_check_sees_markup_rst_cannot_close():
    assert docsite.garbled("A **bold start only.\n", docsite.guide_url())


def test_bold_around_code_is_split_and_guide_links_become_refs():
    markdown = (
        "# Page\n\n"
        "1. **`profile`**: the option. **Cleanup runs in `always:`.** Then\n"
        "   **another account's Net without `accepter_owner_id`**, see [credentials.md](credentials.md),\n"
        "   [the secrets](credentials.md#secrets), [below](#page) and [an example](examples/demo.yml).\n"
    )
    rst = docsite.to_rst("sample", markdown)
    assert docsite.garbled(rst, docsite.guide_url()) == []
    assert "``profile``: the option. **Cleanup runs in** ``always:``." in rst
    assert "**another account's Net without** ``accepter_owner_id``" in rst
    assert ":ref:`ansible_collections.outscale.cloud.docsite.credentials`" in rst
    assert ":ref:`the secrets <ansible_collections.outscale.cloud.docsite.credentials.secrets>`" in rst
    assert ":ref:`below <ansible_collections.outscale.cloud.docsite.sample.page>`" in rst
    assert docsite.repository_base() + "docs/examples/demo.yml" in rst


@pytest.mark.parametrize(
    "link, error",
    [
        ("[x](nowhere.md)", "there is no docs/nowhere.md"),
        ("[x](credentials.md#no-such-section)", "docs/credentials.md has no heading with that anchor"),
    ],
)
def test_a_link_to_a_missing_guide_or_section_is_an_error(link, error):
    with pytest.raises(docsite.DocsiteError, match=error):
        docsite.to_rst("sample", f"# Page\n\nSee {link}.\n")


def test_the_committed_pages_are_current_and_clean():
    assert docsite.main(["--check"]) == 0
