# `cpack -G DEB` in the build directory (docs/install.md): one Debian package
# of what `cmake --install` puts in place, under /usr.  Its dependencies come
# from dpkg-shlibdeps on the tools and libw2n-runtime.so (libllvm19, libelf1,
# libsodium23, libc6), with a fixed list when dpkg-shlibdeps is missing.
set(CPACK_PACKAGE_NAME w2n)
set(CPACK_PACKAGE_VENDOR "w2n")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "WebAssembly to native: ahead-of-time compiler (LLVM) and runtime")
set(CPACK_PACKAGE_DESCRIPTION
    "w2n compiles WebAssembly modules ahead of time into native ELF objects for
x86-64, AArch64 and RISC-V 64, and loads and runs them with a small runtime.
The package holds the w2n and w2n-run tools, libw2n-runtime (shared and
static), libw2n-compiler, the C headers, pkg-config files and the CMake
package (find_package(w2n), w2n_add_wasm_module).")
set(CPACK_PACKAGE_CONTACT "w2n maintainers <maintainers@users.noreply.r-seed-4eec93e0.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
find_program(W2N_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(W2N_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libllvm${W2N_LLVM_VERSION_MAJOR}, libelf1, libc6")
  if(W2N_SIGNING)
    string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libsodium23")
  endif()
endif()
# pkg-config reads the .pc files; nothing else is needed to link against it.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "pkg-config, cmake")

include(CPack)
