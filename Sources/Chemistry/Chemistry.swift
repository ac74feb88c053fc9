// The Chemistry module: molecules, SMILES, SELFIES, descriptors, fingerprints. It knows nothing of ML.
// See ../shared/spec/chemistry.md.
