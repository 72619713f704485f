#!/usr/bin/env bash
# Peak memory of the whole headviz process on hostile and large score files
# (issue 15: no hang, no silent drop, memory bounded by the input). Each case
# writes its file here, runs headviz under peakrss (getrusage's ru_maxrss of
# the child: not a timing) and checks the exit code, the exact message and
# that the peak stays under the bound the README states (Score files
# (readers), "Limits"). Before the fix the hostile cases peaked at 267 MB to
# over 1 GB, or were read.
#   memory_test.sh HEADVIZ PEAKRSS READSCORES [skip]
# Skipped (exit 77) in sanitizer builds (their shadow memory is no measure)
# and without python3.
set -u
HV=$1
PEAK=$2
RS=$3
if [ "${4:-}" = skip ]; then
  echo "skip: peak memory means nothing under ASan/TSan"
  exit 77
fi
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "skip: no $PY"; exit 77; }
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1

"$PY" - <<'PY'
import json, struct, zipfile, zlib

def npy(shape, data=b"", descr="<f4"):
    d = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, ", ".join(str(x) for x in shape))
    hl = len(d) + 1
    while (10 + hl) % 64:
        hl += 1
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", hl) + (d.ljust(hl - 1) + "\n").encode() + data

def zip_stream(path, name, head, zeros):
    """a deflated member: head then `zeros` zero bytes, written in pieces"""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open(name, "w", force_zip64=False) as f:
            f.write(head)
            chunk = bytes(1 << 20)
            left = zeros
            while left:
                k = min(left, len(chunk))
                f.write(chunk[:k])
                left -= k

def patch_sizes(path, comp=None, size=None):
    b = bytearray(open(path, "rb").read())
    cd = b.index(b"PK\x01\x02")
    if comp is not None:
        struct.pack_into("<I", b, 18, comp); struct.pack_into("<I", b, cd + 20, comp)
    if size is not None:
        struct.pack_into("<I", b, 22, size); struct.pack_into("<I", b, cd + 24, size)
    open(path, "wb").write(b)

# a (4, 8) header, its 128 bytes, then 256 MiB of zeros: 0.25 MB deflated
zip_stream("tail.npz", "a.npy", npy((4, 8), bytes(128)), 256 << 20)
# the same, its zip entry claiming 100 bytes
zip_stream("liar.npz", "a.npy", npy((4, 8), bytes(128)), 256 << 20)
patch_sizes("liar.npz", size=100)
# a stored member claiming 4 GB
with zipfile.ZipFile("huge.npz", "w", zipfile.ZIP_STORED) as z:
    z.writestr("a.npy", npy((4, 8), bytes(128)))
patch_sizes("huge.npz", comp=0xFFFFFFF0, size=0xFFFFFFF0)
# 16 bytes of JSON naming a 4096 x 4096 grid
open("corner.json", "w").write('{"4095-4095": 1}')
# a 24 MB key
open("key.json", "w").write('{"' + "7" * (24 << 20) + '-1": 1}')
# the largest legal grid, dense: 1024 x 1024 float32 (4 MB) and as JSON (about 20 MB)
import random
random.seed(7)
vals = [random.random() for _ in range(1 << 20)]
open("big.npy", "wb").write(npy((1024, 1024), struct.pack("<%df" % len(vals), *vals)))
with open("big.json", "w") as f:
    f.write("{" + ", ".join('"%d-%d": %.6f' % (i >> 10, i & 1023, v) for i, v in enumerate(vals)) + "}")
# a 10 MB JSON list of samples (32 x 32 heads each)
with open("samples.json", "w") as f:
    f.write("[")
    n = 0
    first = True
    while n < 10_000_000:
        s = json.dumps({"%d-%d" % (l, h): round(random.random(), 6) for l in range(32) for h in range(32)})
        f.write(("" if first else ", ") + s)
        first = False
        n += len(s) + 2
    f.write("]")
PY

# run NAME BOUND_KB WANT_RC WANT_ERR CMD...: peak under BOUND_KB, exit code
# WANT_RC, stderr exactly WANT_ERR ("-": not checked)
run() {
  local name=$1 bound=$2 want_rc=$3 want_err=$4
  shift 4
  local kb rc err
  "$PEAK" "$@" >out.txt 2>err.txt
  rc=$?
  kb=$(tail -n 1 out.txt)
  err=$(cat err.txt)
  echo "     $name: peak $((kb / 1024)) MiB (bound $((bound / 1024)) MiB), exit $rc"
  check "$name: exit $want_rc" [ "$rc" -eq "$want_rc" ]
  [ "$want_err" = - ] || same "$name: the message" "$want_err" "$err"
  check "$name: peak under $((bound / 1024)) MiB" [ "$kb" -lt "$bound" ]
}
shot() { "$HV" --grid M C "$1" --screenshot "$T/o.png" --force --size 640x360; }
export -f shot
export HV T
sz=$(stat -c %s key.json)

run "npz: (4, 8) header + 256 MiB of zeros" $((40 << 10)) 2 \
  "headviz: tail.npz: member \"a\": byte 256: the member goes on after the data of shape (4, 8) of '<f4' (its header says the data ends here)" \
  bash -c 'shot tail.npz'
run "npz: a member claiming 100 bytes, inflating to 256 MiB" $((40 << 10)) 2 \
  "headviz: liar.npz: member \"a\": byte 256: the member goes on after the data of shape (4, 8) of '<f4' (its header says the data ends here)" \
  bash -c 'shot liar.npz'
run "npz: a stored member claiming 4 GB" $((40 << 10)) 2 \
  "headviz: huge.npz: member \"a\": the zip's directory says the member holds 4294967280 stored bytes, more than the whole file ($(stat -c %s huge.npz) bytes): the archive is cut short or damaged" \
  bash -c 'shot huge.npz'
run "json: 16 bytes naming a 4096 x 4096 grid" $((40 << 10)) 2 \
  "headviz: corner.json: key \"4095-4095\": layer 4095, head 4095 make the grid 4096 x 4096 = 16777216 heads, more than the limit of 1048576 (2^20) heads in a grid" \
  bash -c 'shot corner.json'
run "json: a 24 MiB key (the file and a half at most)" $((sz * 3 / 2 / 1024 + (24 << 10))) 2 \
  "headviz: key.json: key \"777777777777777777777777777777777777777777777777777777777777...\": expected \"LAYER-HEAD\" or \"L14H7\"" \
  bash -c 'shot key.json'
# readers alone (readscores prints the grid): a few times the file
run "reader: 1024 x 1024 float32 .npy (4 MiB)" $((32 << 10)) 0 - "$RS" big.npy
run "reader: 1024 x 1024 JSON ($(($(stat -c %s big.json) >> 20)) MiB)" $(($(stat -c %s big.json) * 4 / 1024 + (16 << 10))) 0 - "$RS" big.json
run "reader: a 10 MB JSON list of samples" $((40 << 10)) 0 - "$RS" samples.json
# the whole program: read, rank, draw
run "headviz: 1024 x 1024 float32 .npy, drawn" $((128 << 10)) 0 - bash -c 'shot big.npy'
run "headviz: 1024 x 1024 JSON, drawn" $((192 << 10)) 0 - bash -c 'shot big.json'
run "headviz: a 10 MB JSON list of samples, drawn" $((64 << 10)) 0 - bash -c 'shot samples.json'
finish
