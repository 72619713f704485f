#!/usr/bin/env bash
# Score files through the real binary (issue 9):
#   - the seed's scores written as full 32 x 32 grids (every other head no
#     score) in every format: --top 10 gives the seed figure, byte-identical
#     to the long CSV's still;
#   - a [source: ...] spec, relative paths, --tensor, --top, --rank-by;
#   - malformed files: exit 2, one line naming the file and the place,
#     nothing written; every truncation of a small file of each format exits
#     0 (a PNG) or 2 (one line, nothing written), never anything else.
#   grids_cli_test.sh HEADVIZ SRC_DIR
# Skipped (exit 77) when /usr/bin/python3 has no numpy.
set -u
HV=$1
SRC=$2
. "$(dirname "$0")/../lib.sh"
need_numpy
cd "$T" || exit 1
cp "$SRC/assets/safety_heads.csv" seed.csv
cp "$SRC/assets/safety_heads.ini" seed.ini

# --- the seed as grids, in every format --------------------------------------
/usr/bin/python3 - <<'PY'
import csv, json, math, struct, zipfile, io
import numpy as np
rows = list(csv.DictReader(open("seed.csv")))
grids = {}
for r in rows:
    key = (r["model"], r["condition"])
    g = grids.setdefault(key, np.full((32, 32), np.nan))
    g[int(r["layer"]), int(r["head"])] = float(r["score"])
def safetensors(path, arrays):
    header, data = {}, b""
    for name, a in arrays.items():
        b = a.astype("<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(a.shape), "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    open(path, "wb").write(struct.pack("<Q", len(h)) + h + data)
def jsonable(g):
    return {f"{l}-{h}": (None if math.isnan(g[l, h]) else float(g[l, h])) for l in range(32) for h in range(32)}
for i, ((model, cond), g) in enumerate(grids.items()):
    stem = f"g{i}"
    np.save(stem + ".npy", g)
    np.savez(stem + "_stored.npz", scores=g)
    np.savez_compressed(stem + "_deflated.npz", scores=g, other=np.zeros(3))
    json.dump(jsonable(g), open(stem + ".json", "w"))
    # TransformerLens names and NaN as Python writes it, one prompt
    open(stem + ".jsonl", "w").write(json.dumps({f"L{l}H{h}": float(g[l, h]) for l in range(32) for h in range(32)}) + "\n")
    np.savetxt(stem + ".txt", g, delimiter=",")
    safetensors(stem + ".safetensors", {"scores": g})
    open(stem + ".names", "w").write(model + "\n" + cond + "\n")
PY
grid_args() { # grid_args EXT: --grid MODEL CONDITION gN.EXT for the four grids
  local i model cond
  for i in 0 1 2 3; do
    { read -r model; read -r cond; } <"g$i.names"
    printf '%s\0%s\0%s\0%s\0' --grid "$model" "$cond" "g$i$1"
  done
}
mkdir -p out
"$HV" seed.csv --spec seed.ini --screenshot out/csv.png --size 960x540 >/dev/null 2>&1
check "the long CSV still" [ -s out/csv.png ]
"$HV" --screenshot out/bundled.png --size 960x540 >/dev/null 2>&1
check "the bundled data: the same still as its CSV with its spec" cmp -s out/csv.png out/bundled.png
for ext in .npy _stored.npz _deflated.npz .json .jsonl .txt .safetensors; do
  args=()
  while IFS= read -r -d '' a; do args+=("$a"); done < <(grid_args "$ext")
  extra=()
  # before the first --grid: every --grid's member (issue 18)
  [ "$ext" = _deflated.npz ] && extra=(--tensor scores)
  err=$("$HV" "${extra[@]}" "${args[@]}" --top 10 --spec seed.ini --screenshot "out/grid$ext.png" --size 960x540 2>&1 >/dev/null)
  rc=$?
  check "grids as $ext: exit 0 and nothing said ($err)" [ $rc -eq 0 -a -z "$err" ]
  check "grids as $ext, --top 10: byte-identical to the CSV still" cmp -s out/csv.png "out/grid$ext.png"
done

# --- a spec that names its sources, relative to the spec's folder ----------
mkdir -p talk/runs
cp g0.npy g1.npy g2.npy g3.npy talk/runs/
{ cat seed.ini
  for i in 0 1 2 3; do
    { read -r model; read -r cond; } <"g$i.names"
    printf '\n[source: runs/g%d.npy]\nmodel = %s\ncondition = %s\n' "$i" "$model" "$cond"
  done; } >talk/talk.ini
"$HV" --spec talk/talk.ini --screenshot out/spec.png --size 960x540 >/dev/null 2>&1
check "[source: ...] sections (paths beside the spec): the seed figure" cmp -s out/csv.png out/spec.png
printf '[source: runs/g0.npy]\nmodel = m\n' >talk/nocond.ini
err=$("$HV" --spec talk/nocond.ini --screenshot out/x.png 2>&1); rc=$?
check "a source without condition =: exit 2 + message" [ $rc -eq 2 -a "$err" = "headviz: talk/nocond.ini:1: [source: runs/g0.npy] needs condition = (the model and condition its scores are)" ]

# --- --top, --rank-by, --tensor ------------------------------------------------
/usr/bin/python3 - <<'PY'
import numpy as np
g = np.arange(32, dtype=np.float32).reshape(4, 8) - 16  # -16 .. 15
np.save("signed.npy", g)
np.savez("two.npz", a=g, b=g * 2)
PY
printf '[figure]\ntitle = {k} heads\n' >k.ini
"$HV" --grid m A signed.npy --spec k.ini --top 3 --screenshot out/top3.png --size 320x180 >/dev/null 2>&1
"$HV" --grid m A signed.npy --spec k.ini --top all --screenshot out/topall.png --size 320x180 >/dev/null 2>&1
check "--top 3 and --top all draw different figures" bash -c "[ -s out/top3.png ] && [ -s out/topall.png ] && ! cmp -s out/top3.png out/topall.png"
"$HV" --grid m A signed.npy --spec k.ini --top 3 --rank-by abs --screenshot out/abs.png --size 320x180 >/dev/null 2>&1
check "--rank-by abs picks other heads than by value" bash -c "[ -s out/abs.png ] && ! cmp -s out/top3.png out/abs.png"
err=$("$HV" --grid m A two.npz --screenshot out/x.png 2>&1); rc=$?
check "an .npz of two arrays without --tensor: exit 2 + how to choose" [ $rc -eq 2 -a "$err" = "headviz: two.npz: holds 2 arrays, name the one to read: a, b (--tensor NAME right after its --grid)" ]
"$HV" --grid m A two.npz --tensor b --screenshot out/b.png --size 320x180 >/dev/null 2>&1
check "--tensor b reads that member" [ -s out/b.png ]
err=$("$HV" --top 0 --screenshot out/x.png 2>&1); rc=$?
check "--top 0: exit 2" [ $rc -eq 2 -a "$err" = "headviz: --top: 0 is out of range (1..1e+06)" ]

# --- malformed files: exit 2, one line naming the file and the place ------------
rm -rf out && mkdir out
expect() { # expect NAME MESSAGE ARGS...
  local name=$1 msg=$2
  shift 2
  local err rc
  err=$("$HV" "$@" --screenshot out/x.png 2>&1 >/dev/null); rc=$?
  check "$name: exit 2" [ $rc -eq 2 ]
  check "$name: the message" [ "$err" = "headviz: $msg" ]
  check "$name: nothing written" [ -z "$(ls -A out)" ]
}
printf 'NOTNUMPY0123456789' >bad.npy
expect "wrong magic" 'bad.npy: byte 0: not a .npy file (it does not start with \x93NUMPY)' --grid m A bad.npy
/usr/bin/python3 -c "import numpy as np; np.save('c8.npy', np.zeros((2,2), np.complex64)); np.save('s84.npy', np.zeros((8,4))); np.save('s88.npy', np.zeros((8,8)))"
expect "unsupported dtype" "$( "$HV" --grid m A c8.npy --screenshot out/x.png 2>&1 | sed 's/^headviz: //')" --grid m A c8.npy
check "unsupported dtype: the message names the dtype" grep -q "c8" <<<"$("$HV" --grid m A c8.npy --screenshot out/x.png 2>&1)"
expect "shape mismatch between conditions of one model" \
  's88.npy: 8 layers x 8 heads, but the other files of model "m" are 8 x 4 (s84.npy)' --grid m A s84.npy --grid m B s88.npy
printf '{"1-2": 3, "one-two": 4}' >badkey.json
expect "a key that is not L-H" 'badkey.json: key "one-two": expected "LAYER-HEAD" or "L14H7"' --grid m A badkey.json
printf '\xff\xff\xff\x00\x00\x00\x00\x00{}' >big.safetensors
expect "a header length beyond the file" 'big.safetensors: byte 8: header length 16777215 goes past the end of the file (10 bytes)' --grid m A big.safetensors
expect "a missing grid file" 'missing.npy: cannot open: No such file or directory' --grid m A missing.npy
# a file name with a newline: quoted, the message one line (issue 15)
expect "a missing grid file named with a newline" '"no\x0ape.npy": cannot open: No such file or directory' --grid m A "$(printf 'no\npe.npy')"
printf '{"1-2": 3, "one-two": 4}' >"$(printf 'bad\nkey.json')"
expect "a grid file named with a newline" '"bad\x0akey.json": key "one-two": expected "LAYER-HEAD" or "L14H7"' --grid m A "$(printf 'bad\nkey.json')"
err=$("$HV" --screenshot out/x.png --grid m A 2>&1); rc=$?
check "--grid with too few values: exit 2 + message" [ $rc -eq 2 -a "$err" = "headviz: --grid needs three values: MODEL CONDITION FILE; got 2: \"m\" \"A\" (see headviz --help)" ]
expect "the same model and condition twice" 's84.npy: model "m", condition "A" already has scores from s84.npy' --grid m A s84.npy --grid m A s84.npy

# --- every truncation of a small file of each format --------------------------
/usr/bin/python3 - <<'PY'
import json, struct
import numpy as np
g = np.array([[1.5, 2.0, 0.25], [4.0, -1.0, 3.0]])
np.save("t.npy", g.astype("<f4"))
np.savez("t_stored.npz", g)
np.savez_compressed("t_deflated.npz", g)
json.dump({"0-0": 1.5, "0-1": [2.0, 2.5], "1-2": 3.0}, open("t.json", "w"))
open("t.jsonl", "w").write('{"L0H0": 1.5, "L1H2": 3}\n{"L0H1": 2}\n')
np.savetxt("t.txt", g)
h = json.dumps({"s": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}).encode()
h += b" " * ((8 - len(h) % 8) % 8)
open("t.safetensors", "wb").write(struct.pack("<Q", len(h)) + h + g.astype("<f4").tobytes())
PY
bad=0
runs=0
for f in t.npy t_stored.npz t_deflated.npz t.json t.jsonl t.txt t.safetensors; do
  ext=${f#t}
  size=$(stat -c %s "$f")
  for ((n = 0; n < size; n++)); do
    head -c "$n" "$f" >"cut$ext"
    rm -rf out && mkdir out
    err=$("$HV" --grid m A "cut$ext" --screenshot out/x.png --size 64x48 2>&1 >/dev/null); rc=$?
    runs=$((runs + 1))
    if [ $rc -eq 0 ]; then
      [ -s out/x.png ] || { bad=$((bad + 1)); echo "  $f cut at $n: exit 0 without a PNG"; }
    elif [ $rc -eq 2 ]; then
      if [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] || [ "${err#headviz: cut$ext}" = "$err" ] || [ -n "$(ls -A out)" ]; then
        bad=$((bad + 1))
        echo "  $f cut at $n: exit 2 but \"$err\" / $(ls -A out)"
      fi
    else
      bad=$((bad + 1))
      echo "  $f cut at $n: exit $rc: $err"
    fi
  done
done
check "every truncation of 7 small files ($runs runs): exit 0 with a PNG or exit 2 with one line, nothing written" [ $bad -eq 0 ]

finish
