#!/usr/bin/env python3
"""The public C API and what libw2n-runtime.so exports agree.

    check_api.py INCLUDE_DIR [SHARED_LIB STATIC_LIB]

1. Every function declared in INCLUDE_DIR/w2n/*.h is marked W2N_API (w2n/api.h):
   one left unmarked would be hidden in the shared library.
2. With the libraries: the shared library's dynamic symbols (nm -D
   --defined-only) are exactly the W2N_API functions that the static library
   (the same objects) defines: nothing internal leaks, nothing public is hidden.
"""
import pathlib
import re
import subprocess
import sys

# A top-level declaration: starts in column 0, names a w2n_ function, and is
# not a typedef, a macro or a static inline definition.
DECL = re.compile(r'^(?!typedef|static|#|/|\s|\*)([^;{}()]*?)\b(w2n_\w+)\s*\(', re.M)


def api_functions(include_dir):
    marked, unmarked = set(), []
    for header in sorted(pathlib.Path(include_dir, 'w2n').glob('*.h')):
        text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'),
                      header.read_text(), flags=re.S)
        for m in DECL.finditer(text):
            if 'W2N_API' in m.group(1).split():
                marked.add(m.group(2))
            else:
                line = text.count('\n', 0, m.start()) + 1
                unmarked.append(f'{header.name}:{line}: {m.group(2)} is not marked W2N_API')
    return marked, unmarked


def defined_symbols(args):
    out = subprocess.run(['nm', '--defined-only', *args], check=True, text=True,
                         capture_output=True).stdout
    return {f[2] for f in (l.split() for l in out.splitlines())
            if len(f) == 3 and f[1] in 'TWDRBVi'}


def main():
    if len(sys.argv) not in (2, 4):
        sys.exit(__doc__)
    api, problems = api_functions(sys.argv[1])
    if not api:
        problems.append(f'no W2N_API function found under {sys.argv[1]}/w2n')
    if len(sys.argv) == 4:
        shared, static = sys.argv[2], sys.argv[3]
        exported = defined_symbols(['-D', shared])
        implemented = defined_symbols([static]) & api
        for name in sorted(exported - api):
            problems.append(f'{shared}: exports {name}, which is not W2N_API in a public header')
        for name in sorted(implemented - exported):
            problems.append(f'{shared}: does not export {name} (W2N_API, defined in {static})')
        if not problems:
            print(f'{len(exported)} symbols exported, all of them W2N_API')
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
