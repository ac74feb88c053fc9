#!/bin/sh
# Fine-tunes an RT on one MoleculeNet regression set of ../shared/data (ESOL, FreeSolv, Lipophilicity) and measures
# it on that set's valid.csv, which neither the base model nor the fine-tune ever saw (make_pretrain_data.sh holds
# every MoleculeNet molecule out of pre-training; model selection uses 10 % of train.csv, seeded).
#
#   dataset         file column      property tag   unit
#   esol            logSolubility    <esol>         log mol/L
#   freesolv        expt             <freesolv>     kcal/mol (hydration free energy)
#   lipophilicity   exp              <lipo>         logD at pH 7.4
#
# The tags are the original RT's (smallmolecules.txt), so models/base already has them. Recipe: the original's
# alternating property prediction / conditional generation with the self-consistency loss (rt train's default
# recipe), batch 16, AdamW lr 2e-4 with 100 warm-up steps and linear decay, 3,000 steps, the checkpoint with the
# lowest validation RMSE kept (checkpoint-best). Values keep 2 decimals, as the files give them.
#
# usage: scripts/moleculenet/finetune.sh DATASET WORK_DIR [RT_BINARY] [FROM_MODEL] [SEED]
#   writes WORK_DIR/DATASET/ (the run) and prints the held-out evaluation of its best checkpoint
set -eu
dataset=${1:?usage: $0 esol|freesolv|lipophilicity WORK_DIR [RT_BINARY] [FROM_MODEL] [SEED]}
work=${2:?usage: $0 DATASET WORK_DIR [RT_BINARY] [FROM_MODEL] [SEED]}
rt=${3:-.build/release/rt}
from=${4:-models/base}
seed=${5:-42}
here=$(dirname "$0")
data=$(cd "$here/../../../shared/data" && pwd)
case $dataset in
    esol) column=logSolubility; tag=esol ;;
    freesolv) column=expt; tag=freesolv ;;
    lipophilicity) column=exp; tag=lipo ;;
    *) echo "unknown dataset '$dataset' (esol, freesolv or lipophilicity)" >&2; exit 2 ;;
esac
mkdir -p "$work"
"$rt" train --model "$from" --train "$data/$dataset/train.csv" --text-column smiles \
    --property-column "$column=$tag" --decimals keep --convert-smiles --validation-fraction 0.1 \
    --max-steps 3000 --batch-size 16 --learning-rate 2e-4 --warmup-steps 100 \
    --eval-steps 250 --save-steps 250 --log-steps 50 --seed "$seed" --quiet -o "$work/$dataset"
sed "1s/^smiles,$column\$/smiles,$tag/" "$data/$dataset/valid.csv" > "$work/$dataset-heldout.csv"
"$rt" evaluate regression "$work/$dataset-heldout.csv" --data-format csv --text-column smiles \
    --model "$work/$dataset/checkpoint-best"
