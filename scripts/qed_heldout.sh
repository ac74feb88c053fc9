#!/bin/sh
# Held-out QED molecules for evaluating the shipped model (models/qed): 10,000 MOSES training-split molecules that are
# NOT in ../shared/data/moses/moses_train_qed_200k.csv.gz (the labelled 200k the model is trained on), labelled with
# the Chemistry module's RDKit-exact QED. Deterministic: every 50th line of moses_train.csv.gz (lines 7, 57, 107, …),
# minus the labelled molecules, first 10,000 in file order.
#
# usage: scripts/qed_heldout.sh OUT_DIR [RT_BINARY]
# writes OUT_DIR/heldout.csv (smiles,qed) and OUT_DIR/heldout_seeds.txt (the first 200 as SMILES, for generation).
set -eu
out=${1:?usage: $0 OUT_DIR [RT_BINARY]}
rt=${2:-.build/release/rt}
data=$(dirname "$0")/../../shared/data/moses
mkdir -p "$out"
zcat "$data/moses_train_qed_200k.csv.gz" | awk -F, 'NR > 1 { print $1 }' > "$out/labelled.txt"
zcat "$data/moses_train.csv.gz" | awk 'NR > 1' | awk 'NR % 50 == 7' > "$out/candidates.txt"
awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen)' "$out/labelled.txt" "$out/candidates.txt" | head -10000 > "$out/heldout.smi"
"$rt" chem props "$out/heldout.smi" --quiet |
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "qed") q = i; print "smiles,qed"; next } $2 == "1" { print $1 "," $q }' \
    > "$out/heldout.csv"
awk -F, 'NR > 1 && NR <= 201 { print $1 }' "$out/heldout.csv" > "$out/heldout_seeds.txt"
rm "$out/labelled.txt" "$out/candidates.txt" "$out/heldout.smi"
wc -l "$out/heldout.csv" "$out/heldout_seeds.txt"
