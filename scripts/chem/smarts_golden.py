#!/usr/bin/env python3
"""Golden file for the Swift SMARTS matcher: RDKit's substructure matches of general SMARTS queries.

Every pattern in PATTERNS is matched against every molecule of the input (a .smi file or a golden CSV with an
`input` column); rows are written only for pairs with at least one match, plus every pair of the first
--all-pairs molecules (so non-matches are tested too).

Columns: smarts, smiles, n_unique (len(GetSubstructMatches(p, uniquify=True, maxMatches=100000))),
         n_all (uniquify=False), matches (all non-uniquified matches, ';'-joined, atoms space-joined, sorted).

Usage (from the repository root):
    python scripts/chem/smarts_golden.py INPUT OUT.csv.gz [--limit N] [--all-pairs K]
"""
import argparse
import csv
import gzip
import json
import sys

from rdkit import Chem, RDLogger, rdBase

RDLogger.DisableLog("rdApp.*")

# Feature probes written for this project (each exercises a primitive, an operator or a structural feature).
PATTERNS = [
    "C", "c", "[#6]", "*", "[*]", "a", "A", "[A;!#1]", "[C,c]", "[c,n;H1]", "[C&X4]", "[CX3]=O", "[NX3;H2,H1;!$(NC=O)]",
    "[OH]", "[OX2H]", "[O-]", "[N+]", "[+]", "[-]", "[N;+0]", "[n;H0;X2]", "[nH]", "[#7;R]", "[C;R2]", "[C;R0]", "[R]",
    "[!R]", "[r5]", "[r6]", "[r]", "[x2]", "[x3]", "[D1]", "[D3]", "[X4]", "[v4]", "[v3]", "[H2]", "[!H0]", "[h1]",
    "[h]", "[CH3]", "[CH2]", "[CH]", "[C;H0]", "[N;H3,H2;+]", "[S,s]", "[Cl,Br,I]", "[F,Cl,Br,I]", "[13C]",
    "[se]", "[Se]", "[#16;X2]", "[$(C=O)]", "[$([OH]c)]", "[!$(C=O);C]", "[$([CX3](=O)[OX2H1]),$([CX3](=O)[OX1-])]",
    "[$([NX3]([CH3])[CH3])]", "[$(*~[$([#7]=O)])]", "C=O", "C-O", "C~O", "C:C", "c:c", "cc", "c-c", "C#N", "C=C",
    "C!=C", "[#6]=,#[#6]", "C@C", "C!@C", "c!@c", "C(=O)O", "C(=O)[OH]", "C(=O)N", "C(=O)NC", "NC(=O)N", "c1ccccc1",
    "c1ccncc1", "C1CCCCC1", "C1CC1", "*1**1", "*1***1", "[#6]1[#6][#6][#6][#6]1", "[R2][R2]", "c1ccc2ccccc2c1",
    "[#7]~[#6]~[#8]", "[#6](~[#7])(~[#8])", "O=C-C=C", "C=CC=C", "N-C-C-O", "[N;!H0]-C=O", "Cl.Cl", "C.C.C",
    "[OH].[NH2]", "S(=O)(=O)N", "[#16](=[#8])(=[#8])", "[$(C(F)(F)F)]", "F/C=C/F", "C/C=C\\C", "[C@H]", "[C:1]=[O:2]",
    "[#6;!$([#6]=*)]-[#8]", "[c;$(c1ccccc1)]", "[N;$(N(C)C)]", "*-*", "*~*~*", "[!#6;!#1]", "[!#6&!#1]~[!#6&!#1]",
    "[C;D2;!R]-[C;D2;!R]-[C;D2;!R]", "O=[C;R]", "[n;R1]1[c;R1][c;R1][c;R1][c;R1]1", "[#7]!@[#6]", "C(F)(F)F",
    "[$([#6]~[#7,#8])&R]", "[N,O;!$(*C=O)]", "c[N+](=O)[O-]", "[CH2]!@[CH2]", "[a;r6]:[a;r5]",
]


def read_smiles(path, limit):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        if ".csv" in path:
            r = csv.DictReader(f)
            out = [row["input"] for row in r if row.get("valid", "1") == "1"]
        else:
            out = [line.split()[0] for line in f if line.strip() and not line.startswith("#")]
    return out[:limit] if limit else out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--all-pairs", type=int, default=40)
    a = ap.parse_args()
    pats = [(s, Chem.MolFromSmarts(s)) for s in PATTERNS]
    bad = [s for s, p in pats if p is None]
    assert not bad, bad
    mols = [(s, Chem.MolFromSmiles(s)) for s in read_smiles(a.input, a.limit)]
    mols = [(s, m) for s, m in mols if m is not None]
    rows = 0
    with gzip.open(a.output, "wt", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["smarts", "smiles", "n_unique", "n_all", "matches"])
        for k, (smi, m) in enumerate(mols):
            for sma, p in pats:
                allm = m.GetSubstructMatches(p, uniquify=False, maxMatches=100000)
                if not allm and k >= a.all_pairs:
                    continue
                uniq = m.GetSubstructMatches(p, uniquify=True, maxMatches=100000)
                keep = ";".join(" ".join(map(str, t)) for t in sorted(allm)) if len(allm) <= 200 else ""
                w.writerow([sma, smi, len(uniq), len(allm), keep])
                rows += 1
    meta = {"generator": "scripts/chem/smarts_golden.py " + " ".join(sys.argv[1:]),
            "versions": {"python": sys.version.split()[0], "rdkit": rdBase.rdkitVersion},
            "molecules": len(mols), "patterns": len(pats), "rows": rows}
    with open(a.output + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta), file=sys.stderr)


if __name__ == "__main__":
    main()
