#!/bin/sh
# startup_settle_test.sh: benchmarks/startup lets a just-copied object
# settle and runs it once before its rounds, so that the runtime's seal
# cache holds it and no round hashes the whole object.  The cache entry
# after three rounds (well under the 2 s a file takes to settle) shows it.
#   benchmarks/lib/startup_settle_test.sh W2N W2N-RUN SOURCE_DIR
set -u
w2n=$1 run=$2 src=$3
work=$(mktemp -d /tmp/w2n_startup_settle.XXXXXX)
trap 'rm -rf "$work"' EXIT
command -v wat2wasm >/dev/null || { echo "skip: wat2wasm (Debian package wabt) is missing"; exit 77; }
wat2wasm "$src/tests/tools/hello.wat" -o "$work/hello.wasm" &&
    "$w2n" compile "$work/hello.wasm" -o "$work/compiled.o" || exit 1
printf '#!/bin/sh\nprintf "hello from wasm\\n"\n' > "$work/native"
chmod +x "$work/native"
cp "$work/compiled.o" "$work/copy.o" # a new file: not settled
mkdir "$work/seals"
out=$(W2N_SEAL_CACHE="$work/seals" python3 "$src/benchmarks/startup" --rounds 3 \
    --native "$work/native" --w2n-run "$run" "$work/copy.o" 2>&1) ||
    { echo "FAIL startup: $out"; exit 1; }
echo "$out"
fails=0
case $out in
*"copy.o: changed "*"waiting until its seal can be cached"*) echo "ok   it waited" ;;
*) echo "FAIL it did not say it waited"; fails=1 ;;
esac
if [ -n "$(ls -A "$work/seals")" ]; then
    echo "ok   the object's seal is cached"
else
    echo "FAIL no seal cache entry: every round hashed the object"
    fails=1
fi
exit $fails
