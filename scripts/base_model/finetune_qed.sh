#!/bin/sh
# The QED model fine-tuned from the base model (models/base): the original's QED recipe — property prediction and
# conditional generation alternating every 50 batches, self-consistency loss (α = 1), generation spans p = 0.4,
# ≤ 12 tokens (qed_training_config.json) — on the base's own pre-training data (make_pretrain_data.sh: 1.6 M
# QED-labelled molecules, the QED test molecules of make_qed_data.sh held out). The validation split is the
# base's (fraction 0.002, seed 42), so validation molecules are unseen by both stages. bf16 products.
#
# usage: scripts/base_model/finetune_qed.sh WORK_DIR [RT_BINARY] [STEPS]
#   expects WORK_DIR/pretrain.txt (make_pretrain_data.sh WORK_DIR); writes WORK_DIR/qed1/ and evaluates its final
#   model on WORK_DIR/qed/test_unseen.txt
set -eu
work=${1:?usage: $0 WORK_DIR [RT_BINARY] [STEPS]}
rt=${2:-.build/release/rt}
steps=${3:-9000}
here=$(dirname "$0")
[ -f "$work/pretrain.txt" ] || "$here/make_pretrain_data.sh" "$work" "$rt"
"$rt" train --model "$here/../../models/base" --train "$work/pretrain.txt" --convert-smiles \
    --training-config "$here/qed_training_config.json" --validation-fraction 0.002 \
    --max-steps "$steps" --batch-size 32 --learning-rate 3e-4 --warmup-steps 300 \
    --eval-steps 1500 --save-steps 500 --log-steps 100 --seed 42 --precision bf16 -o "$work/qed1"
"$rt" evaluate regression "$work/qed/test_unseen.txt" --model "$work/qed1"
