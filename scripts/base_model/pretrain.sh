#!/bin/sh
# Pre-trains the base model (models/base) exactly as it was trained: permutation language modelling (the
# original's `task: plm`, p = 1/6, spans ≤ 5) on the 1,601,659 QED-labelled molecules of make_pretrain_data.sh, as
# SELFIES (1.0.4 dialect), with a 6-layer XLNet (d_model 256, 16 heads × 16, d_inner 1024, no dropout) whose
# vocabulary starts from the original RT's smallmolecules.txt (507 tokens; the data add 8), so the base already
# has every SELFIES symbol of ESOL, FreeSolv and Lipophilicity. Operands of the large products in bfloat16
# (`--precision bf16`, float32 master weights and optimizer state).
#
# Stage 1 (this script's run, 2026-12-07): the schedule is set for 28,000 steps of 32 samples (0.56 epochs); the
# session ended it (Ctrl-C) at step 20,169, and models/base holds that checkpoint's weights as BF16:
#   rt model cast WORK_DIR/base1/checkpoint-last --dtype bf16 -o models/base
# Continue with `rt train --model models/base …` (fresh optimizer, short warm-up), or `--resume` while the run
# directory survives.
#
# usage: scripts/base_model/pretrain.sh WORK_DIR [RT_BINARY]
set -eu
work=${1:?usage: $0 WORK_DIR [RT_BINARY]}
rt=${2:-.build/release/rt}
here=$(dirname "$0")
data=$(cd "$here/../../../shared/data" && pwd)
[ -f "$work/pretrain.txt" ] || "$here/make_pretrain_data.sh" "$work" "$rt"
"$rt" train --train "$work/pretrain.txt" --convert-smiles \
    --config "$here/model_config.json" --vocab "$data/rt_examples/vocabs/smallmolecules.txt" \
    --training-config "$here/training_config.json" --validation-fraction 0.002 \
    --max-steps 28000 --batch-size 32 --learning-rate 5e-4 --warmup-steps 1000 \
    --eval-steps 2000 --save-steps 1000 --log-steps 100 --seed 42 --precision bf16 -o "$work/base1"
