/// Hydrogen-bond donor/acceptor and rotatable-bond counts, as RDKit defines them (`Lipinski.cpp`, `QED.py`).
///
/// Functions take a `SubstructureTarget` (hydrogens implicit) so several counts can share one; the `Molecule`
/// overloads build it.
public enum Lipinski {
    /// RDKit `NumHBD` (v2.0.1): atoms matching `[N&!H0&v3,N&!H0&+1&v4,O&H1&+0,S&H1&+0,n&H1&+0]`. QED's HBD.
    static let donorPattern = DescriptorTables.pattern(DescriptorTables.qedString("hbd_smarts"))
    /// RDKit `NumHBA` (v2.0.1) as compiled into RDKit 2026.9.1's `libRDKitDescriptors` (the source on GitHub
    /// shows `nH0` without `X2`; the shipped library uses `nH0X2`, which is what RDKit returns).
    static let acceptorPattern = DescriptorTables.pattern(
        "[$([O,S;H1;v2]-[!$(*=[O,N,P,S])]),$([O,S;H0;v2]),$([O,S;-]),$([N;v3;!$(N-*=!@[O,N,P,S])]),$([nH0X2,o,s;+0])]")
    /// QED's 11 acceptor patterns (`QED.AcceptorSmarts`).
    static let qedAcceptorPatterns = DescriptorTables.qedStrings("acceptor_smarts").map(DescriptorTables.pattern)
    /// Strict rotatable bond (RDKit `NumRotatableBondsOptions.Strict`, v3.1.0; used by QED).
    static let strictRotatablePattern = DescriptorTables.pattern(DescriptorTables.qedString("rotb_strict_smarts"))
    /// Non-strict rotatable bond (RDKit's default definition).
    static let rotatablePattern = DescriptorTables.pattern("[!$(*#*)&!D1]-,:;!@[!$(*#*)&!D1]")

    /// H-bond donors (RDKit `CalcNumHBD`; the `HBD` of QED).
    public static func hydrogenBondDonors(_ target: SubstructureTarget) -> Int { donorPattern.matchCount(in: target) }

    /// H-bond acceptors (RDKit `CalcNumHBA`).
    public static func hydrogenBondAcceptors(_ target: SubstructureTarget) -> Int {
        acceptorPattern.matchCount(in: target)
    }

    /// QED's acceptor count: Σ over its 11 patterns of the atoms each matches (an atom can count twice).
    public static func qedAcceptors(_ target: SubstructureTarget) -> Int {
        qedAcceptorPatterns.reduce(0) { $0 + $1.matchCount(in: target) }
    }

    /// Rotatable bonds: `strict` (QED's definition: excludes amide C–N, CF₃, t-butyl, …) or RDKit's default
    /// non-strict definition (single, non-ring bonds between non-terminal atoms not in a triple bond).
    public static func rotatableBonds(_ target: SubstructureTarget, strict: Bool = true) -> Int {
        (strict ? strictRotatablePattern : rotatablePattern).matchCount(in: target)
    }

    /// Lipinski's acceptor count: number of N and O atoms (RDKit `CalcNumLipinskiHBA`, `NOCount`).
    public static func lipinskiAcceptors(_ molecule: Molecule) -> Int {
        molecule.atoms.reduce(0) { $0 + (($1.atomicNumber == 7 || $1.atomicNumber == 8) ? 1 : 0) }
    }

    /// Lipinski's donor count: hydrogens on N and O atoms (RDKit `CalcNumLipinskiHBD`, `NHOHCount`).
    public static func lipinskiDonors(_ molecule: Molecule) -> Int {
        var count = 0
        for i in 0 ..< molecule.atomCount {
            let atom = molecule.atoms[i]
            guard atom.atomicNumber == 7 || atom.atomicNumber == 8 else { continue }
            count += atom.totalHydrogens
            for nb in molecule.neighbors(of: i) where molecule.atoms[Int(nb.atom)].atomicNumber == 1 { count += 1 }
        }
        return count
    }

    public static func hydrogenBondDonors(_ molecule: Molecule) -> Int { hydrogenBondDonors(SubstructureTarget(molecule)) }
    public static func hydrogenBondAcceptors(_ molecule: Molecule) -> Int {
        hydrogenBondAcceptors(SubstructureTarget(molecule))
    }
    public static func rotatableBonds(_ molecule: Molecule, strict: Bool = true) -> Int {
        rotatableBonds(SubstructureTarget(molecule), strict: strict)
    }
}
