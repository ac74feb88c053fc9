#!/usr/bin/env python3
"""Golden files for the Swift chemistry layer, part II: descriptors, QED, Crippen, TPSA, Lipinski counts,
Morgan fingerprints, Tanimoto, chiral-centre/spiro/bridgehead counts, SA score and penalised logP.

Input: a golden CSV of part I (Tests/ChemistryTests/Fixtures/NAME.golden.csv: its `input` column), so both parts
cover exactly the same molecules. Output: NAME.props.csv.gz (+ .meta.json). Run from the repository root:

    python scripts/chem/props_golden.py Tests/ChemistryTests/Fixtures/NAME.golden.csv OUT.props.csv.gz [--full-morgan]

Columns (floats with repr(), i.e. shortest round-trip form; empty for invalid molecules):
    idx, input, valid,
    mw (Descriptors.MolWt), logp, mr (Crippen.MolLogP / MolMR), tpsa (CalcTPSA),
    qed (QED.qed), hba, hbd, rotb, arom, alerts (QED.properties), alerts_idx (';'-joined alert indices),
    rotb_nonstrict (CalcNumRotatableBonds NonStrict), hba_rdkit (CalcNumHBA), lipinski_hba, lipinski_hbd
    (CalcNumLipinskiHBA/HBD),
    crippen_types (Crippen type label of every atom of AddHs(mol), first matching row of the C++ table in file
    order, as chem_oracle.py --selfcheck derives them; space-joined),
    morgan (sorted 'id:count' of the unfolded radius-2 count fingerprint, only with --full-morgan),
    morgan_crc (zlib.crc32 of that 'id:count ...' string, always),
    tanimoto_prev (bit Tanimoto, 2048-bit radius-2 Morgan, with the previous valid row),
    tanimoto_count_prev (count Tanimoto of the unfolded count fingerprints with the previous valid row),
    n_chiral (len(FindMolChiralCenters(m, includeUnassigned=True)), what sascorer uses), n_spiro, n_bridgehead,
    max_ring (largest RingInfo ring), max_cycle_basis (largest cycle of networkx.cycle_basis, JT-VAE's),
    sa (Contrib SA_Score), plogp (logP - SA - max(max_cycle_basis - 6, 0): the labels of ../shared/data),
    plogp_moldqn (logP - SA - max(max_ring - 6, 0)), plogp_jtvae (JT-VAE normalised, cycle_basis)
"""
import argparse
import csv
import gzip
import json
import math
import os
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import export_tables  # noqa: E402

import networkx as nx  # noqa: E402
from rdkit import Chem, DataStructs, RDConfig, RDLogger, rdBase  # noqa: E402
from rdkit.Chem import QED, Crippen, Descriptors  # noqa: E402
from rdkit.Chem import rdFingerprintGenerator  # noqa: E402
from rdkit.Chem import rdMolDescriptors as rdmd  # noqa: E402

RDLogger.DisableLog("rdApp.*")
sys.path.append(os.path.join(RDConfig.RDContribDir, "SA_Score"))
import sascorer  # noqa: E402

COLUMNS = ["idx", "input", "valid", "mw", "logp", "mr", "tpsa", "qed", "hba", "hbd", "rotb", "arom", "alerts",
           "alerts_idx", "rotb_nonstrict", "hba_rdkit", "lipinski_hba", "lipinski_hbd", "crippen_types", "morgan",
           "morgan_crc", "tanimoto_prev", "tanimoto_count_prev", "n_chiral", "n_spiro", "n_bridgehead", "max_ring",
           "max_cycle_basis", "sa", "plogp", "plogp_moldqn", "plogp_jtvae"]

BITS = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
SPARSE = rdFingerprintGenerator.GetMorganGenerator(radius=2)
CRIPPEN = [(lab, Chem.MolFromSmarts(sma)) for _, lab, sma, _, _ in export_tables.crippen_rows()[0]]


def crippen_types(mol):
    mh = Chem.AddHs(mol)
    res = [None] * mh.GetNumAtoms()
    for lab, patt in CRIPPEN:
        for match in mh.GetSubstructMatches(patt, uniquify=False, maxMatches=100000):
            if res[match[0]] is None:
                res[match[0]] = lab
    return " ".join(r if r is not None else "-" for r in res)


def max_cycle_basis(mol):
    cycles = nx.cycle_basis(nx.Graph(Chem.rdmolops.GetAdjacencyMatrix(mol)))
    return max((len(c) for c in cycles), default=0)


def fmt(x):
    return repr(x) if isinstance(x, float) else str(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--full-morgan", action="store_true")
    a = ap.parse_args()
    rows = list(csv.DictReader(open(a.input, newline="")))
    t0 = time.time()
    prev_bits = prev_sparse = None
    nvalid = 0
    with gzip.open(a.output, "wt", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for k, row in enumerate(rows):
            smi = row["input"]
            r = dict.fromkeys(COLUMNS, "")
            r["idx"], r["input"] = k, smi
            mol = Chem.MolFromSmiles(smi)
            r["valid"] = 0 if mol is None else 1
            if mol is not None:
                nvalid += 1
                p = QED.properties(mol)
                r["mw"] = Descriptors.MolWt(mol)
                r["logp"], r["mr"] = Crippen.MolLogP(mol), Crippen.MolMR(mol)
                r["tpsa"] = rdmd.CalcTPSA(mol)
                r["qed"] = QED.qed(mol)
                r["hba"], r["hbd"], r["rotb"], r["arom"], r["alerts"] = p.HBA, p.HBD, p.ROTB, p.AROM, p.ALERTS
                mnoh = Chem.RemoveHs(mol)
                r["alerts_idx"] = ";".join(str(i) for i, al in enumerate(QED.StructuralAlerts)
                                           if mnoh.HasSubstructMatch(al))
                r["rotb_nonstrict"] = rdmd.CalcNumRotatableBonds(mol, rdmd.NumRotatableBondsOptions.NonStrict)
                r["hba_rdkit"] = rdmd.CalcNumHBA(mol)
                r["lipinski_hba"], r["lipinski_hbd"] = rdmd.CalcNumLipinskiHBA(mol), rdmd.CalcNumLipinskiHBD(mol)
                r["crippen_types"] = crippen_types(mol)
                sp = SPARSE.GetSparseCountFingerprint(mol)
                nz = sp.GetNonzeroElements()
                text = " ".join("%d:%d" % (i, nz[i]) for i in sorted(nz))
                if a.full_morgan:
                    r["morgan"] = text
                r["morgan_crc"] = zlib.crc32(text.encode())
                bits = BITS.GetFingerprint(mol)
                if prev_bits is not None:
                    r["tanimoto_prev"] = DataStructs.TanimotoSimilarity(prev_bits, bits)
                    r["tanimoto_count_prev"] = DataStructs.TanimotoSimilarity(prev_sparse, sp)
                prev_bits, prev_sparse = bits, sp
                r["n_chiral"] = len(Chem.FindMolChiralCenters(Chem.Mol(mol), includeUnassigned=True))
                r["n_spiro"] = rdmd.CalcNumSpiroAtoms(mol)
                r["n_bridgehead"] = rdmd.CalcNumBridgeheadAtoms(mol)
                rings = mol.GetRingInfo().AtomRings()
                r["max_ring"] = max((len(x) for x in rings), default=0)
                r["max_cycle_basis"] = cb = max_cycle_basis(mol)
                sa = sascorer.calculateScore(mol)
                r["sa"] = sa
                logp = r["logp"]
                r["plogp"] = logp - sa - max(cb - 6, 0)
                r["plogp_moldqn"] = logp - sa - max(r["max_ring"] - 6, 0)
                cyc = cb - 6 if cb > 6 else 0
                r["plogp_jtvae"] = ((logp - 2.4570953396190123) / 1.434324401111988
                                    + (-sa - -3.0525811293166134) / 0.8335207024513095
                                    + (-cyc - -0.0485696876403053) / 0.2860212110245455)
            w.writerow([fmt(r[c]) for c in COLUMNS])
    meta = {"generator": "scripts/chem/props_golden.py " + " ".join(sys.argv[1:]),
            "versions": {"python": sys.version.split()[0], "rdkit": rdBase.rdkitVersion, "boost": rdBase.boostVersion,
                         "networkx": nx.__version__},
            "n_inputs": len(rows), "n_valid": nvalid, "seconds": round(time.time() - t0, 1)}
    with open(a.output + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta), file=sys.stderr)


if __name__ == "__main__":
    main()
