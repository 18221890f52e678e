#!/usr/bin/env python3
"""check_layout.py — the source layout's rules (docs/architecture.md).

  tests/layout/check_layout.py SOURCE_DIR

1. compiler/ and runtime/ hold sources only in their stage folders, and
   every folder of common/, compiler/ and runtime/ that holds sources has a
   README.md (what it owns, what it may include).
2. Every `#include "..."` of a header of common/, compiler/ or runtime/ is
   one its folder may include (each folder's README.md says which).  Private
   headers stay private: tools/, spec-tests/, benchmarks/ and examples/ may
   include common/ only; tests/ is white-box and may include anything.

A quoted include is resolved as the compiler would: next to the including
file first, then among the private headers by path suffix.  tests/ is not
scanned.  Prints one line
per violation; exit status 1 when there is one, 0 otherwise.
"""
import os
import re
import sys

SCANNED = ("common", "compiler", "runtime", "tools", "spec-tests", "benchmarks", "examples")
STAGES = {"compiler": ("front", "lower", "loops", "emit"),
          "runtime": ("loader", "core", "arch", "gc", "wasi")}
COMPILER = ("compiler/front", "compiler/lower", "compiler/loops", "compiler/emit")
RUNTIME = ("runtime/loader", "runtime/core", "runtime/arch", "runtime/gc", "runtime/wasi")

# Folder of the including file -> folders (or single headers) it may include.
ALLOWED = {
    "common": ("common",),
    "compiler/front": ("common", "compiler/front"),
    "compiler/lower": ("common", "compiler/front", "compiler/lower", "compiler/loops",
                       "compiler/emit/target.h"),
    "compiler/loops": ("common", "compiler/front", "compiler/lower", "compiler/loops"),
    "compiler/emit": ("common",) + COMPILER,
    "runtime/loader": ("common", "runtime/loader", "runtime/core/internal.h",
                       "runtime/gc/stackmap.h"),
    "runtime/core": ("common", "runtime/core", "runtime/loader/image.h",
                     "runtime/loader/unwind_tables.h", "runtime/gc/gc.h"),
    "runtime/gc": ("common", "runtime/gc", "runtime/core/internal.h",
                   "runtime/core/exception.h", "runtime/loader/image.h"),
    "runtime/arch": ("common", "runtime/arch"),
    "runtime/wasi": ("runtime/wasi",),
}
OUTSIDE = ("common",)          # tools/, spec-tests/, benchmarks/, examples/

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]+"([^"]+)"', re.M)


def folder_of(rel):
    """The rule folder a file belongs to: compiler/front, runtime/core, tests, ..."""
    parts = rel.split("/")
    if parts[0] in STAGES and len(parts) > 2:
        return "/".join(parts[:2])
    return parts[0]


def sources(root, top):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        dirnames[:] = [d for d in dirnames if d not in ("build", ".git")]
        for name in filenames:
            if name.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(dirpath, name), root)


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = []
    for top, stages in STAGES.items():
        for name in sorted(os.listdir(os.path.join(root, top))):
            if name.endswith((".c", ".h")):
                problems.append(f"{top}/{name}: sources go in a stage folder "
                                f"({', '.join(stages)}; see their README.md)")
    for top in ("common",) + tuple(STAGES):
        for dirpath, _, filenames in os.walk(os.path.join(root, top)):
            if any(n.endswith((".c", ".h")) for n in filenames) and \
                    "README.md" not in filenames:
                problems.append(f"{os.path.relpath(dirpath, root)}/: no README.md saying "
                                "what the folder owns and may include")
    private = [h for top in ("common",) + tuple(STAGES) for h in sources(root, top)
               if h.endswith(".h")]

    def resolve(rel, name):
        here = os.path.normpath(os.path.join(os.path.dirname(rel), name))
        if os.path.exists(os.path.join(root, here)):
            return here
        matches = [h for h in private if h == name or h.endswith("/" + name)]
        return matches[0] if len(matches) == 1 else None

    for top in SCANNED:
        for rel in sources(root, top):
            folder = folder_of(rel)
            allowed = ALLOWED.get(folder, OUTSIDE)
            text = open(os.path.join(root, rel), encoding="utf-8", errors="replace").read()
            for m in INCLUDE.finditer(text):
                header = resolve(rel, m.group(1))
                if header is None or folder_of(header) not in ALLOWED or \
                        folder_of(header) == folder:
                    continue        # not a private header, or the folder's own
                if folder_of(header) in allowed or header in allowed:
                    continue
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{rel}:{line}: includes {header}, which {folder}/ may not "
                                f"(see {folder_of(header)}/README.md)")
    for p in problems:
        print(p)
    if problems:
        print(f"layout: {len(problems)} problem(s)")
        return 1
    print("layout: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
