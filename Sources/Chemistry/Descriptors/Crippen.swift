/// Wildman–Crippen logP and molar refractivity (J. Chem. Inf. Comput. Sci. 1999, 39, 868), as RDKit's
/// `Crippen.MolLogP` / `MolMR` (`Code/GraphMol/Descriptors/Crippen.cpp`).
///
/// Every hydrogen is made an explicit atom; each atom then takes the values of the **first** of the 110 rows of
/// `Resources/crippen.tsv` (RDKit's compiled `defaultParamData`, in file order) whose SMARTS matches with the atom
/// as its first atom; an atom no row matches contributes 0. logP = Σ logPᵢ, MR = Σ MRᵢ, summed in atom order
/// (heavy atoms, then hydrogens), as RDKit sums them.
public enum Crippen {
    /// The type and contributions of one atom of the H-expanded molecule.
    public struct Contribution: Sendable, Equatable {
        /// Type label (`C18`, `H1`, `N11`, …), empty if no row matched.
        public var type: String
        public var logP: Double
        public var mr: Double
    }

    /// The table, column by column (patterns apart so the hot loop touches only them).
    struct Table: Sendable {
        var labels: [String] = []
        var patterns: [SmartsProgram] = []
        var logP: [Double] = []
        var mr: [Double] = []
        /// For each atomic number, the rows whose first atom can be that element, in table order.
        var rowsByElement: [[Int16]] = []
    }

    static let table: Table = {
        var t = Table()
        for f in DescriptorTables.tsvRows("crippen") {
            guard f.count >= 5, let logP = Double(f[3]), let mr = Double(f[4]) else { continue }
            t.labels.append(String(f[1]))
            t.patterns.append(DescriptorTables.pattern(String(f[2])).program)
            t.logP.append(logP)
            t.mr.append(mr)
        }
        t.rowsByElement = [[Int16]](repeating: [], count: PeriodicTable.maxAtomicNumber + 1)
        for (k, pattern) in t.patterns.enumerated() {
            let possible = pattern.rootAtomicNumbers
            for z in t.rowsByElement.indices where possible?.contains(z) ?? true { t.rowsByElement[z].append(Int16(k)) }
        }
        return t
    }()

    /// Row index typing each atom of `target` (built with explicit hydrogens), −1 where none matches.
    static func typeRows(_ target: SubstructureTarget) -> [Int16] {
        let t = table
        var types = [Int16](repeating: -1, count: target.atomCount)
        target.withView { view in
            for a in 0 ..< view.atomCount {
                for r in t.rowsByElement[Int(view.atoms[a].atomicNumber)] where t.patterns[Int(r)].hasMatch(view, rootedAt: a) {
                    types[a] = r
                    break
                }
            }
        }
        return types
    }

    /// Per-atom types and contributions: the molecule's atoms first (same indices), then its hydrogens in atom
    /// order (`SubstructureTarget(_, explicitHydrogens: true)` numbering).
    public static func contributions(_ molecule: Molecule) -> [Contribution] {
        let t = table
        return typeRows(SubstructureTarget(molecule, explicitHydrogens: true)).map { r in
            r < 0 ? Contribution(type: "", logP: 0, mr: 0)
                : Contribution(type: t.labels[Int(r)], logP: t.logP[Int(r)], mr: t.mr[Int(r)])
        }
    }

    /// logP and MR of the molecule.
    public static func descriptors(_ molecule: Molecule) -> (logP: Double, mr: Double) {
        descriptors(SubstructureTarget(molecule, explicitHydrogens: true))
    }

    /// logP and MR from an explicit-hydrogen target.
    static func descriptors(_ target: SubstructureTarget) -> (logP: Double, mr: Double) {
        let t = table
        var logP = 0.0, mr = 0.0
        for r in typeRows(target) where r >= 0 {
            logP += t.logP[Int(r)]
            mr += t.mr[Int(r)]
        }
        return (logP, mr)
    }

    /// Wildman–Crippen logP (RDKit `MolLogP`).
    public static func logP(_ molecule: Molecule) -> Double { descriptors(molecule).logP }

    /// Wildman–Crippen molar refractivity (RDKit `MolMR`).
    public static func molarRefractivity(_ molecule: Molecule) -> Double { descriptors(molecule).mr }
}
