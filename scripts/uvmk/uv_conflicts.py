"""What `--all-extras` / `--all-groups` must leave out where uv's `conflicts` declare extras or
groups that cannot be installed together (`[tool.uv] conflicts = [[{ extra = "cpu" },
{ extra = "cu121" }]]`, or uv.lock's copy of them): uv refuses a selection holding a whole set
("Extras `flink` and `ge` are incompatible with the declared conflicts"), so `make dev-install`
with uv.mk's default flags would fail. Pure: the caller reads the table."""

from __future__ import annotations

from collections import Counter
from typing import Any

Item = tuple[str, str]  # ("extra" | "group", its name)


def conflict_sets(raw: Any) -> list[frozenset[Item]]:
    """The extras and groups of each set of a `conflicts` array; a set of packages (a
    workspace's `{ package = "api" }`) selects nothing a flag names, and is skipped."""
    out = []
    for entries in raw if isinstance(raw, list) else []:
        items = set()
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("extra"), str):
                items.add(("extra", entry["extra"]))
            elif isinstance(entry, dict) and isinstance(entry.get("group"), str):
                items.add(("group", entry["group"]))
        if len(items) >= 2:
            out.append(frozenset(items))
    return out


def left_out(flags: str, sets: list[frozenset[Item]]) -> list[Item]:
    """What `flags` (`--all-extras --all-groups`) must not select so that no set is selected
    whole: the extra or group in the most whole sets first (so one leaves as few as it can),
    on a tie the name that sorts last (the same choice every run: `cpu` stays, `cu121` goes)."""
    words = flags.split()
    kinds = {
        k for k, flag in (("extra", "--all-extras"), ("group", "--all-groups")) if flag in words
    }
    already = {("extra", w) for w in _values(words, "--no-extra")}
    already |= {("group", w) for w in _values(words, "--no-group")}
    dropped: set[Item] = set()
    while True:
        whole = [s for s in sets if all(k in kinds for k, _ in s) and not s & (dropped | already)]
        if not whole:
            return sorted(dropped)
        counts = Counter(item for s in whole for item in s)
        dropped.add(max(counts, key=lambda item: (counts[item], item[1], item[0])))


def conflict_free(flags: str, sets: list[frozenset[Item]]) -> str:
    """`flags` with a `--no-extra` / `--no-group` for each of left_out()."""
    dropped = left_out(flags, sets)
    return " ".join([flags, *(f"--no-{kind} {name}" for kind, name in dropped)]).strip()


def _values(words: list[str], option: str) -> list[str]:
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w == option]
