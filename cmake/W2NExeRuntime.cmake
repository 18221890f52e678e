# What `w2n compile --exe` links an executable from, per target: the runtime
# (libw2n-runtime.a), w2n-run's command line with the executable's main
# (libw2n-exe.a) and link.txt, the libraries they need beyond libc.  Staged in
# the build tree at lib/w2n/TRIPLE (w2n looks there, beside its own
# directory) and installed at LIBDIR/w2n/TRIPLE.  The host's come from this
# build; AArch64's and RISC-V's from a cross build of the runtime alone
# (ExternalProject, the toolchain files of cmake/), when the cross gcc is there.
set(W2N_EXE_STAGE ${PROJECT_BINARY_DIR}/lib/w2n CACHE PATH "where --exe runtimes are staged")
set(W2N_EXE_TRIPLE ${CMAKE_SYSTEM_PROCESSOR}-linux-gnu)

add_library(w2n_exe_static STATIC ${CMAKE_CURRENT_LIST_DIR}/../tools/exe_main.c ${W2N_RUN_SOURCES})
set_target_properties(w2n_exe_static PROPERTIES OUTPUT_NAME w2n-exe)
target_link_libraries(w2n_exe_static PRIVATE w2n_runtime)
target_include_directories(w2n_exe_static PRIVATE ${PROJECT_SOURCE_DIR}/tools)

set(W2N_EXE_LINK_LIBS "-lpthread -lm")
if(W2N_SIGNING)
  set(W2N_EXE_LINK_LIBS "-lsodium ${W2N_EXE_LINK_LIBS}")
endif()
set(stage ${W2N_EXE_STAGE}/${W2N_EXE_TRIPLE})
file(WRITE ${PROJECT_BINARY_DIR}/exe-link.txt "${W2N_EXE_LINK_LIBS}\n")
add_custom_target(w2n_exe_stage ALL
  COMMAND ${CMAKE_COMMAND} -E make_directory ${stage}
  COMMAND ${CMAKE_COMMAND} -E copy_if_different $<TARGET_FILE:w2n_runtime_static>
          $<TARGET_FILE:w2n_exe_static> ${stage}/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${PROJECT_BINARY_DIR}/exe-link.txt
          ${stage}/link.txt
  DEPENDS w2n_runtime_static w2n_exe_static
  COMMENT "Staging the --exe runtime for ${W2N_EXE_TRIPLE}")

option(W2N_EXE_CROSS_RUNTIMES "Cross-build the --exe runtimes for aarch64 and riscv64" ON)
if(W2N_EXE_CROSS_RUNTIMES AND NOT CMAKE_CROSSCOMPILING)
  include(ExternalProject)
  foreach(arch aarch64 riscv64)
    find_program(W2N_${arch}_GCC ${arch}-linux-gnu-gcc)
    if(NOT W2N_${arch}_GCC OR arch STREQUAL CMAKE_SYSTEM_PROCESSOR)
      continue()
    endif()
    ExternalProject_Add(w2n_exe_runtime_${arch}
      SOURCE_DIR ${PROJECT_SOURCE_DIR}
      BINARY_DIR ${PROJECT_BINARY_DIR}/exe-runtime-${arch}
      CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/toolchain-${arch}.cmake
                 -DCMAKE_BUILD_TYPE=Release -DW2N_EXE_STAGE=${W2N_EXE_STAGE}
      BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target w2n_exe_stage
      INSTALL_COMMAND ""
      BUILD_ALWAYS ON)
    message(STATUS "w2n: --exe runtime for ${arch}-linux-gnu (cross build)")
  endforeach()
endif()

install(DIRECTORY ${W2N_EXE_STAGE}/ DESTINATION ${CMAKE_INSTALL_LIBDIR}/w2n
        COMPONENT runtime)
# w2n finds an installed runtime relative to its own directory.
file(RELATIVE_PATH W2N_EXE_INSTALL_REL ${CMAKE_INSTALL_FULL_BINDIR}
     ${CMAKE_INSTALL_FULL_LIBDIR}/w2n)
