# The tools of the tests that check the compiler's output rather than its
# results (tests/ir, memory_ir, stop, tailcall, stack): LLVM 19's FileCheck,
# wabt's wat2wasm and llvm-objdump-19, found once for all of them as the
# cache variables W2N_FILECHECK, W2N_WAT2WASM and W2N_LLVM_OBJDUMP.
find_program(W2N_FILECHECK FileCheck PATHS /usr/lib/llvm-19/bin NO_DEFAULT_PATH)
find_program(W2N_WAT2WASM wat2wasm)
find_program(W2N_LLVM_OBJDUMP llvm-objdump-19)

# w2n_output_check_tools(OUT TESTS VAR...): set OUT to true when the compiler
# is built and each tool VAR (W2N_FILECHECK, ...) was found; otherwise to
# false, with a message that TESTS are off and what is missing.
function(w2n_output_check_tools out tests)
  set(missing "")
  if(NOT W2N_BUILD_COMPILER)
    list(APPEND missing "the compiler")
  endif()
  foreach(var ${ARGN})
    if(NOT ${var})
      list(APPEND missing ${var})
    endif()
  endforeach()
  if(missing)
    string(REPLACE ";" ", " missing "${missing}")
    message(STATUS "${tests} off: no ${missing} (FileCheck: llvm-19-tools; wat2wasm: wabt)")
    set(${out} FALSE PARENT_SCOPE)
  else()
    set(${out} TRUE PARENT_SCOPE)
  endif()
endfunction()
