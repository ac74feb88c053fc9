#!/bin/sh
# The data of the shipped QED model (models/qed): RT lines `<qed>V|SMILES`, V = the labelled QED rounded to 3
# decimals, from three labelled sets in ../shared/data (RDKit QED labels; see each PROVENANCE.md):
#   moses/moses_train_qed_200k.csv.gz         200,000 molecules (column 3 = qed)
#   zinc_jtvae/zinc_jtvae_valid_props.csv.gz   24,445 molecules (column 3 = qed)
#   rt_examples/chembl_example_999_props_selfies.csv  999 molecules (column 3 = qed)
# in that order (225,444 lines, all.txt). Every 40th line is held out as test.txt (5,636 lines, never seen in
# training); the rest is trainval.txt (219,808 lines; `rt train --validation-fraction 0.005` takes its validation
# split from it). Only sh, zcat and awk: deterministic, no Python.
#
# usage: scripts/shipped_model/make_qed_data.sh OUT_DIR
set -eu
out=${1:?usage: $0 OUT_DIR}
data=$(cd "$(dirname "$0")/../../../shared/data" && pwd)
mkdir -p "$out"
{
    zcat "$data/moses/moses_train_qed_200k.csv.gz" | awk -F, 'NR > 1 { printf "<qed>%.3f|%s\n", $3, $1 }'
    zcat "$data/zinc_jtvae/zinc_jtvae_valid_props.csv.gz" | awk -F, 'NR > 1 { printf "<qed>%.3f|%s\n", $3, $1 }'
    awk -F, 'NR > 1 { printf "<qed>%.3f|%s\n", $3, $1 }' "$data/rt_examples/chembl_example_999_props_selfies.csv"
} > "$out/all.txt"
awk 'NR % 40 == 0' "$out/all.txt" > "$out/test.txt"
awk 'NR % 40 != 0' "$out/all.txt" > "$out/trainval.txt"
# test molecules whose SMILES also occurs in trainval (the sets overlap in 8 molecules) are dropped from the
# reported test set
awk -F'|' 'NR == FNR { seen[$2] = 1; next } !($2 in seen)' "$out/trainval.txt" "$out/test.txt" > "$out/test_unseen.txt"
wc -l "$out/all.txt" "$out/trainval.txt" "$out/test.txt" "$out/test_unseen.txt"
