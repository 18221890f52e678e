# The source layout (docs/architecture.md): compiler/ and runtime/ hold only
# stage folders, each with a README.md saying what it owns and may include.

# w2n_check_layout(DIR STAGE...): stop the configure, naming the files, when
# DIR holds a .c or .h outside its stage folders: directly in DIR (a file
# added before the split, say) or in a folder that is not a listed stage (it
# would silently not be built).
function(w2n_check_layout dir)
  file(GLOB stray RELATIVE ${PROJECT_SOURCE_DIR} CONFIGURE_DEPENDS ${dir}/*.c ${dir}/*.h)
  file(GLOB entries RELATIVE ${dir} LIST_DIRECTORIES true ${dir}/*)
  foreach(entry ${entries})
    if(IS_DIRECTORY ${dir}/${entry} AND NOT entry IN_LIST ARGN)
      file(GLOB_RECURSE unbuilt RELATIVE ${PROJECT_SOURCE_DIR} CONFIGURE_DEPENDS
           ${dir}/${entry}/*.c ${dir}/${entry}/*.h)
      list(APPEND stray ${unbuilt})
    endif()
  endforeach()
  if(stray)
    string(REPLACE ";" " " stray "${stray}")
    string(REPLACE ";" ", " stages "${ARGN}")
    file(RELATIVE_PATH dir ${PROJECT_SOURCE_DIR} ${dir})
    message(FATAL_ERROR "${stray}: sources go in a stage folder of ${dir}/ (${stages}; "
                        "see their README.md), or a new stage is added to its CMakeLists.txt")
  endif()
endfunction()

# w2n_stage_sources(OUT DIR STAGE...): the .c files of DIR's stage folders.
function(w2n_stage_sources out dir)
  set(globs "")
  foreach(stage ${ARGN})
    list(APPEND globs ${dir}/${stage}/*.c)
  endforeach()
  file(GLOB sources CONFIGURE_DEPENDS ${globs})
  set(${out} ${sources} PARENT_SCOPE)
endfunction()
