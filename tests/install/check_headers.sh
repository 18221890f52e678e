#!/bin/sh
# check_headers.sh PREFIX SOURCE_DIR: the installed headers are exactly the
# public ones (include/w2n/*.h and the generated version.h, no private header
# of runtime/ or compiler/), and each compiles on its own, as C and as C++,
# with nothing but PREFIX/include on the include path.
set -eu
prefix=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$src/include/w2n" && ls *.h; echo version.h) | sort > "$work/expected"
(cd "$prefix/include" && find . -type f | sed 's|^\./||') | sed 's|^w2n/||' | sort > "$work/installed"
if ! diff -u "$work/expected" "$work/installed"; then
    echo "check_headers: the installed headers differ from include/w2n (- expected, + installed)" >&2
    exit 1
fi
status=0
for h in $(cat "$work/installed"); do
    printf '#include <w2n/%s>\n' "$h" > "$work/one.c"
    cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$prefix/include" "$work/one.c" ||
        { echo "check_headers: w2n/$h does not compile alone as C" >&2; status=1; }
    c++ -Wall -Wextra -Werror -fsyntax-only -x c++ -I"$prefix/include" "$work/one.c" ||
        { echo "check_headers: w2n/$h does not compile alone as C++" >&2; status=1; }
done
[ $status -eq 0 ] && echo "$(wc -l < "$work/installed") headers, each compiles alone"
exit $status
