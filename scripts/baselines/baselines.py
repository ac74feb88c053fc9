"""Conventional regression baselines on exactly the RT's splits: random forest and gradient boosting on RDKit
descriptors and on Morgan count fingerprints.

Every model README puts the RT beside these numbers, computed on the same held-out molecules. Python is allowed
here only (never in `swift test` or CI).

Input files are either RT lines (`<prop>value|SMILES`, e.g. make_qed_data.sh's test_unseen.txt) or CSV with a
header (`--smiles-column`, `--value-column`; e.g. ../shared/data/esol/train.csv with logSolubility).

Features
    descriptors  every RDKit descriptor of `Descriptors._descList` (210 in RDKit 2026.09), non-finite → 0
    morgan       Morgan radius 2, 2048 folded counts (`rdFingerprintGenerator.GetMorganGenerator(radius=2,
                 fpSize=2048).GetCountFingerprintAsNumPy`)
Models (scikit-learn, seeded)
    rf           RandomForestRegressor(n_estimators=500, min_samples_leaf=1, n_jobs=-1)
    gb           HistGradientBoostingRegressor(max_iter=1000, learning_rate=0.05, early stopping on 10 % of
                 the training data)

Usage (from the repository root; needs rdkit and scikit-learn: `pip install rdkit scikit-learn`)
    python scripts/baselines/baselines.py --train ../shared/data/esol/train.csv --test ../shared/data/esol/valid.csv \
        --value-column logSolubility
    python scripts/baselines/baselines.py --train /tmp/qed/trainval.txt --test /tmp/qed/test_unseen.txt --max-train 50000

Prints one JSON object per (features, model) with RMSE, MAE, Pearson, Spearman and the counts, then a line with
the versions used.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import platform
import sys

import numpy as np


def read(path: str, smiles_column: str, value_column: str | None) -> tuple[list[str], np.ndarray]:
    smiles, values = [], []
    with open(path, encoding="utf-8") as f:
        first = f.readline()
        f.seek(0)
        if first.startswith("<"):
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                head, _, seq = line.partition("|")
                if not seq or ">" not in head:
                    sys.exit(f"{path}:{n}: not an RT line <prop>value|SMILES")
                smiles.append(seq)
                values.append(float(head.split(">", 1)[1]))
        else:
            reader = csv.DictReader(f)
            column = value_column or next(c for c in reader.fieldnames if c != smiles_column)
            for row in reader:
                smiles.append(row[smiles_column])
                values.append(float(row[column]))
    return smiles, np.array(values)


def featurise(smiles: list[str], kind: str) -> np.ndarray:
    from rdkit import Chem, RDLogger
    from rdkit.Chem import Descriptors, rdFingerprintGenerator

    RDLogger.DisableLog("rdApp.*")
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    rows = []
    for s in smiles:
        mol = Chem.MolFromSmiles(s)
        if mol is None:
            sys.exit(f"RDKit cannot parse {s!r}")
        if kind == "morgan":
            rows.append(generator.GetCountFingerprintAsNumPy(mol).astype(np.float32))
        else:
            row = []
            for _, fn in Descriptors._descList:
                try:
                    v = float(fn(mol))
                except Exception:  # a descriptor that fails on a molecule counts as 0
                    v = 0.0
                row.append(v if math.isfinite(v) and abs(v) < 1e30 else 0.0)
            rows.append(np.array(row, dtype=np.float64))
    return np.stack(rows)


def metrics(y: np.ndarray, p: np.ndarray) -> dict:
    from scipy.stats import pearsonr, spearmanr

    return {"rmse": float(np.sqrt(np.mean((y - p) ** 2))), "mae": float(np.mean(np.abs(y - p))),
            "pearson": float(pearsonr(y, p)[0]), "spearman": float(spearmanr(y, p)[0])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--smiles-column", default="smiles")
    ap.add_argument("--value-column")
    ap.add_argument("--max-train", type=int, help="seeded subsample of the training molecules")
    ap.add_argument("--features", default="descriptors,morgan")
    ap.add_argument("--models", default="rf,gb")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    import sklearn
    from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor

    train_smiles, y_train = read(args.train, args.smiles_column, args.value_column)
    test_smiles, y_test = read(args.test, args.smiles_column, args.value_column)
    if args.max_train and len(train_smiles) > args.max_train:
        pick = np.random.default_rng(args.seed).choice(len(train_smiles), args.max_train, replace=False)
        train_smiles = [train_smiles[i] for i in pick]
        y_train = y_train[pick]
    for kind in args.features.split(","):
        x_train, x_test = featurise(train_smiles, kind), featurise(test_smiles, kind)
        for name in args.models.split(","):
            if name == "rf":
                model = RandomForestRegressor(n_estimators=500, n_jobs=-1, random_state=args.seed)
            elif name == "gb":
                model = HistGradientBoostingRegressor(max_iter=1000, learning_rate=0.05, early_stopping=True,
                                                      validation_fraction=0.1, random_state=args.seed)
            else:
                sys.exit(f"unknown model {name!r} (rf, gb)")
            model.fit(x_train, y_train)
            result = {"features": kind, "model": name, "train": len(y_train), "test": len(y_test)}
            result.update(metrics(y_test, model.predict(x_test)))
            print(json.dumps(result), flush=True)
    from rdkit import rdBase

    print(json.dumps({"versions": {"python": platform.python_version(), "rdkit": rdBase.rdkitVersion,
                                   "scikit-learn": sklearn.__version__, "numpy": np.__version__}}))


if __name__ == "__main__":
    main()
