#!/usr/bin/env python3
"""The seeds' code blocks, kept verbatim in tests/seeds/: list them, write the copies, check the copies.

The seeds (`../shared/seeds/NNN_*.txt`, the user's own tutorials) are Markdown; a block is the text
between a fence line (```lang) and the next fence line, byte for byte, mis-encoded characters and all.
Seed 004 is reStructuredText: there a block is the indented body of a `.. code:: lang` directive, without
its indentation (the lines after the directive's blank line, up to the first line indented no deeper
than the directive; blank lines at its end are not part of it).
`tests/seeds/blocks.tsv` says which block each copy holds and how:

  exact     the copy is the block, byte for byte;
  filled    the copy is the block with the seed's TODOs filled in. Each fill stands between
            `# fill: REASON` and `# end fill` (at one indentation), and starts with the seed lines it
            replaces, each as `#| LINE` (LINE without that indentation). Taking the fills back out
            must give the block exactly. REASON is `TODO: TEXT`, where the block says `TODO: TEXT`,
            or `placeholder NAME: WHY` for a value the seed takes from its own account (the role, the
            `source` of its data in the user's bucket);
  contains  the copy holds the block somewhere, byte for byte (a script assembled from the seed's
            fragments).

Usage:
  extract-seed-blocks.py list SEED_FILE      every block: index, line, language, heading, first line
  extract-seed-blocks.py write [--seeds DIR] (re)write the `exact` copies from the seeds
  extract-seed-blocks.py check [--seeds DIR] compare every copy with its block; exit 1 on a difference

DIR defaults to the first of ../shared/seeds beside the repository and /work/shared/seeds that exists.
Standard library only.
"""

import argparse
import difflib
import pathlib
import re
import sys
from dataclasses import dataclass

REPO = pathlib.Path(__file__).resolve().parents[1]
COPIES = REPO / "tests" / "seeds"
TABLE = COPIES / "blocks.tsv"
SEED_DIRS = (REPO.parent / "shared" / "seeds", pathlib.Path("/work/shared/seeds"))
# Values a seed takes from its own AWS account (its role, its data, its own image), which a copy may fill in like a TODO.
PLACEHOLDERS = {"role", "source", "image"}

FENCE = re.compile(rb"^```")
RST_CODE = re.compile(rb"^(\s*)\.\. code(?:-block)?::\s*(\S*)\s*$")
FILL_BEGIN = re.compile(r"^(\s*)# fill: (.+)$")
FILL_END = "# end fill"
REPLACED = "#|"


@dataclass
class Block:
    index: int
    line: int  # 1-based line of the opening fence
    language: str
    heading: str  # the nearest Markdown heading above it
    text: bytes


@dataclass
class Row:
    copy: str  # path under tests/seeds
    seed: str  # file name of the seed
    block: int
    how: str
    what: str


def seeds_dir(explicit=None):
    """The folder of the seed files: `explicit`, else the first of SEED_DIRS that exists, else None."""
    if explicit:
        return pathlib.Path(explicit)
    return next((d for d in SEED_DIRS if d.is_dir()), None)


def blocks(data):
    """The fenced code blocks of a seed's bytes, in order."""
    lines = data.splitlines(keepends=True)
    found, heading, i = [], "", 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(b"#"):
            heading = line.decode("utf-8", "replace").strip()
        if FENCE.match(line):
            end = next((j for j in range(i + 1, len(lines)) if FENCE.match(lines[j])), None)
            if end is None:
                raise ValueError(f"the fence at line {i + 1} is never closed")
            language = line[3:].strip().decode("utf-8", "replace")
            found.append(Block(len(found), i + 1, language, heading, b"".join(lines[i + 1:end])))
            i = end
        elif RST_CODE.match(line):
            directive_indent, language = RST_CODE.match(line).groups()
            body, end = rst_body(lines, i + 1, len(directive_indent))
            found.append(Block(len(found), i + 1, language.decode("utf-8", "replace"), heading, body))
            i = end
            continue
        elif i > 0 and lines[i - 1].strip() and re.fullmatch(rb"([=\-~^])\1{2,}\s*", line):
            heading = lines[i - 1].decode("utf-8", "replace").strip()  # a reStructuredText title's underline
        i += 1
    return found


def rst_body(lines, start, directive_indent):
    """The dedented body of a reStructuredText directive whose options end at `start`, and the index of
    the first line after it."""
    end = start
    while end < len(lines) and (not lines[end].strip() or
                                len(lines[end]) - len(lines[end].lstrip()) > directive_indent):
        end += 1
    body = lines[start:end]
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    if not body:
        return b"", end
    indent = min(len(l) - len(l.lstrip()) for l in body if l.strip())
    return b"".join(l[indent:] if l.strip() else l.lstrip(b" \t") for l in body), end


def rows(table=TABLE):
    """The rows of blocks.tsv (tab-separated: copy, seed, block, how, what; `#` lines are comments)."""
    result = []
    for number, line in enumerate(table.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[3] not in ("exact", "filled", "contains"):
            raise ValueError(f"{table}:{number}: expected copy, seed, block, exact|filled|contains, what")
        result.append(Row(fields[0], fields[1], int(fields[2]), fields[3], fields[4]))
    return result


def unfill(copy, block):
    """The copy with its fills taken back out (see the module's doc), and the fills' reasons.

    Raises ValueError for a malformed fill or a reason the block does not justify."""
    out, reasons = [], []
    lines = copy.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        begin = FILL_BEGIN.match(lines[i].rstrip("\n"))
        if not begin:
            out.append(lines[i])
            i += 1
            continue
        indent, reason = begin.groups()
        check_reason(reason, block, i + 1)
        reasons.append(reason)
        i += 1
        while i < len(lines) and lines[i].startswith(indent + REPLACED):
            replaced = lines[i][len(indent) + len(REPLACED):].removeprefix(" ")
            # A fill replaces only the lines that hold what it fills: its TODO, or the placeholder's name.
            marker = "TODO" if reason.startswith("TODO: ") else reason.split()[1].rstrip(":")
            if marker not in replaced:
                raise ValueError(f"line {i + 1}: the fill `{reason}` replaces a line without {marker}")
            out.append(indent + replaced if replaced.strip() else replaced)
            i += 1
        while i < len(lines) and lines[i].rstrip("\n") != indent + FILL_END:
            if FILL_BEGIN.match(lines[i].rstrip("\n")):
                raise ValueError(f"line {i + 1}: a fill inside a fill")
            i += 1
        if i == len(lines):
            raise ValueError(f"the fill `{reason}` is never closed with `{indent}{FILL_END}`")
        i += 1
    return "".join(out), reasons


def check_reason(reason, block, line):
    if reason.startswith("TODO: "):
        if reason not in block:
            raise ValueError(f"line {line}: the block has no `{reason}`")
        return
    placeholder = re.match(r"placeholder (\w+): .+", reason)
    if not placeholder or placeholder.group(1) not in PLACEHOLDERS:
        raise ValueError(f"line {line}: a fill's reason is `TODO: …` from the block or "
                         f"`placeholder NAME: why` with NAME in {sorted(PLACEHOLDERS)}, not `{reason}`")


def difference(row, seeds, copies=COPIES):
    """None when the copy holds its block as the row says, else a description of the difference."""
    seed_path = seeds / row.seed
    found = blocks(seed_path.read_bytes())
    if row.block >= len(found):
        return f"{row.seed} has {len(found)} blocks, no block {row.block}"
    block = found[row.block].text
    copy_path = copies / row.copy
    if not copy_path.is_file():
        return f"{copy_path} does not exist"
    copy = copy_path.read_bytes()
    if row.how == "exact":
        return None if copy == block else diff(block, copy, row)
    if row.how == "contains":
        return None if block in copy else f"{row.copy} does not hold {row.seed} block {row.block} verbatim:\n" + \
            block.decode("utf-8", "replace")
    try:
        unfilled, _ = unfill(copy.decode("utf-8"), block.decode("utf-8"))
    except ValueError as error:
        return f"{row.copy}: {error}"
    return None if unfilled.encode("utf-8") == block else diff(block, unfilled.encode("utf-8"), row)


def diff(block, copy, row):
    lines = difflib.unified_diff(block.decode("utf-8", "replace").splitlines(keepends=True),
                                 copy.decode("utf-8", "replace").splitlines(keepends=True),
                                 f"{row.seed} block {row.block}", row.copy)
    return "".join(lines) or f"{row.copy} differs from {row.seed} block {row.block} in bytes only (encoding?)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="the blocks of one seed file")
    listing.add_argument("seed_file")
    for name in ("write", "check"):
        sub.add_parser(name).add_argument("--seeds", help="folder of the seed files")
    args = parser.parse_args(argv)

    if args.command == "list":
        for b in blocks(pathlib.Path(args.seed_file).read_bytes()):
            first = b.text.decode("utf-8", "replace").split("\n", 1)[0]
            print(f"{b.index:3}  line {b.line:4}  {b.language or '-':8}  {b.heading[:50]:50}  {first[:60]}")
        return 0
    seeds = seeds_dir(args.seeds)
    if seeds is None or not seeds.is_dir():
        print(f"no seed folder: looked at {', '.join(map(str, SEED_DIRS))}", file=sys.stderr)
        return 1
    failed = 0
    for row in rows():
        if args.command == "write" and row.how == "exact":
            path = COPIES / row.copy
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blocks((seeds / row.seed).read_bytes())[row.block].text)
        problem = difference(row, seeds)
        print(f"{'FAIL' if problem else 'ok'}  {row.copy}  ({row.seed} block {row.block}, {row.how}: {row.what})")
        if problem:
            failed += 1
            print(problem, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
