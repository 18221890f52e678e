# build_cross.cmake — configure and build a cross tree of the runtime,
# w2n-run, w2n-spectest and w2n-gc-run (the cross.build.TARGET test fixture):
#   cmake -DSRC=repo -DBIN=dir -DTOOLCHAIN=cmake/toolchain-T.cmake -P build_cross.cmake
foreach(v SRC BIN TOOLCHAIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "build_cross.cmake needs -D${v}=...")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN}
                        -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN} -DCMAKE_BUILD_TYPE=RelWithDebInfo
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring ${BIN} failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} -j2 RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building ${BIN} failed")
endif()
