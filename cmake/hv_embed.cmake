# Build-time embedding of files as C arrays (cmake/embed.cmake), for the
# native build (../CMakeLists.txt) and the web player (../src/web), which
# share the shaders' list and the bundled data this way.
#   hv_embed(GEN NAME FILES sym=path... [GLSL_ES] [DEPENDS extra...] [COMMENT text])
# writes GEN/NAME.c and GEN/NAME.h (GLSL_ES: shaders as #version 300 es).
set(HV_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed.cmake)
get_filename_component(HV_ROOT ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
set(HV_SHADERS rect.vert rect.frag marker.vert marker.frag text.vert text.frag heatmap.vert heatmap.frag)

function(hv_embed gen name)
  cmake_parse_arguments(E "GLSL_ES" "COMMENT" "FILES;DEPENDS" ${ARGN})
  set(paths "")
  foreach(f ${E_FILES})
    string(REGEX REPLACE "^[^=]*=" "" p "${f}")
    list(APPEND paths ${p})
  endforeach()
  string(REPLACE ";" "\\;" inputs "${E_FILES}")
  set(es "")
  if(E_GLSL_ES)
    set(es -DGLSL_ES=1)
  endif()
  add_custom_command(OUTPUT ${gen}/${name}.c ${gen}/${name}.h
    COMMAND ${CMAKE_COMMAND} -DOUT_C=${gen}/${name}.c -DOUT_H=${gen}/${name}.h ${es} "-DINPUTS=${inputs}"
            -P ${HV_EMBED_SCRIPT}
    DEPENDS ${E_DEPENDS} ${paths} ${HV_EMBED_SCRIPT} COMMENT "${E_COMMENT}")
endfunction()

# GEN/shaders.{c,h}: every shader of shaders/ as hv_shader_<name>_<kind>
function(hv_embed_shaders gen)
  set(files "")
  foreach(s ${HV_SHADERS})
    string(REPLACE "." "_" id "${s}")
    list(APPEND files "hv_shader_${id}=${HV_ROOT}/shaders/${s}")
  endforeach()
  hv_embed(${gen} shaders FILES ${files} ${ARGN})
endfunction()

# GEN/assets.{c,h}: the bundled figure (assets/safety_heads.csv and .ini)
function(hv_embed_assets gen)
  hv_embed(${gen} assets COMMENT "Embedding assets/"
           FILES "hv_asset_csv=${HV_ROOT}/assets/safety_heads.csv" "hv_asset_ini=${HV_ROOT}/assets/safety_heads.ini")
endfunction()
