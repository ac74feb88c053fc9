import Chemistry

/// A substructure given by the user to keep or to mask during generation, matched on the molecular graph with the
/// Chemistry module's SMARTS matcher (GT4SD matches these on the SELFIES *string*, which misses every occurrence
/// written differently and can hit unrelated symbols; docs/inference.md §5.3).
///
/// The text is read as GT4SD reads it — SMILES first, SMARTS otherwise:
/// * a valid SMILES (`C1=CC=C(Cl)C=C1`, `C(=O)`) is parsed and sanitised, so a Kekulé ring matches the aromatic ring
///   of a molecule; it is then matched through the SMARTS of its canonical SMILES: elements, aromaticity, charges and
///   bond orders must agree, written bracket atoms also fix their H count (`[nH]`);
/// * anything else must be SMARTS (`[#6]=[#8]`, `[N;H1]`, `c1ccccc1[$([OH]),$(N)]`).
public struct SubstructureQuery: Sendable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    /// The pattern matched.
    public let pattern: SmartsPattern
    /// Whether `text` was read as SMILES.
    public let isSMILES: Bool

    /// - Throws: `InferenceError` when the text is neither SMILES nor SMARTS (naming both reasons).
    public init(_ text: String) throws(InferenceError) {
        self.text = text
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw InferenceError("an empty substructure") }
        if let molecule = try? Molecule(smiles: trimmed), let pattern = try? SmartsPattern(molecule.canonicalSmiles) {
            self.pattern = pattern
            isSMILES = true
            return
        }
        do {
            pattern = try SmartsPattern(trimmed)
            isSMILES = false
        } catch {
            throw InferenceError("'\(text)' is neither a valid SMILES nor a SMARTS pattern (\(error))")
        }
    }

    public var description: String { text }

    /// Atoms of `molecule` covered by at least one match, ascending.
    public func matchedAtoms(in molecule: Molecule) -> [Int] { pattern.matchedAtoms(in: molecule) }

    /// Whether the substructure occurs in `molecule`.
    public func occurs(in molecule: Molecule) -> Bool { pattern.hasMatch(in: molecule) }
}
