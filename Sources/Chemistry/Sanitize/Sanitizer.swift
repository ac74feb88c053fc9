/// RDKit-equivalent sanitization (`MolOps::sanitizeMol` as called by `MolFromSmiles`), in RDKit's order:
/// explicit-H removal, clean-up (nitro etc.), the organometallic dative-bond clean-up, valence check + implicit
/// H, kekulization, ring perception, radicals, aromaticity, H adjustment, final valence check, then the stereo
/// clean-up (it decides H bookkeeping of stereo atoms). Conjugation and hybridization flags are not needed by
/// anything we compute and are not stored.
public enum Sanitizer {
    /// Sanitizes a freshly parsed graph in place; throws `MoleculeError` (`.valence` / `.kekulize`).
    public static func sanitize(_ mol: inout Molecule) throws {
        mol = HydrogenRemoval.removeHydrogens(mol)
        try Cleanup.run(&mol)
        try Organometallics.run(&mol)
        let n = mol.atomCount
        for i in 0 ..< n { try Valence.updateCache(&mol, i, strict: true) }
        var adjustH = [Bool](repeating: false, count: n)
        for i in 0 ..< n where mol.isAromaticLike(i) { adjustH[i] = true }
        let ringBonds = RingFinder.findRingBonds(mol)
        try Kekulizer.run(&mol, isRingBond: ringBonds)
        mol.rings = RingFinder.perceive(mol)
        assignRadicals(&mol)
        Aromaticity.perceive(&mol)
        for i in 0 ..< n where mol.isAromaticLike(i) { adjustH[i] = true }
        for i in 0 ..< n where adjustH[i] {
            let original = Int(mol.atoms[i].noImplicit ? 0 : mol.atoms[i].implicitHydrogens)
            let ev = try Valence.explicitValence(mol, i, strict: false)
            let now = try Valence.implicitHydrogens(mol, i, explicitValence: ev, strict: false)
            if now < original { mol.atoms[i].explicitHydrogens &+= UInt8(original - now) }
        }
        for i in 0 ..< n { try Valence.updateCache(&mol, i, strict: true) }
        try StereoCleanup.run(&mol)
    }

    /// RDKit `assignRadicals`: bracket atoms get the radical electrons their valence leaves unpaired.
    static func assignRadicals(_ mol: inout Molecule) {
        for i in 0 ..< mol.atomCount {
            let atom = mol.atoms[i]
            let z = Int(atom.atomicNumber)
            guard atom.noImplicit, z != 0 else { continue }
            let valens = Valence.valenceLists[z]
            let chg = Int(atom.formalCharge)
            let nOuter = Valence.outerElectrons[z]
            if valens.count != 1 || valens[0] != -1 {
                let totalValence = Int(Valence.bondValenceSum(mol, i) + 0.1)
                let baseCount = (z == 1 || z == 2) ? 2 : 8
                var radicals = baseCount - nOuter - totalValence + chg
                if radicals < 0 {
                    radicals = 0
                    if valens.count > 1 {
                        for v in valens where v - totalValence + chg >= 0 {
                            radicals = v - totalValence + chg
                            break
                        }
                    }
                }
                let radicals2 = nOuter - totalValence - chg
                if radicals2 >= 0 { radicals = min(radicals, radicals2) }
                mol.atoms[i].radicalElectrons = UInt8(clamping: radicals)
            } else if mol.degree(of: i) > 0 {
                mol.atoms[i].radicalElectrons = 0
            } else {
                mol.atoms[i].radicalElectrons = UInt8(max(nOuter - chg, 0) % 2)
            }
        }
    }
}

extension Molecule {
    /// Parses and sanitizes a SMILES string exactly as RDKit's `MolFromSmiles` would accept it.
    ///
    /// - Throws: `MoleculeError` with kind `.parse`, `.valence` or `.kekulize`.
    public init<S: StringProtocol>(smiles: S) throws {
        var mol = try SmilesParser.parse(smiles)
        try Sanitizer.sanitize(&mol)
        self = mol
    }
}
