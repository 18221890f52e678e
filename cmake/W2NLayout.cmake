# The source layout (docs/architecture.md): compiler/ and runtime/ hold only
# stage folders, each with a README.md saying what it owns and may include.

# w2n_stage_sources(OUT DIR STAGE...): the .c files of DIR's stage folders.
# A .c or .h left directly in DIR (a file added before the split, say) stops
# the configure with its name, instead of silently not being built.
function(w2n_stage_sources out dir)
  file(GLOB stray RELATIVE ${PROJECT_SOURCE_DIR} CONFIGURE_DEPENDS ${dir}/*.c ${dir}/*.h)
  if(stray)
    string(REPLACE ";" " " stray "${stray}")
    message(FATAL_ERROR "${stray}: sources go in a stage folder of ${dir} "
                        "(see its folders' README.md)")
  endif()
  set(globs "")
  foreach(stage ${ARGN})
    list(APPEND globs ${dir}/${stage}/*.c)
  endforeach()
  file(GLOB sources CONFIGURE_DEPENDS ${globs})
  set(${out} ${sources} PARENT_SCOPE)
endfunction()
