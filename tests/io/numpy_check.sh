#!/usr/bin/env bash
# numpy_check.sh READSCORES: the readers against files written by real NumPy.
#
# Writes, with Debian's python3-numpy: np.save of float16/float32/float64 in C
# and Fortran order, big-endian, integer and bool arrays, format versions 2.0
# and 3.0; np.savez and np.savez_compressed (by name and the only member);
# np.savetxt with the default format, delimiter=',', fmt='%.6e' and a header;
# a [5, 4, 3] samples array reduced every way (mean, max, sum, abs-mean,
# count); json.dump with NaN and lists, and JSON Lines. Each file is read by
# READSCORES (tests/io/readscores.c) and its printed grid must equal, value
# for value (%.17g), what Python computes from the same array.
#
# Skipped (exit 77) with a notice when /usr/bin/python3 has no numpy.
set -euo pipefail
tool=${1:?usage: numpy_check.sh READSCORES}
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  echo "skip: /usr/bin/python3 cannot import numpy (apt-get install python3-numpy)"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$tool" "$dir" <<'PY'
import json, math, struct, subprocess, sys
import numpy as np

tool, d = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(12345)
failures = 0
cases = 0

def fmt(v):
    return "nan" if math.isnan(v) else "%.17g" % v

def expect_text(grid, samples):
    L, H = len(grid), len(grid[0])
    lines = ["%d %d %d" % (L, H, samples)]
    for row in grid:
        lines.append(" ".join(fmt(v) for v in row))
    return "\n".join(lines) + "\n"

def reduce(arr, mode="mean", top=10, absolute=False):
    """arr: [S, L, H] of Python floats; the reducer's rules, in Python."""
    S, L, H = len(arr), len(arr[0]), len(arr[0][0])
    out = [[float("nan")] * H for _ in range(L)]
    if mode == "count":
        counts = [[0.0] * H for _ in range(L)]
        for s in range(S):
            cells = [(l, h) for l in range(L) for h in range(H) if not math.isnan(arr[s][l][h])]
            key = (lambda c: -abs(arr[s][c[0]][c[1]])) if absolute else (lambda c: -arr[s][c[0]][c[1]])
            for l, h in sorted(cells, key=lambda c: (key(c), c[0], c[1]))[:top]:
                counts[l][h] += 1
        # a head no sample lists (or has a value for) counts 0 (issue 18)
        return counts
    for l in range(L):
        for h in range(H):
            vals = [arr[s][l][h] for s in range(S) if not math.isnan(arr[s][l][h])]
            if not vals:
                continue
            if mode == "max":
                out[l][h] = max(vals)
                continue
            acc = 0.0
            for v in vals:  # left to right, as the C reducer sums
                acc += abs(v) if mode == "abs-mean" else v
            out[l][h] = acc if mode == "sum" else acc / len(vals)
    return out

def as_floats(a):
    a = np.asarray(a)
    if a.ndim == 2:
        a = a[None]
    return a.astype(np.float64).tolist()

def check(name, path, args, want):
    global failures, cases
    cases += 1
    p = subprocess.run([tool] + args + [path], capture_output=True, text=True)
    if p.returncode != 0 or p.stdout != want:
        failures += 1
        print("FAIL %s: readscores %s %s (exit %d)" % (name, " ".join(args), path, p.returncode))
        print("  stderr: %s" % p.stderr.strip())
        got, exp = p.stdout.splitlines(), want.splitlines()
        for i in range(max(len(got), len(exp))):
            g = got[i] if i < len(got) else "<none>"
            e = exp[i] if i < len(exp) else "<none>"
            if g != e:
                print("  line %d: got      %s\n          expected %s" % (i + 1, g, e))
                break
    else:
        print("ok   %s" % name)

def grid_case(name, fname, arr, args=(), mode="mean", top=10, absolute=False, writer=None):
    path = "%s/%s" % (d, fname)
    writer(path)
    a = as_floats(arr)
    check(name, path, list(args), expect_text(reduce(a, mode, top, absolute), len(a)))

base = rng.normal(0, 3, size=(4, 3))
base[1, 2] = np.nan

# np.save: dtypes, orders, byte orders
for dt in ("<f2", "<f4", "<f8", ">f2", ">f4", ">f8"):
    for order in ("C", "F"):
        a = np.array(base, dtype=dt, order=order)
        fn = "save_%s_%s.npy" % (dt.replace("<", "le").replace(">", "be"), order)
        grid_case("np.save %s %s order" % (dt, order), fn, a,
                  writer=lambda p, a=a: np.save(p, a))
ints = rng.integers(-100, 100, size=(3, 5))
for dt in ("i1", "<i2", ">i4", "<i8", "u1", ">u2", "<u4", "<u8", "?"):
    a = np.array(np.abs(ints) if dt[-2] == "u" else ints, dtype=dt) if dt != "?" else ints > 0
    grid_case("np.save %s" % a.dtype.str, "ints_%d.npy" % cases, a,
              writer=lambda p, a=a: np.save(p, a))
# format versions 2.0 and 3.0
for ver in ((2, 0), (3, 0)):
    a = np.array(base, dtype="<f4")
    def w(p, a=a, ver=ver):
        with open(p, "wb") as f:
            np.lib.format.write_array(f, a, version=ver)
    grid_case("npy format %d.%d" % ver, "v%d.npy" % ver[0], a, writer=w)

# samples [5, 4, 3], every reduction
samples = rng.normal(0, 2, size=(5, 4, 3)).astype(np.float32)
samples[0, 0, 0] = np.nan
samples[1, 2, 1] = np.nan
samples[:, 3, 2] = np.nan          # a head with no score at all
samples[2, 1, :] = samples[2, 0, 0]  # ties for count
samples[4, 0, 1] = -9              # large |v| for count --abs
for order in ("C", "F"):
    a = np.array(samples, order=order)
    np.save("%s/samples_%s.npy" % (d, order), a)
    sa = as_floats(a)
    for mode in ("mean", "max", "sum", "abs-mean"):
        check("samples [5, 4, 3] %s order, %s" % (order, mode), "%s/samples_%s.npy" % (d, order),
              ["--reduce", mode], expect_text(reduce(sa, mode), 5))
    for top, absolute in ((3, False), (3, True), (1, False), (10, False)):
        check("samples %s order, count top %d%s" % (order, top, " abs" if absolute else ""),
              "%s/samples_%s.npy" % (d, order),
              ["--reduce", "count", "--top", str(top)] + (["--abs"] if absolute else []),
              expect_text(reduce(sa, "count", top, absolute), 5))

# npz
other = rng.normal(size=(2, 7))
np.savez("%s/named.npz" % d, scores=base, other=other)
np.savez_compressed("%s/named_c.npz" % d, scores=base.astype(np.float32), other=other)
np.savez("%s/single.npz" % d, samples)
np.savez_compressed("%s/single_c.npz" % d, samples)
check("np.savez by name", "%s/named.npz" % d, ["--tensor", "scores"],
      expect_text(reduce(as_floats(base)), 1))
check("np.savez by name.npy", "%s/named.npz" % d, ["--tensor", "other.npy"],
      expect_text(reduce(as_floats(other)), 1))
check("np.savez_compressed by name", "%s/named_c.npz" % d, ["--tensor", "scores"],
      expect_text(reduce(as_floats(base.astype(np.float32))), 1))
check("np.savez the only member", "%s/single.npz" % d, ["--reduce", "max"],
      expect_text(reduce(as_floats(samples), "max"), 5))
check("np.savez_compressed the only member", "%s/single_c.npz" % d, [],
      expect_text(reduce(as_floats(samples)), 5))

# np.savetxt: the text read back is what the expected values are made from
for name, kw in (("default", {}), ("delimiter=','", {"delimiter": ","}),
                 ("fmt='%.6e'", {"fmt": "%.6e"}), ("tab, header", {"delimiter": "\t", "header": "layer x head"})):
    path = "%s/grid_%d.txt" % (d, cases)
    np.savetxt(path, base, **kw)
    text = open(path).read()
    sep = kw.get("delimiter", " ")
    rows = [[float(x) for x in line.split(sep)] for line in text.splitlines() if not line.startswith("#")]
    check("np.savetxt %s" % name, path, [], expect_text(rows, 1))
    if name == "fmt='%.6e'":
        assert rows[0][0] != float(base[0, 0]), "the %.6e case must differ from the array"

# json.dump (NaN written as a bare token), lists of samples, JSON Lines
jd = {"%d-%d" % (l, h): float(base[l, h]) for l in range(4) for h in range(3)}
with open("%s/scores.json" % d, "w") as f:
    json.dump(jd, f)
check("json.dump with NaN", "%s/scores.json" % d, [], expect_text(reduce(as_floats(base)), 1))
sa = as_floats(samples)
jl = {"L%dH%d" % (l, h): [sa[s][l][h] for s in range(5)] for l in range(4) for h in range(3)}
with open("%s/lists.json" % d, "w") as f:
    json.dump(jl, f, indent=1)
for mode in ("mean", "count"):
    check("json.dump lists, %s" % mode, "%s/lists.json" % d, ["--reduce", mode, "--top", "3"],
          expect_text(reduce(sa, mode, 3), 5))
with open("%s/prompts.jsonl" % d, "w") as f:
    for s in range(5):
        f.write(json.dumps({"%d-%d" % (l, h): sa[s][l][h] for l in range(4) for h in range(3)}) + "\n")
check("JSON Lines, count top 3", "%s/prompts.jsonl" % d, ["--reduce", "count", "--top", "3"],
      expect_text(reduce(sa, "count", 3), 5))

# safetensors written by hand (the format's spec): F32 and F64 tensors
def save_st(path, tensors):
    header, blobs, off = {"__metadata__": {"format": "np"}}, [], 0
    for name, a in tensors.items():
        b = a.astype({"F32": "<f4", "F64": "<f8", "F16": "<f2"}[name.split("_")[0]]).tobytes()
        header[name] = {"dtype": name.split("_")[0], "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
save_st("%s/w.safetensors" % d, {"F32_s": samples, "F64_b": base, "F16_b": base})
check("safetensors F32 samples", "%s/w.safetensors" % d, ["--tensor", "F32_s"],
      expect_text(reduce(sa), 5))
check("safetensors F64", "%s/w.safetensors" % d, ["--tensor", "F64_b"],
      expect_text(reduce(as_floats(base)), 1))
check("safetensors F16", "%s/w.safetensors" % d, ["--tensor", "F16_b"],
      expect_text(reduce(as_floats(base.astype(np.float16))), 1))

print("%d cases, %d failed" % (cases, failures))
sys.exit(1 if failures else 0)
PY
