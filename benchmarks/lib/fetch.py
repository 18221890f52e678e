"""Third-party sources a benchmark builds from, fetched at build time.

Nothing fetched is stored in the repository: each source is a pinned package
of a public registry, checked against its SHA-256 before anything in it is
used, and unpacked under the build directory.  Without the tool or the
network the benchmark is skipped (build.MissingTool) with the command that
would have fetched it; a package whose hash differs is an error.
"""
import hashlib
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass

from . import build


@dataclass(frozen=True)
class Source:
    npm: str                # package@version, fetched with `npm pack`
    sha256: str             # of the .tgz
    members: tuple          # files taken from the tarball
    c_files: tuple          # of the members, those compiled with the program
    defines: tuple = ()     # for every build of the program
    wasi_defines: tuple = ()
    wasi_flags: tuple = ()  # code-generation flags of the wasm build only
    wasi_libs: tuple = ()


SOURCES = {
    # SQLite's amalgamation (sqlite3.c, public domain) as better-sqlite3 ships it.
    # Single-threaded, no extensions, no WAL (WASI has no shared memory maps);
    # pread/pwrite on every build (the WASI build would otherwise seek first).
    "sqlite": Source(
        npm="better-sqlite3@13.2.0",
        sha256="40487589df3496f2ee0079d22b73c63fccebe7db0e8ee9a2c42421861e321e0b",
        members=("package/deps/sqlite3/sqlite3.c", "package/deps/sqlite3/sqlite3.h"),
        c_files=("sqlite3.c",),
        defines=("-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION", "-DSQLITE_OMIT_WAL",
                 "-DSQLITE_OMIT_SHARED_CACHE", "-DSQLITE_DEFAULT_MEMSTATUS=0",
                 "-DSQLITE_OMIT_DEPRECATED", "-DUSE_PREAD"),
        wasi_defines=("-D_WASI_EMULATED_MMAN", "-D_WASI_EMULATED_GETPID"),
        # memcpy/memset as memory.copy/fill, as the kernels are built, not
        # wasi-libc's byte and word loops: the native build's are glibc's
        # (docs/performance.md, "sqlbench: bulk memory").
        wasi_flags=("-mbulk-memory",),
        wasi_libs=("-lwasi-emulated-mman", "-lwasi-emulated-getpid"),
    ),
}


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def ensure(build_dir, name):
    """The directory holding source `name`'s members (flattened), fetched once."""
    src = SOURCES[name]
    dest = os.path.join(build_dir, "external", name)
    stamp = os.path.join(dest, ".sha256")
    if os.path.exists(stamp) and open(stamp).read() == src.sha256:
        return dest
    if not shutil.which("npm"):
        raise build.MissingTool(f"npm not found: cannot fetch {src.npm} (apt-get install npm)")
    tmp = os.path.join(build_dir, "external", f".{name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    p = subprocess.run(["npm", "pack", "--silent", src.npm], cwd=tmp, capture_output=True,
                       text=True, timeout=600)
    tgz = os.path.join(tmp, (p.stdout.strip().splitlines() or [""])[-1])
    if p.returncode != 0 or not os.path.isfile(tgz):
        raise build.MissingTool(f"`npm pack {src.npm}` failed (offline?): "
                                f"{(p.stderr.strip().splitlines() or ['?'])[-1][:160]}")
    got = _sha256(tgz)
    if got != src.sha256:
        raise build.BuildError(f"{src.npm}: SHA-256 {got}, expected {src.sha256}")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    with tarfile.open(tgz) as t:
        for member in src.members:
            f = t.extractfile(member)
            with open(os.path.join(dest, os.path.basename(member)), "wb") as out:
                shutil.copyfileobj(f, out)
    shutil.rmtree(tmp, ignore_errors=True)
    with open(stamp, "w") as f:
        f.write(src.sha256)
    return dest
