#!/bin/sh
# install_prefix.sh BUILD_DIR PREFIX: a fresh `cmake --install` into PREFIX,
# the fixture of the other install.* tests.
set -eu
build=$1 prefix=$2
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/w2n bin/w2n-run lib/libw2n-runtime.a lib/libw2n-compiler.a \
         lib/pkgconfig/w2n.pc lib/pkgconfig/w2n-runtime.pc \
         lib/pkgconfig/w2n-runtime-static.pc lib/cmake/w2n/w2nConfig.cmake; do
    [ -e "$prefix/$f" ] || { echo "install_prefix: $prefix/$f is missing" >&2; exit 1; }
done
echo "installed into $prefix"
