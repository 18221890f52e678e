#!/bin/sh
# deb_package.sh BUILD_DIR SOURCE_DIR WORK_DIR: `cpack -G DEB` makes a Debian
# package that depends on the LLVM shared library the tools link, holds the
# installed tree under /usr, and whose contents, unpacked anywhere, build
# examples/embed (embed_cmake.sh).
set -eu
build=$1 src=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log" 2>&1) ||
    { cat "$work/cpack.log" >&2; echo "deb_package: cpack -G DEB failed" >&2; exit 1; }
deb=$(ls "$work"/w2n_*.deb)
dpkg-deb --field "$deb" Package Version Depends
llvm_major=$(readelf -d "$build/tools/w2n" | sed -n 's/.*\[libLLVM\(-\|\.so\.\)\([0-9]*\).*/\2/p')
dpkg-deb --field "$deb" Depends | grep -q "libllvm$llvm_major" ||
    { echo "deb_package: Depends does not name libllvm$llvm_major" >&2; exit 1; }
dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./||' > "$work/contents"
for f in usr/bin/w2n usr/bin/w2n-run usr/include/w2n/runtime.h usr/lib/libw2n-runtime.a \
         usr/lib/libw2n-compiler.a usr/lib/pkgconfig/w2n-runtime.pc \
         usr/lib/cmake/w2n/w2nConfig.cmake; do
    grep -qx "$f" "$work/contents" || { echo "deb_package: $f is not in the package" >&2; exit 1; }
done
grep -q '^usr/lib/libw2n-runtime\.so\.[0-9]' "$work/contents" ||
    { echo "deb_package: the shared runtime is not in the package" >&2; exit 1; }
if grep -E 'usr/include/(w2n/)?[a-z_]*(internal|meta|image)\.h' "$work/contents"; then
    echo "deb_package: a private header is in the package" >&2
    exit 1
fi
dpkg-deb -x "$deb" "$work/root"
sh "$here/embed_cmake.sh" "$work/root/usr" "$src" "$work/embed"
echo "$(basename "$deb"): depends on libllvm$llvm_major, its tree builds examples/embed"
