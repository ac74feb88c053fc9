/// Ring-system atom classes used by the SA score, on RDKit 2026.09's RingInfo rings (relevant cycles).
public enum RingTopology {
    /// Spiro atoms (RDKit `CalcNumSpiroAtoms`): atoms that are the only common atom of two rings.
    public static func spiroAtoms(_ molecule: Molecule) -> [Int] {
        let rings = molecule.rings.atomRings
        var out: [Int] = []
        for i in rings.indices {
            for j in (i + 1) ..< rings.count {
                var common = -1, shared = 0
                for a in rings[i] where rings[j].contains(a) {
                    shared += 1
                    common = Int(a)
                    if shared > 1 { break }
                }
                if shared == 1 && !out.contains(common) { out.append(common) }
            }
        }
        return out
    }

    /// Bridgehead atoms (RDKit `CalcNumBridgeheadAtoms` v2.0.0): for two rings sharing more than one bond, the
    /// atoms at the ends of the shared path (atoms touched by exactly one shared bond).
    public static func bridgeheadAtoms(_ molecule: Molecule) -> [Int] {
        let rings = molecule.rings.bondRings
        var out: [Int] = []
        var touches = [Int](repeating: 0, count: molecule.atomCount)
        for i in rings.indices {
            for j in (i + 1) ..< rings.count {
                let shared = rings[i].filter { rings[j].contains($0) }
                guard shared.count > 1 else { continue }
                for b in shared {
                    touches[Int(molecule.bonds[Int(b)].begin)] += 1
                    touches[Int(molecule.bonds[Int(b)].end)] += 1
                }
                for a in 0 ..< molecule.atomCount where touches[a] == 1 && !out.contains(a) { out.append(a) }
                for b in shared {
                    touches[Int(molecule.bonds[Int(b)].begin)] = 0
                    touches[Int(molecule.bonds[Int(b)].end)] = 0
                }
            }
        }
        return out
    }

    /// RDKit `queryIsAtomBridgehead`: at least three ring bonds, and two rings through the atom that share at
    /// least two bonds.
    static func isBridgehead(_ molecule: Molecule, _ atom: Int) -> Bool {
        guard molecule.degree(of: atom) >= 3, !molecule.rings.isRingBond.isEmpty else { return false }
        var ringBonds: [Int32] = []
        for nb in molecule.neighbors(of: atom) where molecule.rings.isRingBond[Int(nb.bond)] { ringBonds.append(nb.bond) }
        guard ringBonds.count >= 3 else { return false }
        let rings = molecule.rings.bondRings
        for i in rings.indices where rings[i].contains(where: { ringBonds.contains($0) }) {
            for j in (i + 1) ..< rings.count where rings[j].contains(where: { ringBonds.contains($0) }) {
                if rings[j].filter({ rings[i].contains($0) }).count >= 2 { return true }
            }
        }
        return false
    }
}
