#!/usr/bin/env python3
"""Compact golden files for the Swift chemistry layer (part I: validity, sanitization, rings,
aromaticity, hydrogens, canonical SMILES, SELFIES 1.0.4).

A trimmed variant of chem_oracle.py (same RDKit calls, same error classification) that writes only
the columns Tests/ChemistryTests checks, so the committed fixtures stay small.

Usage (run from the repository root):
    python scripts/chem/chem_golden.py INPUT OUT.csv --selfies1-path DIR [--column NAME]
        [--sample N --seed S]        # N evenly spread rows of a big input (deterministic)
        [--compact]                  # fewer columns (big sets): see COMPACT_DROP
    python scripts/chem/chem_golden.py --fuzz N --seed S --vocab VOCAB --selfies-source CSV OUT.csv
        --selfies1-path DIR          # generated-looking molecules: random / mutated SELFIES (1.0.4
                                     # alphabet of the RT vocabulary) decoded with selfies 1.0.4

INPUT: .smi/.txt (first token per line), .csv with a smiles column, or .csv.gz.

Columns:
    idx, input (SMILES given to RDKit), selfies_in (fuzz set: the SELFIES that was decoded),
    valid (1/0), error_class (parse | valence | kekulize | other:<msg>),
    n_atoms, arom (per-atom aromatic flags, '0'/'1' string, RDKit atom order after H removal),
    h_total (per-atom total H count, one char each; 'X' if > 9), h_implicit (GetNumImplicitHs),
    charges (non-zero formal charges as i:c, space-joined), n_radicals (sum),
    n_arom_bonds, ring_sizes (RingInfo sizes sorted), sssr (len(GetSSSR) on a copy),
    can_smiles (RDKit isomeric canonical), can_smiles_noniso (also drops isotopes),
    can_smiles_nostereo (canonical after RemoveStereochemistry: isotopes kept), random_smiles (2 random-order
    SMILES), selfies1 (encoder(input)), selfies1_from_can (encoder(can_smiles)),
    selfies1_decoded (decoder(selfies1))
"""
import argparse
import csv
import gzip
import importlib.metadata
import io
import json
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from chem_oracle import load_selfies_v1, parse_error, selfies1_version  # noqa: E402

from rdkit import Chem, RDLogger, rdBase  # noqa: E402

RDLogger.DisableLog("rdApp.*")

COLUMNS = ["idx", "input", "selfies_in", "valid", "error_class", "n_atoms", "arom", "h_total",
           "h_implicit", "charges", "n_radicals", "n_arom_bonds", "ring_sizes", "sssr",
           "can_smiles", "can_smiles_noniso", "can_smiles_nostereo", "random_smiles", "selfies1", "selfies1_from_can",
           "selfies1_decoded"]


COMPACT_DROP = {"can_smiles", "can_smiles_noniso", "random_smiles", "selfies1_from_can"}


def error_class(smi):
    e = parse_error(smi)
    if e == "parse":
        return "parse"
    if "valence" in e.lower() or "formal charge" in e.lower():
        return "valence"
    if "kekulize" in e.lower() or "marked aromatic" in e.lower():
        return "kekulize"
    return "other:" + e


def digit(n):
    return str(n) if n <= 9 else "X"


def read_smiles(path, column=None):
    if path.endswith(".gz"):
        text = gzip.open(path, "rt").read()
        path = path[:-3]
    else:
        text = open(path).read()
    if path.endswith(".csv"):
        r = csv.DictReader(io.StringIO(text))
        col = column or next(c for c in r.fieldnames if c.strip().lower() == "smiles")
        return [row[col].strip() for row in r]
    out = []
    for line in text.splitlines():
        s = line.strip()
        if s and not s.startswith("#"):
            out.append(s.split()[0])
    return out


def safe(f, *a):
    try:
        r = f(*a)
        return "" if r is None else r
    except Exception:  # noqa: BLE001 -- any failure is "no output", as the RT sees it
        return ""


def row(idx, smi, sf1, selfies_in=""):
    r = dict.fromkeys(COLUMNS, "")
    r["idx"], r["input"], r["selfies_in"] = idx, smi, selfies_in
    enc = safe(sf1.encoder, smi)
    r["selfies1"] = enc
    r["selfies1_decoded"] = safe(sf1.decoder, enc) if enc else ""
    mol = Chem.MolFromSmiles(smi)
    r["valid"] = "1" if mol is not None else "0"
    if mol is None:
        r["error_class"] = error_class(smi)
        return r
    r["n_atoms"] = mol.GetNumAtoms()
    r["arom"] = "".join("1" if a.GetIsAromatic() else "0" for a in mol.GetAtoms())
    r["h_total"] = "".join(digit(a.GetTotalNumHs()) for a in mol.GetAtoms())
    r["h_implicit"] = "".join(digit(a.GetNumImplicitHs()) for a in mol.GetAtoms())
    r["charges"] = " ".join("%d:%d" % (a.GetIdx(), a.GetFormalCharge())
                            for a in mol.GetAtoms() if a.GetFormalCharge())
    r["n_radicals"] = sum(a.GetNumRadicalElectrons() for a in mol.GetAtoms())
    r["n_arom_bonds"] = sum(1 for b in mol.GetBonds() if b.GetIsAromatic())
    rings = mol.GetRingInfo().AtomRings()
    r["ring_sizes"] = " ".join(str(len(x)) for x in sorted(rings, key=len))
    r["sssr"] = len(Chem.GetSSSR(Chem.Mol(mol)))  # on a copy: GetSSSR resets RingInfo
    can = Chem.MolToSmiles(mol)
    r["can_smiles"] = can
    r["can_smiles_noniso"] = Chem.MolToSmiles(mol, isomericSmiles=False)
    flat = Chem.Mol(mol)
    Chem.RemoveStereochemistry(flat)
    r["can_smiles_nostereo"] = Chem.MolToSmiles(flat)
    r["random_smiles"] = safe(lambda: " ".join(Chem.MolToRandomSmilesVect(mol, 2, randomSeed=1 + idx)))
    r["selfies1_from_can"] = safe(sf1.encoder, can)
    return r


def fuzz_inputs(n, seed, vocab_path, source_csv, sf1):
    """n generated-looking SELFIES: half mutated real SELFIES, half random token strings."""
    rng = random.Random(seed)
    vocab = [t.strip() for t in open(vocab_path) if t.strip().startswith("[")]
    vocab = [t for t in vocab if t not in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
             and not t.startswith("[unused")]
    real = [row["selfies_v1"] for row in csv.DictReader(open(source_csv)) if row["selfies_v1"]]
    real_tokens = [t for s in real for t in sf1.split_selfies(s) if t != "."]
    out = []
    while len(out) < n:
        if len(out) % 2 == 0:
            toks = list(sf1.split_selfies(rng.choice(real)))
            for _ in range(rng.randint(1, 4)):
                op = rng.random()
                pos = rng.randrange(len(toks) + 1)
                tok = rng.choice(vocab) if rng.random() < 0.5 else rng.choice(real_tokens)
                if op < 0.4 and toks:
                    toks[min(pos, len(toks) - 1)] = tok
                elif op < 0.7:
                    toks.insert(pos, tok)
                elif toks:
                    del toks[min(pos, len(toks) - 1)]
        else:
            k = rng.randint(3, 45)
            toks = [rng.choice(vocab) if rng.random() < 0.3 else rng.choice(real_tokens) for _ in range(k)]
        sel = "".join(toks)
        smi = safe(sf1.decoder, sel)
        if smi:
            out.append((sel, smi))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", nargs="?")
    ap.add_argument("output")
    ap.add_argument("--selfies1-path", required=True)
    ap.add_argument("--column")
    ap.add_argument("--sample", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fuzz", type=int)
    ap.add_argument("--vocab")
    ap.add_argument("--selfies-source")
    ap.add_argument("--compact", action="store_true",
                    help="drop can_smiles, can_smiles_noniso, random_smiles, selfies1_from_can (big sets)")
    args = ap.parse_args()
    columns = [c for c in COLUMNS if not (args.compact and c in COMPACT_DROP)]
    sf1 = load_selfies_v1(args.selfies1_path)
    assert "Branch1_" in sf1.encoder("CC(C)C"), "selfies1 path is not a 1.0.x package"
    t0 = time.time()
    if args.fuzz:
        items = fuzz_inputs(args.fuzz, args.seed, args.vocab, args.selfies_source, sf1)
    else:
        smiles = read_smiles(args.input, args.column)
        if args.sample and args.sample < len(smiles):
            step = len(smiles) / args.sample
            rng = random.Random(args.seed)
            smiles = [smiles[int(i * step + rng.random() * step)] for i in range(args.sample)]
        items = [("", s) for s in smiles]
    nvalid = 0
    with open(args.output, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for i, (sel, smi) in enumerate(items):
            r = row(i, smi, sf1, sel)
            nvalid += r["valid"] == "1"
            w.writerow([r[c] for c in columns])
    meta = {"generator": "scripts/chem/chem_golden.py " + " ".join(sys.argv[1:]),
            "versions": {"python": sys.version.split()[0], "rdkit": rdBase.rdkitVersion,
                         "boost": rdBase.boostVersion,
                         "selfies1": selfies1_version(args.selfies1_path)},
            "n_inputs": len(items), "n_valid": nvalid, "seconds": round(time.time() - t0, 1)}
    with open(args.output + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta), file=sys.stderr)


if __name__ == "__main__":
    main()
