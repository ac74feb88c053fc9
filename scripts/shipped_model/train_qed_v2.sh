#!/bin/sh
# Trains the shipped QED model v2 (models/qed) exactly as it was trained: v1 (train_qed.sh, 16,000 steps), then two
# fine-tuning runs of the same alternating recipe on the same data with `rt train --model`:
#   stage 2: 12,000 steps, AdamW 5e-4, 300 warm-up steps; its best validation checkpoint (step 10,000) is kept;
#   stage 3: that checkpoint with dropout 0 (config.json), 34,000 steps, AdamW 5e-4, 300 warm-up steps.
# Every stage uses seed 42, so the validation split (0.5 %) is the same in all three and the held-out files of
# make_qed_data.sh are never seen. Each stage is deterministic for its seed.
#
# usage: scripts/shipped_model/train_qed_v2.sh WORK_DIR [RT_BINARY]      (then copy WORK_DIR/run3 to models/qed)
set -eu
work=${1:?usage: $0 WORK_DIR [RT_BINARY]}
rt=${2:-.build/release/rt}
here=$(dirname "$0")
"$here/train_qed.sh" "$work" "$rt"                   # stage 1 → $work/run (v1)
common="--train $work/trainval.txt --validation-fraction 0.005 --convert-smiles --decimals keep --batch-size 32
        --learning-rate 5e-4 --warmup-steps 300 --eval-steps 2000 --log-steps 100 --seed 42"
# shellcheck disable=SC2086
"$rt" train --model "$work/run" $common -o "$work/run2" --max-steps 12000 --save-steps 500
rm -rf "$work/stage3-init"
cp -R "$work/run2/checkpoint-best" "$work/stage3-init"
rm -f "$work/stage3-init/trainer_state.json"
sed 's/"dropout": 0.1/"dropout": 0.0/' "$work/run2/checkpoint-best/config.json" > "$work/stage3-init/config.json"
# shellcheck disable=SC2086
"$rt" train --model "$work/stage3-init" $common -o "$work/run3" --max-steps 34000 --save-steps 1000
"$rt" evaluate regression "$work/test_unseen.txt" --model "$work/run3" --plot "$work/parity.svg" > "$work/regression.json"
cat "$work/regression.json"
