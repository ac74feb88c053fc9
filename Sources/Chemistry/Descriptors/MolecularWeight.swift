/// Average molecular weight, as RDKit's `Descriptors.MolWt` (`calcAMW`): Σ over atoms of the atomic weight (or,
/// for an atom with an isotope set, that isotope's mass) plus the atom's hydrogens (implicit and bracket) at
/// H's average weight 1.008. Weights are RDKit 2026.9.1's table (`Resources/periodic_table.tsv`).
public enum MolecularWeight {
    static let atomicWeight: [Double] = PeriodicTable.elements.map { $0.atomicWeight }

    /// Mass of one atom without its hydrogens.
    @inline(__always) static func mass(_ atom: Atom) -> Double {
        if atom.isotope != 0,
           let m = PeriodicTable.isotopeMass(atomicNumber: Int(atom.atomicNumber), massNumber: Int(atom.isotope)) {
            return m
        }
        return atomicWeight[Int(atom.atomicNumber)]
    }

    /// Average molecular weight in g/mol (summed in atom order, as RDKit does).
    public static func average(_ molecule: Molecule) -> Double {
        let hydrogen = atomicWeight[1]
        var total = 0.0
        for atom in molecule.atoms {
            total += mass(atom)
            total += Double(atom.totalHydrogens) * hydrogen
        }
        return total
    }
}
