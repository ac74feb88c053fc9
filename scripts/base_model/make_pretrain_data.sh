#!/bin/sh
# The pre-training data of the base model (models/base): RT lines `<qed>V|SMILES` for every molecule we have, with
# V = QED rounded to 3 decimals computed by this package's RDKit-exact Chemistry module (`rt chem props`; for the
# 200,000 MOSES molecules that ship with RDKit labels the two agree to the labels' 4 decimals):
#   moses/moses_train.csv.gz                      1,584,663 molecules (QED from `rt chem props`)
#   zinc_jtvae/zinc_jtvae_valid_props.csv.gz         24,445 molecules (column 3 = RDKit QED)
#   rt_examples/chembl_example_999_props_selfies.csv    999 molecules (column 3 = RDKit QED)
# Held out of pre-training, compared by `rt chem canonical` (non-isomeric, so stereoisomers count as one):
#   - the QED test molecules of make_qed_data.sh (`qed/test.txt`, every 40th line of its 225,444), so the QED
#     model is measured on the molecules the previous shipped model was measured on, never seen by either;
#   - every molecule of the ESOL, FreeSolv and Lipophilicity files (train and valid), so the fine-tuned models'
#     held-out folds are molecules the base never saw.
# Duplicates (same canonical SMILES) are kept once, first occurrence wins. Only sh, zcat, awk and rt.
#
# usage: scripts/base_model/make_pretrain_data.sh OUT_DIR [RT_BINARY]
#   writes OUT_DIR/qed/{all,test,trainval,test_unseen}.txt (make_qed_data.sh) and OUT_DIR/pretrain.txt
set -eu
out=${1:?usage: $0 OUT_DIR [RT_BINARY]}
rt=${2:-.build/release/rt}
here=$(dirname "$0")
data=$(cd "$here/../../../shared/data" && pwd)
mkdir -p "$out"
"$here/../shipped_model/make_qed_data.sh" "$out/qed" > /dev/null

# pool: SMILES,QED (3 decimals)
zcat "$data/moses/moses_train.csv.gz" | awk 'NR > 1' | "$rt" chem props --quiet \
    | awk -F, 'NR > 1 { if ($2 != 1) { print "invalid MOSES molecule: " $0 > "/dev/stderr"; exit 1 }
                       printf "%s,%.3f\n", $1, $12 }' > "$out/pool.csv"
zcat "$data/zinc_jtvae/zinc_jtvae_valid_props.csv.gz" | awk -F, 'NR > 1 { printf "%s,%.3f\n", $1, $3 }' >> "$out/pool.csv"
awk -F, 'NR > 1 { printf "%s,%.3f\n", $1, $3 }' "$data/rt_examples/chembl_example_999_props_selfies.csv" >> "$out/pool.csv"

# molecules held out, canonical
{
    awk -F'|' '{ print $2 }' "$out/qed/test.txt"
    for set in esol freesolv lipophilicity; do
        for part in train valid; do awk -F, 'NR > 1 { print $1 }' "$data/$set/$part.csv"; done
    done
} | "$rt" chem canonical > "$out/heldout.canonical"

cut -d, -f1 "$out/pool.csv" | "$rt" chem canonical > "$out/pool.canonical"
paste -d'\t' "$out/pool.canonical" "$out/pool.csv" \
    | awk -F'\t' 'NR == FNR { held[$1] = 1; next }
                  /^error/ { print "cannot canonicalise: " $0 > "/dev/stderr"; exit 1 }
                  ($1 in held) { heldout++; next }
                  ($1 in seen) { duplicate++; next }
                  { seen[$1] = 1; split($2, f, ","); printf "<qed>%s|%s\n", f[2], f[1] }
                  END { printf "held out %d, duplicates %d\n", heldout, duplicate > "/dev/stderr" }' \
        "$out/heldout.canonical" - > "$out/pretrain.txt"
rm "$out/pool.csv" "$out/pool.canonical" "$out/heldout.canonical"
wc -l "$out/pretrain.txt" "$out/qed/test_unseen.txt"
