#!/usr/bin/env bash
# --renderer auto (the default): one rule for PNG stills, PNG frames and
# video frames. A still: cpu. Frames: gl on a GPU, cpu when OpenGL is a
# software rasteriser (llvmpipe, softpipe, swrast), when there is no GPU
# device node (then no GL context is made to ask), when no context can be
# made. --timings says which renderer ran and why; auto's frames are
# byte-identical to those of the renderer it names.
# usage: renderer_test.sh HEADVIZ
set -u
HV=$1
. "$(dirname "$0")/../lib.sh"
F=(--layout morph --match rank --hold 0 --transition 1 --frames 6 --size 320x180)
line() { grep '^renderer: ' "$1"; }
same_frames() { # same_frames DIR1 DIR2: the same files, byte for byte
  local a=$1 b=$2 f
  [ "$(ls "$a")" = "$(ls "$b")" ] || return 1
  for f in "$a"/frame_*; do cmp -s "$f" "$b/${f##*/}" || return 1; done
}
"$HV" "${F[@]}" --export-frames "$T/cpu" --renderer cpu --timings >/dev/null 2>"$T/cpu.err"
same "--renderer cpu --timings: says so" "renderer: cpu (--renderer cpu)" "$(line "$T/cpu.err")"
"$HV" "${F[@]}" --export-frames "$T/gl" --renderer gl --timings >/dev/null 2>"$T/gl.err"
same "--renderer gl --timings: says so" "renderer: gl (--renderer gl)" "$(line "$T/gl.err")"

# the default, as the machine has it: without a GPU device node, cpu, and
# no GL driver loaded to find that out
gpu=0
{ [ -e /dev/nvidiactl ] || [ -e /dev/dxg ] || compgen -G '/dev/dri/renderD*' || compgen -G '/dev/dri/card*'; } >/dev/null && gpu=1
"$HV" "${F[@]}" --export-frames "$T/auto" --timings >/dev/null 2>"$T/auto.err"; rc=$?
check "default export: exit 0" [ $rc -eq 0 ]
if [ $gpu -eq 0 ]; then
  same "no GPU device node: cpu, and why" \
    "renderer: cpu (auto: no GPU device (/dev/dri, /dev/nvidiactl, /dev/dxg): OpenGL here is a software rasteriser)" \
    "$(line "$T/auto.err")"
  check "no GPU device node: the frames of --renderer cpu, byte for byte" same_frames "$T/auto" "$T/cpu"
  if command -v strace >/dev/null && strace -qq -e trace=none true 2>/dev/null; then
    strace -f -e trace=openat -o "$T/trace" "$HV" "${F[@]}" --export-frames "$T/auto2" >/dev/null 2>&1
    check "no GPU device node: no GL driver loaded to decide (no swrast, gallium, LLVM, EGL)" \
      bash -c "! grep -qiE 'swrast|gallium|libLLVM|libEGL|libGLX|dri/' '$T/trace'"
  fi
  "$HV" "${F[@]}" --export-frames "$T/auto3" --renderer auto >/dev/null 2>&1
  check "--renderer auto is the default" same_frames "$T/auto3" "$T/cpu"
else
  echo "skip the no-GPU-device cases: this machine has one"
fi

# asking OpenGL (what a machine with a GPU device node does): a software
# rasteriser gives cpu, a GPU gl; the frames are that renderer's
HEADVIZ_PROBE_GL=1 "$HV" "${F[@]}" --export-frames "$T/probe" --timings >/dev/null 2>"$T/probe.err"; rc=$?
l=$(line "$T/probe.err")
check "asking OpenGL: exit 0" [ $rc -eq 0 ]
if [[ $l =~ ^renderer:\ cpu\ \(auto:\ (llvmpipe|softpipe|swrast|Software\ Rasterizer)\ is\ a\ software\ rasteriser\ \(GL_RENDERER\ \".+\"\;\ asked\ in\ [0-9]+\ ms\)\)$ ]]; then
  ok "asking OpenGL: ${BASH_REMATCH[1]}: cpu ($l)"
  check "asking OpenGL: the frames of --renderer cpu, byte for byte" same_frames "$T/probe" "$T/cpu"
elif [[ $l =~ ^renderer:\ gl\ \(auto:\ .+\ is\ a\ GPU\)$ ]]; then
  ok "asking OpenGL: a GPU: gl ($l)"
  check "asking OpenGL: the frames of --renderer gl, byte for byte" same_frames "$T/probe" "$T/gl"
else
  bad "asking OpenGL: an unexpected line: $l"
fi
# no GL context at all (SDL's dummy driver has no OpenGL): cpu, exit 0
SDL_VIDEODRIVER=dummy HEADVIZ_PROBE_GL=1 "$HV" "${F[@]}" --export-frames "$T/nogl" --timings >/dev/null 2>"$T/nogl.err"
rc=$?
l=$(line "$T/nogl.err")
check "no OpenGL context: exit 0, cpu, and why ($l)" [ $rc -eq 0 ] && [[ $l == "renderer: cpu (auto: no OpenGL context ("*"))" ]]
check "no OpenGL context: the frames of --renderer cpu, byte for byte" same_frames "$T/nogl" "$T/cpu"
err=$(SDL_VIDEODRIVER=dummy "$HV" "${F[@]}" --export-frames "$T/nogl2" --renderer gl 2>&1 >/dev/null); rc=$?
check "no OpenGL context with --renderer gl: exit 1, nothing written" [ $rc -eq 1 -a -z "$(ls -A "$T/nogl2" 2>/dev/null)" ]

# a still: cpu, without asking
"$HV" --screenshot "$T/s.png" --size 320x180 --timings >/dev/null 2>"$T/s.err"
same "a still: cpu, and why" "renderer: cpu (auto: a still: cairo draws it on the CPU sooner than OpenGL starts)" "$(line "$T/s.err")"
"$HV" --screenshot "$T/s_cpu.png" --size 320x180 --renderer cpu >/dev/null 2>&1
check "a still: the bytes of --renderer cpu" cmp -s "$T/s.png" "$T/s_cpu.png"
"$HV" --screenshot "$T/s.pdf" --size 320x180 --renderer auto --timings >/dev/null 2>"$T/pdf.err"; rc=$?
check "--renderer auto with a PDF: accepted, no renderer line (cairo writes vectors)" [ $rc -eq 0 -a -z "$(line "$T/pdf.err")" ]
if command -v ffmpeg >/dev/null; then
  "$HV" "${F[@]}" --video "$T/v.webm" --timings >/dev/null 2>"$T/v.err"; rc=$?
  l=$(line "$T/v.err")
  check "a video: exit 0, says which renderer ($l)" [ $rc -eq 0 ] && [[ $l == "renderer: "* ]]
fi
err=$("$HV" --renderer vulkan --screenshot "$T/x.png" 2>&1); rc=$?
same "--renderer vulkan: exit 2 + message" "2 headviz: --renderer: unknown renderer \"vulkan\" (known: auto, cpu, gl)" "$rc $err"
finish
