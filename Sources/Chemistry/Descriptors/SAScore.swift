import Foundation

/// Synthetic accessibility score (Ertl & Schuffenhauer, J. Cheminform. 2009, 1, 8) exactly as RDKit's
/// `Contrib/SA_Score/sascorer.py` computes it, from 1 (easy) to 10 (hard).
///
/// - fragment score: mean over the radius-2 Morgan count fingerprint of each environment's score from the
///   fragment table (−4 for environments it does not list), weighted by count;
/// - complexity: − (nAtoms^1.005 − nAtoms) − log10(stereocentres + 1) − log10(spiro + 1) − log10(bridgeheads + 1)
///   − log10(2) if any ring has more than 8 atoms; stereocentres as `FindMolChiralCenters(includeUnassigned=True)`;
/// - symmetry correction: + 0.5·ln(nAtoms / distinct environments) when there are more atoms than environments;
/// - scaled `11 − (s + 5)/6.5·9`, smoothed above 8 (`8 + ln(s − 8)`), clamped to [1, 10].
public enum SAScore {
    /// Every input of the score, for inspection.
    public struct Components: Sendable, Equatable {
        public var fragmentScore: Double
        public var atoms: Int
        public var stereocenters: Int
        public var spiroAtoms: Int
        public var bridgeheadAtoms: Int
        public var hasMacrocycle: Bool
        public var distinctEnvironments: Int
        public var score: Double
    }

    /// SA score of a molecule (nil for a molecule without atoms, as sascorer returns None).
    public static func score(_ molecule: Molecule) -> Double? {
        components(molecule, fingerprint: MorganFingerprint(molecule, radius: 2))?.score
    }

    /// SA score reusing an already computed radius-2 Morgan fingerprint of the molecule.
    public static func components(_ molecule: Molecule, fingerprint fp: MorganFingerprint) -> Components? {
        guard molecule.atomCount > 0 else { return nil }
        return components(molecule, fingerprint: fp, stereocenters: StereoCenters.possibleCenters(molecule).count)
    }

    /// The same, or an error when finding the stereocentres would take more than `workLimit` refinement steps
    /// (`StereoCenters.possibleCenters(_:workLimit:)`; for untrusted input).
    /// - Throws: `MoleculeError` (`.limit`).
    public static func components(_ molecule: Molecule, fingerprint fp: MorganFingerprint,
                                  workLimit: Int) throws(MoleculeError) -> Components? {
        guard molecule.atomCount > 0 else { return nil }
        let chiral = try StereoCenters.possibleCenters(molecule, workLimit: workLimit).count
        return components(molecule, fingerprint: fp, stereocenters: chiral)
    }

    static func components(_ molecule: Molecule, fingerprint fp: MorganFingerprint, stereocenters chiral: Int) -> Components? {
        guard molecule.atomCount > 0, fp.radius == 2 else { return nil }
        let table = SAFragmentTable.shared
        var score1 = 0.0
        var nf = 0
        for (k, id) in fp.ids.enumerated() {
            let count = Int(fp.counts[k])
            nf += count
            score1 += (table.score(id) ?? -4) * Double(count)
        }
        score1 /= Double(nf)
        let nAtoms = molecule.atomCount
        let spiro = RingTopology.spiroAtoms(molecule).count
        let bridgeheads = RingTopology.bridgeheadAtoms(molecule).count
        let macrocycle = molecule.rings.atomRings.contains { $0.count > 8 }
        let n = Double(nAtoms)
        let sizePenalty = pow(n, 1.005) - n
        let stereoPenalty = log10(Double(chiral + 1))
        let spiroPenalty = log10(Double(spiro + 1))
        let bridgePenalty = log10(Double(bridgeheads + 1))
        let macrocyclePenalty = macrocycle ? log10(2.0) : 0.0
        let score2 = 0.0 - sizePenalty - stereoPenalty - spiroPenalty - bridgePenalty - macrocyclePenalty
        var score3 = 0.0
        let numBits = fp.ids.count
        if nAtoms > numBits { score3 = log(n / Double(numBits)) * 0.5 }
        var s = score1 + score2 + score3
        let lo = -4.0, hi = 2.5
        s = 11.0 - (s - lo + 1) / (hi - lo) * 9.0
        if s > 8.0 { s = 8.0 + log(s + 1.0 - 9.0) }
        if s > 10.0 { s = 10.0 } else if s < 1.0 { s = 1.0 }
        return Components(fragmentScore: score1, atoms: nAtoms, stereocenters: chiral, spiroAtoms: spiro,
                          bridgeheadAtoms: bridgeheads, hasMacrocycle: macrocycle, distinctEnvironments: numBits,
                          score: s)
    }
}
