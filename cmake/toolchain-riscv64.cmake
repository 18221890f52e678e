# Cross-build the runtime, w2n-run and the spec-test runner for riscv64 Linux
# with Debian's gcc-riscv64-linux-gnu (no LLVM, no libelf, no Criterion):
#   cmake -S . -B build-riscv64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-riscv64.cmake
# Run the results with qemu-riscv64 -L /usr/riscv64-linux-gnu.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER riscv64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/riscv64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-riscv64 -L /usr/riscv64-linux-gnu)
set(W2N_BUILD_COMPILER OFF CACHE BOOL "" FORCE)
set(W2N_BUILD_TESTS OFF CACHE BOOL "" FORCE)
