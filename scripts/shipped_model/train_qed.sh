#!/bin/sh
# Trains the shipped QED model (models/qed) exactly as it was trained: the data of make_qed_data.sh, the model of
# model_config.json (4 layers, d_model 128, 8 heads, SELFIES, float numerical encodings), the original's alternating
# QED recipe (property prediction / conditional generation every 50 batches, self-consistency loss α = 1,
# span masking p = 0.4, spans ≤ 12), 16,000 steps of 32 samples, AdamW 1e-3 with 800 warmup steps and linear decay.
# One seed gives the same run; Ctrl-C writes a checkpoint and `--resume` continues it.
#
# usage: scripts/shipped_model/train_qed.sh WORK_DIR [RT_BINARY]      (then copy WORK_DIR/run to models/qed)
set -eu
work=${1:?usage: $0 WORK_DIR [RT_BINARY]}
rt=${2:-.build/release/rt}
here=$(dirname "$0")
"$here/make_qed_data.sh" "$work"
"$rt" train --train "$work/trainval.txt" --validation-fraction 0.005 --convert-smiles \
    --config "$here/model_config.json" --decimals keep -o "$work/run" \
    --max-steps 16000 --batch-size 32 --learning-rate 1e-3 --warmup-steps 800 \
    --eval-steps 2000 --save-steps 500 --log-steps 100 --seed 42
"$rt" evaluate regression "$work/test_unseen.txt" --model "$work/run" --plot "$work/parity.svg" > "$work/regression.json"
cat "$work/regression.json"
