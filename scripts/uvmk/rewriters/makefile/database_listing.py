"""A `list` target that prints make's database (`$(MAKE) -pRrq -f … :`) and has awk pick the
target names between `# Files` and `# Finished Make data base` (the stackoverflow.com/q/4219255
idiom, httpie's default goal). With uv.mk included the database holds a pattern rule
(print-%), and GNU make 4.2 and later then print `# Files` right under the implicit-rules count,
with no blank line: awk, reading paragraphs (RS=), never sees a paragraph start with it and
lists nothing. The idiom's current form matches `# Files` anywhere in a paragraph."""

from __future__ import annotations

import re

from uvmk.rewriters.makefile.blocks import Block

# the awk range as the idiom first had it, in a recipe (make's $$), and its current form
_OLD_RANGE = re.compile(r"/\^# File(?:s)?/\s*,\s*/\^# Finished Make data base/")
_NEW_RANGE = r"/(^|\n)# Files(\n|$$)/,/(^|\n)# Finished Make data base/"


def match_files_anywhere(body: list[Block], name: str) -> list[str]:
    """Rewrite the idiom's awk range in the recipes of `body`; the notes saying where."""
    where: list[str] = []
    for b in body:
        if b.kind != "rule":
            continue
        offset = len(b.lines) - len(b.recipe)
        for k, line in enumerate(b.recipe):
            if not re.search(r"-[A-Za-z]*p[A-Za-z]*\b", line) or "awk" not in line:
                continue
            new = _OLD_RANGE.sub(lambda _: _NEW_RANGE, line)
            if new != line:
                b.recipe[k] = new
                b.lines[offset + k] = new
                where.append(f"`{' '.join(b.targets)}` ({name}:{b.start + offset + k})")
    return [
        f"{w} lists targets from `make -p`: with uv.mk's pattern rule, GNU make 4.2+ prints "
        "`# Files` with no blank line before it, so its awk range now finds it anywhere in a "
        "paragraph (the form stackoverflow.com/q/4219255 gives today)"
        for w in where
    ]
