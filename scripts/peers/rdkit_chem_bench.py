#!/usr/bin/env python3
"""Peer benchmark for `rt bench chem`: RDKit (parse+sanitize, canonical SMILES, QED.qed, Crippen.MolLogP,
2048-bit radius-2 Morgan fingerprint, Contrib SA score) and selfies 1.0.4 (SMILES -> SELFIES) on the same
molecules, best of --repeats. Descriptors run on the already-parsed molecules, as `rt bench chem` does. Prints one
JSON object on stdout.

Usage: python rdkit_chem_bench.py --input FILE [--limit N] [--repeats R] [--selfies1-path DIR]
FILE: .smi/.txt (first token per line) or .csv (first column, header skipped), plain or gzip, as `rt bench chem`
reads it.
Needs: rdkit==2026.9.1; selfies 1.0.4 installed with pip --target DIR (else the selfies rate is omitted).
"""
import argparse
import gzip
import json
import sys
import time

from rdkit import Chem, RDLogger, rdBase

RDLogger.DisableLog("rdApp.*")


def read(path, limit):
    out = []
    csv = path.endswith(".csv") or path.endswith(".csv.gz")
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rt") if gz else open(path)) as f:
        for k, line in enumerate(f):
            if len(out) >= limit:
                break
            if csv and k == 0:
                continue
            tok = line.split(",")[0].strip() if csv else (line.split() or [""])[0]
            if tok and not tok.startswith("#"):
                out.append(tok)
    return out


def best(fn, repeats):
    t = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - t0)
    return t


def best_fresh(mols, fn, repeats):
    """Like best(), clearing the molecules' cached computed properties (untimed) before each pass."""
    t = float("inf")
    for _ in range(repeats):
        for m in mols:
            m.ClearComputedProps(includeRings=False)
        t0 = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - t0)
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--limit", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--selfies1-path")
    a = ap.parse_args()
    smiles = read(a.input, a.limit)
    mols = [m for m in (Chem.MolFromSmiles(s) for s in smiles) if m is not None]
    res = {"molecules": len(smiles), "valid": len(mols), "rdkit": rdBase.rdkitVersion}
    res["parse_sanitize_per_s"] = len(smiles) / best(lambda: [Chem.MolFromSmiles(s) for s in smiles], a.repeats)
    res["canonical_per_s"] = len(mols) / best(lambda: [Chem.MolToSmiles(m) for m in mols], a.repeats)
    from rdkit.Chem import QED, Crippen, RDConfig, rdFingerprintGenerator
    import os
    # RDKit caches Crippen and TPSA values on the molecule; clear them before every timed pass (untimed) so the
    # descriptors are really computed, as they are for freshly generated molecules.
    res["qed_per_s"] = len(mols) / best_fresh(mols, lambda: [QED.qed(m) for m in mols], a.repeats)
    res["logp_per_s"] = len(mols) / best_fresh(mols, lambda: [Crippen.MolLogP(m) for m in mols], a.repeats)
    gen = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    res["morgan_per_s"] = len(mols) / best(lambda: [gen.GetFingerprint(m) for m in mols], a.repeats)
    sys.path.append(os.path.join(RDConfig.RDContribDir, "SA_Score"))
    import sascorer
    sascorer.readFragmentScores()
    res["sa_per_s"] = len(mols) / best_fresh(mols, lambda: [sascorer.calculateScore(m) for m in mols], a.repeats)
    if a.selfies1_path:
        sys.path.insert(0, a.selfies1_path)
        import selfies as sf1
        assert "Branch1_" in sf1.encoder("CC(C)C"), "not selfies 1.0.x"

        def enc():
            for s in smiles:
                try:
                    sf1.encoder(s)
                except Exception:  # noqa: BLE001
                    pass
        res["to_selfies_per_s"] = len(smiles) / best(enc, a.repeats)
    json.dump(res, sys.stdout)


if __name__ == "__main__":
    main()
