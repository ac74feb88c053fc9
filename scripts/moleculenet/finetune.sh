#!/bin/sh
# Fine-tunes an RT on one MoleculeNet regression set of ../shared/data (ESOL, FreeSolv, Lipophilicity) and measures
# it on that set's valid.csv, which neither the base model nor the fine-tune ever saw (make_pretrain_data.sh holds
# every MoleculeNet molecule out of pre-training; model selection uses 10 % of train.csv, seeded).
#
#   dataset         file column      property tag   unit
#   esol            logSolubility    <esol>         log mol/L
#   freesolv        expt             <freesolv>     kcal/mol (hydration free energy)
#   lipophilicity   exp              <lipophilicity> logD at pH 7.4
#
# <esol> and <freesolv> are in models/base's vocabulary (the original's smallmolecules.txt); <lipophilicity> is
# added by rt train (new embedding row). None of the three was trained in pre-training (its data carry <qed> only).
#
# vmax: the numerical encodings scale a digit's value v by 10/vmax. The base and QED models use vmax 1 on QED
# digits (v ≤ 0.9); these sets have ones and tens digits (v up to 9 or 20), so their encodings would be 10–20×
# larger than anything the model saw. VMAX (default 10) rewrites the starting folder's config.json vmax in a copy
# (WORK_DIR/DATASET-from-vmaxVMAX), so a ones digit of these sets has the encoding a tenths digit of QED had.
#
# Recipe: the original's
# alternating property prediction / conditional generation with the self-consistency loss (rt train's default
# recipe), batch 16, AdamW lr 2e-4 with 100 warm-up steps and linear decay, 3,000 steps, the checkpoint with the
# lowest validation RMSE kept (checkpoint-best). Values keep 2 decimals, as the files give them.
#
# usage: scripts/moleculenet/finetune.sh DATASET WORK_DIR [RT_BINARY] [FROM_MODEL] [SEED] [VMAX]
#   writes WORK_DIR/DATASET-vmaxVMAX/ (the run) and prints the held-out evaluation of its best checkpoint
set -eu
dataset=${1:?usage: $0 esol|freesolv|lipophilicity WORK_DIR [RT_BINARY] [FROM_MODEL] [SEED]}
work=${2:?usage: $0 DATASET WORK_DIR [RT_BINARY] [FROM_MODEL] [SEED]}
rt=${3:-.build/release/rt}
from=${4:-models/base}
seed=${5:-42}
vmax=${6:-10}
here=$(dirname "$0")
data=$(cd "$here/../../../shared/data" && pwd)
case $dataset in
    esol) column=logSolubility; tag=esol ;;
    freesolv) column=expt; tag=freesolv ;;
    lipophilicity) column=exp; tag=lipophilicity ;;
    *) echo "unknown dataset '$dataset' (esol, freesolv or lipophilicity)" >&2; exit 2 ;;
esac
mkdir -p "$work"
start="$work/$dataset-from-vmax$vmax"
rm -rf "$start"
cp -r "$from" "$start"
awk -v vmax="$vmax" '/"vmax"/ { sub(/"vmax": *[^,}]*/, "\"vmax\": " vmax) } { print }' "$from/config.json" > "$start/config.json"
grep -q "\"vmax\": $vmax" "$start/config.json" || { echo "could not set vmax in $start/config.json" >&2; exit 1; }
"$rt" train --model "$start" --train "$data/$dataset/train.csv" --text-column smiles \
    --property-column "$column=$tag" --decimals keep --convert-smiles --validation-fraction 0.1 \
    --max-steps 3000 --batch-size 16 --learning-rate 2e-4 --warmup-steps 100 \
    --eval-steps 250 --save-steps 250 --log-steps 50 --seed "$seed" --quiet -o "$work/$dataset-vmax$vmax"
sed "1s/^smiles,$column\$/smiles,$tag/" "$data/$dataset/valid.csv" > "$work/$dataset-heldout.csv"
"$rt" evaluate regression "$work/$dataset-heldout.csv" --data-format csv --text-column smiles \
    --model "$work/$dataset-vmax$vmax/checkpoint-best"
