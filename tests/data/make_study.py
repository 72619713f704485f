#!/usr/bin/python3
"""A realistic study for the facet layouts: five models of real shapes (a
40 x 40 Llama-2-13b, a 32 x 32 Mistral with 8 KV heads, a 28 x 28 Qwen2 with a
non-ASCII name, a 42 x 16 gemma-2 with 8 KV heads, an 80 x 64 Llama-2-70b with
a long checkpoint name), three conditions, one .npy of [layers, heads] scores
per (model, condition), and a spec binding them.
    make_study.py OUTDIR [--signed]
Writes OUTDIR/*.npy and OUTDIR/study.ini; prints nothing."""
import os
import sys

import numpy as np

MODELS = [
    ("Llama-2-13b-chat-hf", 40, 40, 0),
    ("Mistral-7B-Instruct-v0.2", 32, 32, 8),
    ("Qwen2-7B-Instruct (Zürich run ½)", 28, 28, 0),
    ("gemma-2-9b-it", 42, 16, 8),
    ("Llama-2-70b-chat-hf step-2024-03 ckpt", 80, 64, 8),
]
CONDITIONS = ["Undiff Attn.", "Scaling Cont.", "Refusal Dir. Ablation"]


def main():
    out = sys.argv[1]
    signed = "--signed" in sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261206)
    spec = ["[figure]", "title = Top {k} Safety Heads on {condition}", ""]
    for mi, (name, L, H, kv) in enumerate(MODELS):
        # a few strong heads in the middle layers, drifting between conditions
        base = rng.gamma(1.2, 2.0, size=(L, H))
        for ci, cond in enumerate(CONDITIONS):
            g = base * (0.7 + 0.3 * rng.random((L, H)))
            for k in range(12):
                l = int(L * (0.35 + 0.4 * rng.random()))
                h = int(H * rng.random())
                g[l, h] += 30 + 40 * rng.random() + 10 * ci
            if signed:
                g = g - np.median(g)
            f = f"m{mi}_c{ci}.npy"
            np.save(os.path.join(out, f), g.astype(np.float32))
            spec += [f"[source: {f}]", f"model = {name}", f"condition = {cond}", ""]
        if kv:
            spec += [f"[model: {name}]", f"kv_heads = {H // kv}", ""]
    with open(os.path.join(out, "study.ini"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(spec))


if __name__ == "__main__":
    main()
