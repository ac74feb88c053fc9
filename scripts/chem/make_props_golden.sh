#!/usr/bin/env bash
# Regenerates the part-II golden files (descriptors, QED, Morgan, SA, penalised logP) in
# Tests/ChemistryTests/Fixtures from the part-I golden files' inputs (run from the repository root).
# Needs PY = a python with rdkit==2026.9.1 and networkx (see make_golden.sh for the venv).
set -euo pipefail
PY=${PY:-/work/venvs/chem/bin/python}
F=Tests/ChemistryTests/Fixtures
gen() { "$PY" scripts/chem/props_golden.py "$F/$1.golden.csv" "$F/$1.props.csv.gz" "${@:2}"; }
gen edge_cases --full-morgan &
gen rt_examples --full-morgan &
wait
gen esol & gen freesolv & wait
gen lipophilicity & gen moses_sample & wait
gen zinc_sample & gen fuzz_selfies & wait
"$PY" scripts/chem/export_sa_fragments.py Sources/Chemistry/Resources/sa_fragments.bin
