#!/usr/bin/env bash
# Regenerates the chemistry golden files in Tests/ChemistryTests/Fixtures (run from the repository root).
# Needs: PY = a python with rdkit==2026.9.1 (+ networkx), SF1 = a folder with selfies==1.0.4
#   python3 -m venv /work/venvs/chem && /work/venvs/chem/bin/pip install rdkit==2026.9.1 selfies==2.2.0 networkx
#   /work/venvs/chem/bin/pip install --no-deps --target /work/venvs/chem/selfies104 selfies==1.0.4
# Inputs come from the shared folder (../shared): chem/inputs, data/{rt_examples,esol,lipophilicity,freesolv,moses,zinc_jtvae}.
set -euo pipefail
PY=${PY:-/work/venvs/chem/bin/python}
SF1=${SF1:-/work/venvs/chem/selfies104}
S=${SHARED:-../shared}
OUT=Tests/ChemistryTests/Fixtures
TMP=${TMPDIR:-/tmp}/chem_golden_inputs
mkdir -p "$OUT" "$TMP"
gen() { "$PY" scripts/chem/chem_golden.py "$@" --selfies1-path "$SF1"; }
both() { tail -n +2 "$1" | cut -d, -f1; tail -n +2 "$2" | cut -d, -f1; }
both "$S/data/esol/train.csv" "$S/data/esol/valid.csv" > "$TMP/esol.smi"
both "$S/data/lipophilicity/train.csv" "$S/data/lipophilicity/valid.csv" > "$TMP/lipophilicity.smi"
both "$S/data/freesolv/train.csv" "$S/data/freesolv/valid.csv" > "$TMP/freesolv.smi"
gen "$S/chem/inputs/edge_cases.smi" "$OUT/edge_cases.golden.csv" &
gen "$S/data/rt_examples/example.smi" "$OUT/rt_examples.golden.csv" &
wait
gen "$TMP/esol.smi" "$OUT/esol.golden.csv" --compact &
gen "$TMP/freesolv.smi" "$OUT/freesolv.golden.csv" --compact &
wait
gen "$TMP/lipophilicity.smi" "$OUT/lipophilicity.golden.csv" --compact &
gen "$S/data/moses/moses_train.csv.gz" "$OUT/moses_sample.golden.csv" --sample 3000 --seed 1 --compact &
wait
gen "$S/data/zinc_jtvae/zinc_jtvae_valid_props.csv.gz" "$OUT/zinc_sample.golden.csv" --sample 2000 --seed 2 --compact &
gen "$OUT/fuzz_selfies.golden.csv" --fuzz 6000 --seed 3 --vocab "$S/data/rt_examples/vocabs/smallmolecules.txt" \
    --selfies-source "$S/data/rt_examples/chembl_example_999_props_selfies.csv" &
wait
rm -rf "$TMP"
# Everything but the hand-made edge cases is stored gzipped (the tests read both).
for f in rt_examples esol freesolv lipophilicity moses_sample zinc_sample fuzz_selfies; do gzip -9 -n -f "$OUT/$f.golden.csv"; done
