"""tests/seeds/ holds the seeds' code blocks verbatim: each copy against its block in the seed file.

The seeds are the user's own tutorials, kept beside the repository (`../shared/seeds`, as CI checks
it out; `/work/shared/seeds` on the team's machines). Without them these tests fail, saying where
they looked: they are the proof that the seed tests run the seeds' own code.
"""
import pytest

from seed_blocks import COPIES, extractor

blocks = extractor()
ROWS = blocks.rows()


@pytest.fixture(scope="module")
def seeds():
    found = blocks.seeds_dir()
    assert found is not None, f"no seed folder at {' or '.join(map(str, blocks.SEED_DIRS))}"
    return found


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.copy}:{r.block}" for r in ROWS])
def test_copy_holds_its_seed_block(seeds, row):
    assert blocks.difference(row, seeds) is None, blocks.difference(row, seeds)


def test_every_copy_is_in_the_table():
    listed = {r.copy for r in ROWS}
    kept = {str(p.relative_to(COPIES)) for p in COPIES.rglob("*") if p.is_file() and p.name not in ("blocks.tsv", "README.md")}
    assert kept == listed


def test_a_changed_copy_is_caught(seeds, tmp_path):
    """One changed byte in an exact copy, an unmarked change in a filled one (of a Markdown seed and of
    seed 004's reStructuredText), a fill that replaces a line without a TODO, and a fragment missing from a
    script: each is reported."""
    by_copy = {(r.copy, r.block): r for r in ROWS}
    for how, key, change in (
            ("exact", ("001/job-config.json", 11), lambda t: t.replace("3600", "3601", 1)),
            ("filled", ("000/step4_create_job.py", 10), lambda t: t.replace("volume_size_in_gb=30", "volume_size_in_gb=31")),
            ("filled", ("000/preprocessing.py", 6), lambda t: t.replace("# fill: TODO: Split data\n", "")),
            ("filled", ("004/sklearn_run.py", 1), lambda t: t.replace('"0.2"', '"0.3"')),
            ("contains", ("003/preprocessing_script.py", 4), lambda t: t.replace("df['salary'].median()", "df['salary'].mean()"))):
        row = by_copy[key]
        assert row.how == how
        changed = tmp_path / how / row.copy
        changed.parent.mkdir(parents=True, exist_ok=True)
        original = (COPIES / row.copy).read_text(encoding="utf-8")
        assert change(original) != original, how
        changed.write_text(change(original), encoding="utf-8")
        assert blocks.difference(row, seeds, copies=tmp_path / how) is not None, how


def test_fills_must_name_a_todo_of_the_block():
    block = "x = 1\ncode_s3_uri = # TODO: Upload your script\n"
    good = "x = 1\n# fill: TODO: Upload your script\n#| code_s3_uri = # TODO: Upload your script\ncode_s3_uri = 's3://b/k'\n# end fill\n"
    assert blocks.unfill(good, block) == (block, ["TODO: Upload your script"])
    for bad, message in ((good.replace("fill: TODO: Upload", "fill: TODO: Download"), "the block has no"),
                         (good.replace("#| code_s3_uri", "#| x = 2\n#| code_s3_uri"), "replaces a line without TODO"),
                         (good.replace("fill: TODO: Upload your script", "fill: because"), "a fill's reason"),
                         (good.replace("# end fill\n", ""), "never closed")):
        with pytest.raises(ValueError, match=message):
            blocks.unfill(bad, block)


def test_restructuredtext_code_blocks_are_their_directives_bodies_dedented():
    text = (b"Title\n=====\n\n.. code:: python\n\n    a = 1\n\n    if a:\n        b = 2\n\n\nAfter.\n\n"
            b"  .. code:: sh\n\n      echo x\n")
    found = [(b.line, b.language, b.heading, b.text) for b in blocks.blocks(text)]
    assert found == [(4, "python", "Title", b"a = 1\n\nif a:\n    b = 2\n"), (14, "sh", "Title", b"echo x\n")]
