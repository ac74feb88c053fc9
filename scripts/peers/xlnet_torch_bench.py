#!/usr/bin/env python3
"""Peer benchmark: HuggingFace XLNetLMHeadModel (PyTorch, CPU) — the numbers `rt bench train` / `rt bench infer`
are compared with, side by side on the same machine and configuration.

Adapted from ../shared/bench/peers/xlnet_torch_bench.py (written for this project; its reference results are in
../shared/bench/README.md and ../shared/spec/engine.md §6). Changes: `--mode train|infer|both` to mirror the two
`rt bench` verbs, `--format json` printing exactly one machine-readable JSON line on stdout (schema `rt-bench/1`,
see scripts/peers/README.md; human-readable lines go to stderr then), peak RSS, `--seed`, `--infer-seq`, and an
optional RT-style `attention_mask` / `inputs_embeds` path (`--rt-inputs`).

What is measured (RT's configs/rt_small.json shape by default, except n_layer 6 and dropout 0.1 as in the
shared reference runs):
  * train: one step = forward (two-stream attention with perm_mask and target_mapping, as in permutation-LM
    training) + backward + AdamW step (lr 1e-4, weight decay 0.01); tokens/s = batch * seq / median step time.
  * infer: one sequence of --infer-seq tokens in eval mode under torch.inference_mode(): a plain forward (no
    perm_mask: what `rt embed` / property scoring of a full sequence costs) and a PLM forward with perm_mask and a
    compact target_mapping (what filling masked property/molecule tokens costs). Median of --infer-reps.

target_mapping styles (--targets):
  full    - [B, L, L] one-hot rows for every position, labels -100 off-target (what RT's collators build, so HF's
            query stream runs over all L positions).
  compact - [B, P, L] with P = round(target_frac * L) target rows only.

Examples (run on an idle machine: check `uptime`/`top` first; the 32-layer runs take minutes and ~11 GB):
  PY=/work/venvs/torch/bin/python
  $PY scripts/peers/xlnet_torch_bench.py --layers 6  --threads 2 --targets full --format json
  $PY scripts/peers/xlnet_torch_bench.py --layers 32 --threads 2 --targets full --steps 3 --warmup 1 --format json
  $PY scripts/peers/xlnet_torch_bench.py --mode infer --layers 6 --format json
  # smoke test (seconds): --layers 1 --batch 2 --seq 16 --steps 1 --warmup 0 --infer-reps 2

Versions this was written and smoke-tested with: Python 3.11.7, torch 2.15.0+cu132, transformers 5.24.0
(pinned in scripts/fixtures/requirements.txt).
"""
import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time

p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                            formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--mode", choices=["train", "infer", "both"], default="both")
p.add_argument("--layers", type=int, default=6)
p.add_argument("--d-model", type=int, default=256)
p.add_argument("--heads", type=int, default=16)
p.add_argument("--d-inner", type=int, default=1024)
p.add_argument("--vocab", type=int, default=507)
p.add_argument("--dropout", type=float, default=0.1)
p.add_argument("--batch", type=int, default=16)
p.add_argument("--seq", type=int, default=128)
p.add_argument("--infer-seq", type=int, default=None, help="length of the inference sequence (default: --seq)")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--targets", choices=["full", "compact"], default="full")
p.add_argument("--target-frac", type=float, default=0.15)
p.add_argument("--steps", type=int, default=5, help="timed training steps")
p.add_argument("--warmup", type=int, default=2, help="untimed training steps first")
p.add_argument("--infer-reps", type=int, default=20)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--precision", choices=["float32", "bf16"], default="float32",
               help="bf16: forward (and so backward) under torch.autocast('cpu', dtype=torch.bfloat16)")
p.add_argument("--rt-inputs", action="store_true",
               help="feed inputs_embeds (embedding lookup outside the model, as RT does with numerical encodings) "
                    "and an all-ones attention_mask, like RT's collators; off by default to match the shared "
                    "reference runs")
p.add_argument("--profile", action="store_true", help="torch.profiler table for one training step (stderr)")
p.add_argument("--format", choices=["text", "json"], default="text",
               help="json: exactly one JSON line on stdout (schema rt-bench/1), everything else on stderr")
p.add_argument("--json", help="also append the JSON line to this file")
args = p.parse_args()
if args.infer_seq is None:
    args.infer_seq = args.seq
if args.seq % 2 or args.infer_seq % 2:
    p.error("--seq and --infer-seq must be even (RT pads every batch to an even length)")

# Thread env must be set before torch initialises its pools.
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import XLNetConfig, XLNetLMHeadModel  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

hf_logging.set_verbosity_error()
human = sys.stderr if args.format == "json" else sys.stdout


def say(msg):
    print(msg, file=human, flush=True)


torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)

B, L, V = args.batch, args.seq, args.vocab
cfg = XLNetConfig(
    vocab_size=V, d_model=args.d_model, n_layer=args.layers, n_head=args.heads,
    d_inner=args.d_inner, ff_activation="gelu", attn_type="bi", dropout=args.dropout,
    mem_len=None, reuse_len=None, bi_data=False, clamp_len=-1, same_length=False,
    layer_norm_eps=1e-12, pad_token_id=0, bos_token_id=14, eos_token_id=14,
)
model = XLNetLMHeadModel(cfg)
n_params = sum(p.numel() for p in model.parameters())


def plm_batch(batch, seq, frac, style, gen):
    """perm_mask / target_mapping / labels in the style of HF's PLM collator.

    perm_mask[b, i, j] = 1 means position i may NOT attend to j: j is a target and comes at or after i in a random
    factorisation order. Non-targets are visible to all.
    """
    ids = torch.randint(15, V, (batch, seq), generator=gen)  # ordinary tokens (no specials, no [PAD])
    n_t = max(1, round(frac * seq))
    perm_mask = torch.zeros(batch, seq, seq)
    tgt_pos = torch.stack([torch.randperm(seq, generator=gen)[:n_t].sort().values for _ in range(batch)])
    masked = torch.zeros(batch, seq, dtype=torch.bool)
    masked.scatter_(1, tgt_pos, True)
    for b in range(batch):
        rank = torch.full((seq,), -1, dtype=torch.long)
        rank[masked[b]] = torch.randperm(n_t, generator=gen)
        perm_mask[b] = ((rank.view(seq, 1) <= rank.view(1, seq)) & masked[b].view(1, seq)).float()
    labels_full = ids.clone()
    inputs = ids.clone()
    inputs[masked] = 14  # [MASK]
    if style == "full":
        target_mapping = torch.zeros(batch, seq, seq)
        idx = torch.arange(seq)
        target_mapping[:, idx, idx] = 1.0
        labels = labels_full.masked_fill(~masked, -100)
    else:
        target_mapping = torch.zeros(batch, n_t, seq)
        target_mapping.scatter_(2, tgt_pos.unsqueeze(-1), 1.0)
        labels = torch.gather(labels_full, 1, tgt_pos)
    return dict(input_ids=inputs, perm_mask=perm_mask, target_mapping=target_mapping, labels=labels)


def model_inputs(batch):
    """HF kwargs for a batch; with --rt-inputs, the embedding lookup happens outside (as RT adds its numerical
    encodings there) and an attention_mask is passed."""
    kw = {k: v for k, v in batch.items() if k != "input_ids"}
    if args.rt_inputs:
        ids = batch["input_ids"]
        kw["inputs_embeds"] = model.transformer.word_embedding(ids)
        kw["attention_mask"] = torch.ones(ids.shape, dtype=torch.float32)
    else:
        kw["input_ids"] = batch["input_ids"]
    return kw


def step_gflop(layers, batch, seq, n_pred, d=args.d_model, di=args.d_inner, vocab=V):
    """Analytic FLOPs of one HF training step (forward x 3), counting HF XLNet's einsums:
    content stream q,k,v,o (8Td^2) + position keys per batch element (2*2L*B*d^2 = 4Td^2)
    + ac/bd/attn-vec (2+4+2 TLd) + FFN (4Td*di); query stream with target_mapping [B,P,L]:
    q,o (4BPd^2) + two mapping einsums (4BPLd) + attention over L rows (8TLd) + FFN (4BPd*di);
    LM head on the P target rows (2BPdV)."""
    T, BP = batch * seq, batch * n_pred
    h = 12 * T * d * d + 8 * T * seq * d + 4 * T * d * di
    g = 4 * BP * d * d + 4 * BP * seq * d + 8 * T * seq * d + 4 * BP * d * di
    return 3 * (layers * (h + g) + 2 * BP * d * vocab) / 1e9


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


result = {
    "schema": "rt-bench/1", "engine": "pytorch",
    "engine_version": f"torch {torch.__version__}, transformers {transformers.__version__}",
    "python": platform.python_version(), "cpu_capability": torch.backends.cpu.get_cpu_capability(),
    "mode": args.mode, "threads": torch.get_num_threads(),
    "layers": args.layers, "d_model": args.d_model, "heads": args.heads, "d_inner": args.d_inner, "vocab": V,
    "dropout": args.dropout, "params": n_params, "rt_inputs": args.rt_inputs, "seed": args.seed,
}
say("# " + json.dumps(result))

import contextlib


def autocast():
    """torch.autocast to bfloat16 on CPU for --precision bf16, else nothing."""
    if args.precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()


result["precision"] = args.precision
gen = torch.Generator().manual_seed(args.seed + 1)
if args.mode in ("train", "both"):
    batches = [plm_batch(B, L, args.target_frac, args.targets, gen) for _ in range(2)]
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    model.train()

    def step(batch):
        opt.zero_grad(set_to_none=True)
        with autocast():
            out = model(**model_inputs(batch), use_mems=False)
        out.loss.backward()
        opt.step()
        return out.loss.item()

    for i in range(args.warmup):
        step(batches[i % 2])
    times = []
    loss = float("nan")
    for i in range(args.steps):
        t0 = time.perf_counter()
        loss = step(batches[i % 2])
        times.append(time.perf_counter() - t0)
    st = statistics.median(times)
    n_t = max(1, round(args.target_frac * L))
    gf = step_gflop(args.layers, B, L, batches[0]["target_mapping"].shape[1])
    result.update({
        "batch": B, "seq": L, "targets": args.targets, "target_frac": args.target_frac, "n_targets": n_t,
        "optimizer": "torch.optim.AdamW lr 1e-4 weight_decay 0.01",
        "train_warmup": args.warmup, "train_steps": args.steps,
        "train_step_ms_median": st * 1e3, "train_step_ms_min": min(times) * 1e3,
        "train_tokens_per_s": B * L / st, "train_loss_last": loss,
        "train_gflop_per_step": gf, "train_gflop_per_s": gf / st,
    })
    say(f"train  layers={args.layers} B={B} L={L} targets={args.targets}: step median {st * 1e3:.0f} ms "
        f"(min {min(times) * 1e3:.0f}) -> {B * L / st:.0f} tokens/s  loss={loss:.3f}  "
        f"[{gf:.1f} GFLOP/step analytic -> {gf / st:.0f} GFLOP/s]")

    if args.profile:
        from torch.profiler import ProfilerActivity, profile

        with profile(activities=[ProfilerActivity.CPU]) as prof:
            step(batches[0])
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25), file=sys.stderr)

if args.mode in ("infer", "both"):
    model.eval()
    Li = args.infer_seq
    one = plm_batch(1, Li, args.target_frac, "compact", gen)

    def timed(kw):
        for _ in range(3):
            with autocast():
                model(**kw)
        t = []
        for _ in range(args.infer_reps):
            t0 = time.perf_counter()
            with autocast():
                model(**kw)
            t.append(time.perf_counter() - t0)
        return statistics.median(t), min(t)

    with torch.inference_mode():
        plain_kw = model_inputs({"input_ids": one["input_ids"]})
        plain, plain_min = timed(dict(plain_kw, use_mems=False))
        plm_kw = model_inputs({k: v for k, v in one.items() if k != "labels"})
        plm, plm_min = timed(dict(plm_kw, use_mems=False))
    n_t = one["target_mapping"].shape[1]
    result.update({
        "infer_seq": Li, "infer_reps": args.infer_reps, "infer_plm_targets": n_t,
        "infer_plain_ms_median": plain * 1e3, "infer_plain_ms_min": plain_min * 1e3,
        "infer_plm_ms_median": plm * 1e3, "infer_plm_ms_min": plm_min * 1e3,
    })
    say(f"infer  layers={args.layers} 1x{Li}: plain forward {plain * 1e3:.1f} ms, "
        f"PLM forward ({n_t} targets) {plm * 1e3:.1f} ms")

result["peak_rss_bytes"] = peak_rss_bytes()
say(f"peak RSS {result['peak_rss_bytes'] / 2 ** 30:.2f} GiB")
line = json.dumps(result)
if args.format == "json":
    print(line, flush=True)
if args.json:
    with open(args.json, "a") as f:
        f.write(line + "\n")
