#!/usr/bin/env python3
"""Peer benchmark for `rt bench tokenize`: the original Regression Transformer's SMILES tokenization in Python.

What the original does per line (IBM/regression-transformer, terminator/tokenization.py, commit 6820b45):
`ExpressionBertTokenizer._tokenize` splits on '|', runs the property regex on property blocks and `re.findall`
with SMILES_TOKENIZER_PATTERN on the sequence, pads to even length; HF then maps tokens to ids with a dict
lookup and adds [CLS]/[SEP]. This script reproduces those steps with the standard library only (no
transformers: HF's own per-call overhead would only make the peer slower), on the same corpus `rt bench
tokenize` reads (CSV header skipped, first column), single-threaded, best and median of --repeats passes:

  split   - the tokens of each line (property regex + SMILES regex findall)
  encode  - split + even padding + vocabulary lookup + [CLS]/[SEP] (vocabulary built from the first 100k lines)

Exactly one JSON line on stdout (schema rt-bench/1, "engine": "python-re"); human-readable lines on stderr.

Example (idle machine; side by side with the Swift run):
  python3 scripts/peers/tokenize_peer.py --file ../shared/data/moses/moses_train.csv.gz
  swift run -c release rt bench tokenize --format json

Written and run with CPython 3.11.7 (standard library only).
"""
import argparse
import gzip
import json
import platform
import re
import sys
import time

SMILES_TOKENIZER_PATTERN = r"(\%\([0-9]{3}\)|\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\||\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|\?|>>?|\*|\$|\%[0-9]{2}|[0-9])"
PROPERTY_PATTERN = r"\s*(<\w+>)\s*?(\+|-)?(\d+)(\.)?(\d+)?\s*"


def read_corpus(path, limit):
    opener = gzip.open if path.endswith(".gz") else open
    start = time.perf_counter()
    lines = []
    with opener(path, "rt") as handle:
        if ".csv" in path.lower():
            next(handle)
        for line in handle:
            line = line.rstrip("\n").rstrip("\r")
            if ".csv" in path.lower():
                line = line.split(",", 1)[0]
            lines.append(line)
            if limit and len(lines) >= limit:
                break
    return lines, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", default="../shared/data/moses/moses_train.csv.gz")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="wall time, or this thread's CPU time (robust on a busy machine)")
    args = parser.parse_args()

    smiles_regex = re.compile(SMILES_TOKENIZER_PATTERN)
    property_regex = re.compile(PROPERTY_PATTERN)

    def property_tokens(text):
        matched = property_regex.match(text)
        if not matched:
            return []
        name, sign, units, dot, decimals = matched.groups()
        tokens = [name]
        if sign:
            tokens.append(f"_{sign}_")
        tokens += [f"_{n}_{p}_" for p, n in enumerate(units[::-1])][::-1]
        if dot:
            tokens.append(f"_{dot}_")
        if decimals:
            tokens += [f"_{n}_-{p}_" for p, n in enumerate(decimals, 1)]
        return tokens

    def tokenize(text):
        parts = text.split("|")
        tokens = []
        for part in parts[:-1]:
            tokens.extend(property_tokens(part))
            tokens.append("|")
        tokens.extend(smiles_regex.findall(parts[-1]))
        return tokens

    lines, read_seconds = read_corpus(args.file, args.limit)
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "|"])}
    for line in lines[:100_000]:
        for token in tokenize(line):
            vocab.setdefault(token, len(vocab))
    unk, cls, sep, pad = vocab["[UNK]"], vocab["[CLS]"], vocab["[SEP]"], vocab["[PAD]"]

    def split_pass():
        count = 0
        for line in lines:
            count += len(tokenize(line))
        return count

    def encode_pass():
        count = 0
        for line in lines:
            tokens = tokenize(line)
            if len(tokens) % 2:
                tokens.append("[PAD]")
            ids = [cls] + [vocab.get(t, unk) for t in tokens] + [sep]
            count += len(ids)
        return count

    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    stages = {}
    for name, fn in (("split", split_pass), ("encode", encode_pass)):
        times = []
        tokens = 0
        for _ in range(args.repeats):
            start = clock()
            tokens = fn()
            times.append(clock() - start)
        times.sort()
        best, median = times[0], times[len(times) // 2]
        stages[name] = {"lines": len(lines), "tokens": tokens, "best_seconds": best, "median_seconds": median,
                        "lines_per_second": len(lines) / best, "tokens_per_second": tokens / best}
        print(f"{name:7s} {len(lines) / best:11.0f} lines/s {tokens / best:12.0f} tokens/s", file=sys.stderr)
    print(json.dumps({"schema": "rt-bench/1", "engine": "python-re", "engine_version": platform.python_version(),
                      "mode": "tokenize", "threads": 1, "clock": args.clock, "corpus": args.file, "lines": len(lines),
                      "read_seconds": read_seconds, "stages": stages}))


if __name__ == "__main__":
    main()
