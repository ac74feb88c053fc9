#!/usr/bin/env python3
"""Writes the SA-score fragment table (RDKit Contrib SA_Score `fpscores.pkl.gz`, Ertl & Schuffenhauer 2009,
BSD licence, shipped in the rdkit wheel) as the compact resource Sources/Chemistry/Resources/sa_fragments.bin.

The pickle is a list of [score, id, id, ...] groups; as in sascorer.readFragmentScores, a later group wins for an
id listed twice. Format (all integers little-endian base-128 varints):
    text header:  "sa_fragments 1\n", then one line per score group "<score as Python repr>\t<number of ids>\n",
                  then "end\n";
    binary body:  for each group in header order, its ids ascending, each as the varint of the difference to the
                  previous id of the group (the first as is).
705,292 ids in 3,549 groups -> 1.8 MB (the TSV export is 3.6 MB gzipped).

Usage: python scripts/chem/export_sa_fragments.py OUT.bin
"""
import collections
import sys
import os

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import export_tables  # noqa: E402


def varint(x, out):
    while x >= 0x80:
        out.append((x & 0x7F) | 0x80)
        x >>= 7
    out.append(x)


def main():
    rows, source = export_tables.sa_rows()
    groups = collections.OrderedDict()
    for fid, score in rows:  # rows are sorted by id
        groups.setdefault(repr(score), []).append(fid)
    header = ["sa_fragments 1"] + ["%s\t%d" % (s, len(ids)) for s, ids in groups.items()] + ["end"]
    body = bytearray()
    for ids in groups.values():
        prev = 0
        for fid in ids:
            varint(fid - prev, body)
            prev = fid
    with open(sys.argv[1], "wb") as f:
        f.write(("\n".join(header) + "\n").encode())
        f.write(bytes(body))
    print("%d ids in %d groups from %s -> %s (%d bytes)" % (len(rows), len(groups), source, sys.argv[1],
                                                            len(body)), file=sys.stderr)


if __name__ == "__main__":
    main()
