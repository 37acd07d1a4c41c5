# hoshin_embed_text(OUTPUT NAMESPACE FILE SYMBOL [FILE SYMBOL ...])
#
# Writes OUTPUT, a C++ source that defines, in NAMESPACE, each SYMBOL as a
# `const char* const` holding FILE's text, so the binary carries its data
# (profiles, dataset tables, help texts, messages) and needs no install path.
# Editing a FILE re-runs CMake.
function(hoshin_embed_text output namespace)
  set(pairs ${ARGN})
  list(LENGTH pairs n)
  math(EXPR odd "${n} % 2")
  if(n EQUAL 0 OR odd)
    message(FATAL_ERROR "hoshin_embed_text: FILE SYMBOL pairs expected, got: ${pairs}")
  endif()
  set(body "")
  set(sources "")
  while(pairs)
    list(POP_FRONT pairs file symbol)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(READ ${file} text)
    if(text MATCHES "\\)HOSHIN_TEXT\"")
      message(FATAL_ERROR "hoshin_embed_text: ${file} holds the raw string's delimiter")
    endif()
    file(RELATIVE_PATH relative ${PROJECT_SOURCE_DIR} ${file})
    list(APPEND sources ${relative})
    string(APPEND body "extern const char* const ${symbol};\nconst char* const ${symbol} = R\"HOSHIN_TEXT(${text})HOSHIN_TEXT\";\n")
  endwhile()
  list(JOIN sources ", " from)
  file(CONFIGURE OUTPUT ${output}
       CONTENT "// Generated from ${from}; do not edit.\nnamespace ${namespace} {\n@body@}\n"
       @ONLY)
endfunction()
