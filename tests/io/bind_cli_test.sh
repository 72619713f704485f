#!/usr/bin/env bash
# Binding data the way runs name it (issue 18), through the real binary:
#   - per-prompt JSON Lines (top 10 of each prompt, written by numpy) counted
#     beside a dense .npy of the same model: --table equals a Python oracle
#     (counts, ties by layer then head), absent heads count 0, the extent is
#     the .npy's;
#   - the seed's points as sparse JSON, one file per condition: the seed
#     figure, byte-identical to the long CSV's still;
#   - two members of one .npz as two conditions, through two [source:]
#     sections and through two --grids, each from its own member;
#   - each message (exact) and exit code; --table as CSV, Markdown (parsed)
#     and LaTeX (compiled when pdflatex is there), atomic and no-clobber.
#   bind_cli_test.sh HEADVIZ SRC_DIR
# Skipped (exit 77) when /usr/bin/python3 has no numpy.
set -u
HV=$1
SRC=$2
. "$(dirname "$0")/../lib.sh"
need_numpy
cd "$T" || exit 1
cp "$SRC/assets/safety_heads.csv" seed.csv
cp "$SRC/assets/safety_heads.ini" seed.ini
mkdir -p out

# expect NAME MESSAGE ARGS...: exit 2, stderr exactly "headviz: MESSAGE", nothing written
expect() {
  local name=$1 msg=$2
  shift 2
  local err rc
  err=$("$HV" "$@" --screenshot out/x.png --size 320x180 2>&1 >/dev/null)
  rc=$?
  same "$name: the message" "headviz: $msg" "$err"
  check "$name: exit 2" [ $rc -eq 2 ]
  check "$name: nothing written" [ -z "$(ls out)" ]
}

# --- counted JSON Lines beside a dense .npy: the table against an oracle -----
/usr/bin/python3 - <<'PY'
import json
import numpy as np
rng = np.random.default_rng(18)
L, H = 32, 32
# 200 prompts, each its top 10 heads; heads of the last layers never appear,
# so the JSON Lines alone would not span 32 x 32
counts = np.zeros((L, H))
with open("prompts.jsonl", "w") as f:
    for p in range(200):
        s = rng.random((L, H))
        s[24:, :] = 0  # never in a prompt's top 10
        s[:, 28:] = 0
        flat = sorted(((-s[l, h], l, h) for l in range(L) for h in range(H)))[:10]
        f.write(json.dumps({f"{l}-{h}": float(s[l, h]) for _, l, h in flat}) + "\n")
        for _, l, h in flat:
            counts[l, h] += 1
np.save("dense.npy", rng.normal(size=(L, H)))
dense = np.load("dense.npy")
rows = ["model,condition,rank,layer,head,score"]
def table(cond, g, fmt):
    cells = sorted(((-g[l, h], l, h) for l in range(L) for h in range(H)))
    for r, (_, l, h) in enumerate(cells):
        rows.append(f"M,{cond},{r + 1},{l},{h},{fmt(g[l, h])}")
table("counted", counts, lambda v: "%d" % v)
table("dense", dense, lambda v: repr(float(v)))
open("oracle.csv", "w").write("\n".join(rows) + "\n")
PY
"$HV" --reduce count --grid M counted prompts.jsonl --grid M dense dense.npy --top all --table out.csv 2>err.txt
rc=$?
check "counted JSON Lines + dense .npy, --table: exit 0, nothing said ($(cat err.txt))" [ $rc -eq 0 -a ! -s err.txt ]
/usr/bin/python3 - <<'PY' >cmp.txt
import csv
got = list(csv.reader(open("out.csv")))
want = list(csv.reader(open("oracle.csv")))
bad = 0
for i, (g, w) in enumerate(zip(got, want)):
    same = g[:5] == w[:5] and (i == 0 or float(g[5]) == float(w[5]))
    if not same:
        bad += 1
        if bad < 4:
            print("row %d: got %s, expected %s" % (i, g, w))
if len(got) != len(want):
    print("rows: got %d, expected %d" % (len(got), len(want)))
PY
same "the table equals the Python oracle (counts, ties by layer then head; every score)" "" "$(cat cmp.txt)"
check "the counted condition lists all 32 x 32 heads (absent heads count 0: the .npy's extent)" \
  [ "$(grep -c ',counted,' out.csv)" = 1024 ]
check "a head no prompt lists counts 0" grep -q '^M,counted,[0-9]*,31,31,0$' out.csv
"$HV" --reduce count --grid M counted prompts.jsonl --top 3 --table - >top3.csv
check "--table - : CSV on standard output, --top 3" [ "$(wc -l <top3.csv)" = 4 ]
# without the dense file the JSON Lines alone make a smaller grid; a declared extent makes it 32 x 32
"$HV" --reduce count --grid M counted prompts.jsonl --extent M=32x32 --top all --table ext.csv
check "--extent M=32x32: the JSON Lines fit inside it (1024 heads)" [ "$(grep -c ',counted,' ext.csv)" = 1024 ]
printf '[model: M]\nlayers = 32\nheads = 32\n[source: prompts.jsonl]\nmodel = M\ncondition = counted\nreduce = count\n' >ext.ini
"$HV" --spec ext.ini --top all --table ext2.csv
check "layers = / heads = in [model:]: the same table" cmp -s ext.csv ext2.csv
# the first key of the first prompt past layer 15 (the rows are random)
key=$(/usr/bin/python3 -c "import json; d = json.loads(open('prompts.jsonl').readline()); print(next(k for k in d if int(k.split('-')[0]) >= 16))")
expect "a sparse key outside a declared extent" \
  "prompts.jsonl:1: key \"$key\": layer ${key%-*} is outside the 16 layers x 32 heads of model \"M\" (--extent M=16x32)" \
  --reduce count --grid M counted prompts.jsonl --extent M=16x32
/usr/bin/python3 -c "import numpy as np; np.save('small.npy', np.zeros((16, 32)))"
expect "a sparse key outside the extent of the model's dense file" \
  "prompts.jsonl:1: key \"$key\": layer ${key%-*} is outside the 16 layers x 32 heads of model \"M\" (from small.npy)" \
  --grid M dense small.npy --grid M counted prompts.jsonl --reduce count

# --- the seed's points as sparse JSON, one file per condition ----------------
/usr/bin/python3 - <<'PY'
import csv, json
rows = list(csv.DictReader(open("seed.csv")))
conds = list(dict.fromkeys(r["condition"] for r in rows))
models = list(dict.fromkeys(r["model"] for r in rows))
with open("seed_args", "w") as a:
    for c in conds:
        for j, m in enumerate(models):
            name = "seed_%d_%d.json" % (j, conds.index(c))
            json.dump({"%s-%s" % (r["layer"], r["head"]): float(r["score"])
                       for r in rows if r["model"] == m and r["condition"] == c}, open(name, "w"))
            a.write("--grid\0%s\0%s\0%s\0" % (m, c, name))
PY
args=()
while IFS= read -r -d '' a; do args+=("$a"); done <seed_args
"$HV" seed.csv --spec seed.ini --screenshot out/../csv.png --size 960x540 >/dev/null 2>&1
err=$("$HV" "${args[@]}" --spec seed.ini --screenshot json.png --size 960x540 2>&1 >/dev/null)
check "the seed's points as sparse JSON: exit 0, nothing said ($err)" [ $? -eq 0 -a -z "$err" ]
check "the seed's points as sparse JSON: byte-identical to the CSV still" cmp -s csv.png json.png

# --- two members of one .npz as two conditions --------------------------------
/usr/bin/python3 -c "
import numpy as np
u = np.zeros((4, 3)); u[1, 2] = 9
s = np.zeros((4, 3)); s[3, 0] = 7
np.savez('llama.npz', undiff=u, scaling=s)"
printf '[source: llama.npz]\nmodel = L\ncondition = Undiff\ntensor = undiff\n\n[source: llama.npz]\nmodel = L\ncondition = Scaling\ntensor = scaling\n' >two.ini
"$HV" --spec two.ini --top 1 --table - >two_spec.csv
same "two [source:] sections, one .npz: each condition from its own member" \
  "$(printf 'model,condition,rank,layer,head,score\nL,Undiff,1,1,2,9\nL,Scaling,1,3,0,7')" "$(cat two_spec.csv)"
"$HV" --grid L Undiff llama.npz --tensor undiff --grid L Scaling llama.npz --tensor scaling --top 1 --table - >two_cli.csv
same "two --grids, one .npz, --tensor after each: each from its own member" "$(cat two_spec.csv)" "$(cat two_cli.csv)"
"$HV" --spec two.ini --screenshot two.png --size 640x360 --table two.md 2>/dev/null
check "a picture and a table in one run" [ -s two.png -a -s two.md ]
expect "--tensor twice for one --grid" \
  '--tensor given twice for --grid "L" "U" llama.npz ("undiff", then "scaling")' \
  --grid L U llama.npz --tensor undiff --tensor scaling
expect "--tensor for a file it cannot apply to" \
  '--grid "M" "dense" dense.npy: --tensor x cannot apply: dense.npy is a .npy file, one array (--tensor names an .npz member or a safetensors tensor)' \
  --grid M dense dense.npy --tensor x
expect "--reduce for a file without a sample axis" \
  '--grid "M" "dense" dense.npy: --reduce count cannot apply: dense.npy has no sample axis (one layers x heads grid); --reduce applies to [samples, layers, heads] arrays, JSON lists and JSON Lines' \
  --grid M dense dense.npy --reduce count
expect "--tensor before the first --grid that applies to none" \
  '--tensor x (before the first --grid) applies to no --grid file: none is an .npz or a safetensors file' \
  --tensor x --grid M dense dense.npy
printf '[source: dense.npy]\nmodel = M\ncondition = d\ntensor = x\n' >badt.ini
expect "tensor = in a [source:] for a .npy" \
  'badt.ini:1: [source: dense.npy]: tensor = x cannot apply: dense.npy is a .npy file, one array (tensor = names an .npz member or a safetensors tensor)' \
  --spec badt.ini

# --- messages ------------------------------------------------------------------
/usr/bin/python3 - <<'PY'
import zipfile, numpy as np
with zipfile.ZipFile("w.pt", "w") as z:
    z.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
    z.writestr("archive/version", b"3\n")
with zipfile.ZipFile("w.bin", "w") as z:
    z.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
open("legacy.bin", "wb").write(b"\x80\x02\x8a\x0alZ\xfc\x9cF\xf9 j\xa8P\x19.")
np.save("g_a.npy", np.zeros((42, 16)))
np.save("g_b.npy", np.zeros((16, 42)))
PY
conv='(or safetensors.torch.save_file)'
expect "a torch .pt (a zip with data.pkl)" \
  "w.pt: a PyTorch file (torch.save, a pickle), which headviz does not read; convert it once in Python: np.save(\"w.npy\", torch.load(\"w.pt\").float().cpu().numpy()) $conv" \
  --grid M A w.pt
expect "a torch .bin" \
  "w.bin: a PyTorch file (torch.save, a pickle), which headviz does not read; convert it once in Python: np.save(\"w.npy\", torch.load(\"w.bin\").float().cpu().numpy()) $conv" \
  --grid M A w.bin
expect "a legacy torch pickle" \
  "legacy.bin: a PyTorch file (torch.save, a pickle), which headviz does not read; convert it once in Python: np.save(\"legacy.npy\", torch.load(\"legacy.bin\").float().cpu().numpy()) $conv" \
  --grid M A legacy.bin
err=$("$HV" --grid Q runs/q.npy --screenshot x.png 2>&1); rc=$?
same "--grid one value short, then an option: named" \
  'headviz: --grid needs three values: MODEL CONDITION FILE; got 2: "Q" "runs/q.npy", then the option --screenshot' "$err"
check "--grid one value short: exit 2, nothing written" [ $rc -eq 2 -a ! -e x.png ]
expect "a transposed grid" \
  'g_b.npy: 16 layers x 42 heads, but the other files of model "gemma-2-9b-it" are 42 x 16 (g_a.npy): transposed? a [heads, layers] array; save it as [layers, heads] (np.save(path, a.T))' \
  --grid gemma-2-9b-it A g_a.npy --grid gemma-2-9b-it B g_b.npy
printf '[model: M]\nlayers = 16\nheads = 42\n' >decl.ini
expect "a grid transposed against the declared extent" \
  'g_a.npy: 42 layers x 16 heads, but model "M" is 16 x 42 (layers = and heads = in [model: M] of decl.ini): transposed? a [heads, layers] array; save it as [layers, heads] (np.save(path, a.T))' \
  --spec decl.ini --grid M A g_a.npy
expect "--models names a model the data lacks" \
  '--models: "Mistral" names no model in the data (did you mean "Mistral-7B-Instruct-v0.2"?); the models are "Mistral-7B-Instruct-v0.2"' \
  --grid Mistral-7B-Instruct-v0.2 A dense.npy --models Mistral

# names: trimmed; every unmatched section warned; near-duplicates warned
printf '[model: Mistral-7B-Instruct]\nmarker = x\n[model: Gemma]\nmarker = x\n[condition: undiff attn]\nrange = 0, 1\n' >names.ini
err=$("$HV" --spec names.ini --grid "Mistral-7B-Instruct-v0.2 " "Undiff Attn" dense.npy --grid " Mistral-7B-Instruct-v0.2" "Undiff Attn." dense.npy \
  --screenshot names.png --size 640x360 2>&1 >/dev/null)
rc=$?
same "names: every unmatched section, did you mean, near-duplicates (exact warnings)" \
  "$(printf '%s\n' \
    'headviz: warning: names.ini: [condition: undiff attn] names no condition in the data (did you mean "Undiff Attn"?)' \
    'headviz: warning: names.ini: [model: Mistral-7B-Instruct] names no model in the data (did you mean "Mistral-7B-Instruct-v0.2"?)' \
    'headviz: warning: names.ini: [model: Gemma] names no model in the data' \
    'headviz: warning: condition "Undiff Attn" and "Undiff Attn." differ only in case, punctuation or spaces: they are two conditions; if they are one, spell them alike')" \
  "$err"
check "names: exit 0 (warnings only)" [ $rc -eq 0 -a -s names.png ]
"$HV" --grid "Mistral " A dense.npy --grid Mistral B dense.npy --top 1 --table - >trim.csv
check "names trimmed: \"Mistral \" and \"Mistral\" are one model" [ "$(cut -d, -f1 trim.csv | sort -u | tr '\n' ' ')" = "Mistral model " ]

# --- --table: formats, no clobber ------------------------------------------------
"$HV" seed.csv --top 2 --table t.md
/usr/bin/python3 - <<'PY' >md.txt
lines = open("t.md").read().splitlines()
cells = [[c.strip() for c in l.strip().strip("|").split("|")] for l in lines]
ok = lines[0].startswith("|") and all(len(c) == 6 for c in cells) and all(set(c) <= set("-:") for c in cells[1])
ok = ok and cells[0] == ["model", "condition", "rank", "layer", "head", "score"] and len(cells) == 2 + 8
print("ok" if ok else "bad: %r" % cells[:3])
PY
same "--table .md: a Markdown table (header, separator, 8 rows of 6 cells)" ok "$(cat md.txt)"
"$HV" seed.csv --top 2 --table t.tex
check "--table .tex: a booktabs tabular" grep -q '^\\toprule$' t.tex
if command -v pdflatex >/dev/null 2>&1; then
  printf '\\documentclass{article}\\usepackage{booktabs}\\begin{document}\\input{t.tex}\\end{document}\n' >doc.tex
  check "--table .tex compiles with pdflatex" bash -c 'pdflatex -interaction=nonstopmode -halt-on-error doc.tex >/dev/null 2>&1 && [ -s doc.pdf ]'
else
  echo "note: no pdflatex: the LaTeX table is not compiled"
fi
err=$("$HV" seed.csv --top 2 --table t.md 2>&1); rc=$?
same "--table over an existing file: refused" "headviz: t.md: file exists; use --force to overwrite" "$err"
check "--table over an existing file: exit 2" [ $rc -eq 2 ]
"$HV" seed.csv --top 3 --table t.md --force
check "--table --force replaces it" [ "$(wc -l <t.md)" = 14 ]
err=$("$HV" seed.csv --table t.xlsx 2>&1); rc=$?
same "--table of an unknown kind" "headviz: --table t.xlsx: expected a .csv, .md or .tex file, or - (CSV on standard output)" "$err"
check "--table of an unknown kind: exit 2, nothing written" [ $rc -eq 2 -a ! -e t.xlsx ]
finish
