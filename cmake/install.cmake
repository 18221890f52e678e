# `cmake --install build [--prefix P]` (docs/install.md): the tools, the
# runtime library (shared and static), the compiler library, the public
# headers, pkg-config files and the CMake package `w2n`.  Everything is
# relative to the prefix, so installing elsewhere than CMAKE_INSTALL_PREFIX
# (--prefix, DESTDIR, CPack) gives a working tree.
include(CMakePackageConfigHelpers)

set(W2N_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/w2n)

install(TARGETS w2n-run w2n_runtime_shared w2n_runtime_static EXPORT w2nTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(TARGET w2n)
  install(TARGETS w2n EXPORT w2nTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT w2nTargets NAMESPACE w2n:: DESTINATION ${W2N_CMAKE_DIR})

# The compiler library in an export set of its own: the config includes it
# only when the libLLVM it links is present.
if(TARGET w2n_compiler_static)
  install(TARGETS w2n_compiler_static EXPORT w2nCompilerTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT w2nCompilerTargets NAMESPACE w2n:: DESTINATION ${W2N_CMAKE_DIR})
endif()

# Public headers: include/w2n/ and the generated version.h, nothing private.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/w2n DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/generated/w2n/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/w2n)

configure_package_config_file(cmake/w2nConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/w2nConfig.cmake INSTALL_DESTINATION ${W2N_CMAKE_DIR})
# Before 1.0 a minor release may break the API: only the same major.minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/w2nConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/w2nConfig.cmake
              ${PROJECT_BINARY_DIR}/package/w2nConfigVersion.cmake
              cmake/w2nAddWasmModule.cmake
        DESTINATION ${W2N_CMAKE_DIR})

# pkg-config: w2n-runtime (shared), w2n-runtime-static, w2n (the compiler
# library).  prefix=${pcfiledir}/../.. so they hold wherever the tree lands.
file(RELATIVE_PATH W2N_PC_PREFIX_FROM_PCDIR
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" W2N_PC_PREFIX_FROM_PCDIR "${W2N_PC_PREFIX_FROM_PCDIR}")
set(W2N_PC_LIBS_PRIVATE "-lm -lpthread")
if(W2N_SIGNING)
  string(PREPEND W2N_PC_LIBS_PRIVATE "-lsodium ")
endif()
foreach(pc w2n-runtime w2n-runtime-static)
  configure_file(cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/package/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/package/${pc}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
if(TARGET w2n_compiler_static)
  configure_file(cmake/w2n.pc.in ${PROJECT_BINARY_DIR}/package/w2n.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/package/w2n.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
