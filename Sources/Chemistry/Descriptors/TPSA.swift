/// Topological polar surface area (Ertl, Rohde & Selzer, J. Med. Chem. 2000, 43, 3714) from nitrogen and oxygen
/// atoms, as RDKit's `CalcTPSA` with its defaults (`MolSurf.cpp::getTPSAAtomContribs`, S and P not included).
///
/// Each N/O atom is described by its heavy neighbours, hydrogens (implicit, bracket and H atoms in the graph),
/// charge, numbers of single/double/triple/aromatic bonds to heavy atoms and membership of a 3-ring; the first
/// matching rule of `Resources/tpsa.tsv` gives its contribution, otherwise `max(0, 30.5 − 8.2·nbrs + 1.5·H)` for N
/// and `max(0, 28.5 − 8.6·nbrs + 1.5·H)` for O.
public enum TPSA {
    struct Rule: Sendable {
        var element: Int
        var conditions: [Int?]   // nNbrs, nHs, charge, nSing, nDoub, nTrip, nArom, in3Ring (nil = any)
        var value: Double
    }

    static let rules: [Rule] = DescriptorTables.tsvRows("tpsa").compactMap { f in
        guard f.count >= 10, let value = Double(f[9]) else { return nil }
        let element: Int
        switch f[0] {
        case "N": element = 7
        case "O": element = 8
        default: return nil  // S and P rules only apply with includeSandP (not RDKit's default)
        }
        return Rule(element: element, conditions: (1 ... 8).map { Int(f[$0]) }, value: value)
    }

    /// Contribution of every atom (0 for atoms other than N and O), in Å².
    public static func contributions(_ molecule: Molecule) -> [Double] {
        var out = [Double](repeating: 0, count: molecule.atomCount)
        for i in 0 ..< molecule.atomCount {
            let atom = molecule.atoms[i]
            guard atom.atomicNumber == 7 || atom.atomicNumber == 8 else { continue }
            var nbrs = 0, hs = atom.totalHydrogens, single = 0, double = 0, triple = 0, aromatic = 0
            for nb in molecule.neighbors(of: i) {
                if molecule.atoms[Int(nb.atom)].atomicNumber == 1 {
                    hs += 1
                    continue
                }
                nbrs += 1
                let bond = molecule.bonds[Int(nb.bond)]
                if bond.isAromatic {
                    aromatic += 1
                } else {
                    switch bond.order {
                    case .single: single += 1
                    case .double: double += 1
                    case .triple: triple += 1
                    default: break
                    }
                }
            }
            let in3 = molecule.rings.atomRingCount.isEmpty ? 0 : (molecule.rings.isAtom(i, inRingOfSize: 3) ? 1 : 0)
            let facts = [nbrs, hs, Int(atom.formalCharge), single, double, triple, aromatic, in3]
            var value = -1.0
            for rule in rules where rule.element == Int(atom.atomicNumber) {
                if zip(rule.conditions, facts).allSatisfy({ $0.0 == nil || $0.0 == $0.1 }) {
                    value = rule.value
                    break
                }
            }
            if value < 0 {
                value = atom.atomicNumber == 7 ? 30.5 - Double(nbrs) * 8.2 + Double(hs) * 1.5
                    : 28.5 - Double(nbrs) * 8.6 + Double(hs) * 1.5
                if value < 0 { value = 0 }
            }
            out[i] = value
        }
        return out
    }

    /// TPSA in Å² (contributions summed in atom order).
    public static func value(_ molecule: Molecule) -> Double {
        var total = 0.0
        for c in contributions(molecule) { total += c }
        return total
    }
}
