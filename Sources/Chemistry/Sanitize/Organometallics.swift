/// RDKit's `cleanUpOrganometallics`: a non-metal above its largest allowed valence (judged as the isoelectronic
/// element Z − charge) that has a single bond to a metal gets that bond turned into a dative bond towards the
/// metal, e.g. `[NH3+]-[Fe]` stays a valid ammine complex. With several metals, the one with fewest dative bonds
/// is chosen (ties: the higher canonical rank); atoms are visited in canonical-rank order, so the result does not
/// depend on how the SMILES was written. Deviation from RDKit, for round trips: an atom that already has a dative
/// bond is left alone, so that written output (`[Se-]->[In]`) reads back as the same graph (RDKit would convert
/// further bonds of such an atom if it were still above its valence).
enum Organometallics {
    static let nonMetals: Set<UInt8> = [0, 1, 2, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 33, 34, 35, 36, 52, 53, 54, 85, 86]
    @inline(__always) static func isMetal(_ a: Atom) -> Bool { !nonMetals.contains(a.atomicNumber) }
    @inline(__always) static func refusesDative(_ a: Atom) -> Bool { [1, 2, 9, 10].contains(a.atomicNumber) }

    static func isHypervalentNonMetal(_ mol: Molecule, _ i: Int) throws -> Bool {
        let atom = mol.atoms[i]
        if isMetal(atom) { return false }
        let ev = try Valence.explicitValence(mol, i, strict: false)
        let eff = Int(atom.atomicNumber) - Int(atom.formalCharge)
        if eff <= 0 || eff > Valence.maxZ { return false }
        let maxV = Valence.valenceLists[eff].last ?? -1
        if maxV <= 0 { return false }
        if ev > maxV { return true }
        if ev == maxV && atom.isAromatic {
            let ih = try Valence.implicitHydrogens(mol, i, explicitValence: ev, strict: false)
            return mol.degree(of: i) + Int(atom.explicitHydrogens) + ih == 4
        }
        return false
    }

    static func run(_ mol: inout Molecule) throws {
        var needed = false
        for i in 0 ..< mol.atomCount where !refusesDative(mol.atoms[i]) && !isMetal(mol.atoms[i]) {
            if mol.neighbors(of: i).contains(where: { mol.bonds[Int($0.bond)].order == .dative }) { continue }
            if mol.neighbors(of: i).contains(where: {
                mol.bonds[Int($0.bond)].order == .single && isMetal(mol.atoms[Int($0.atom)])
            }), try isHypervalentNonMetal(mol, i) { needed = true; break }
        }
        guard needed else { return }
        let ranks = try CanonicalRanking.ranks(mol, workLimit: CanonicalRanking.defaultWorkLimit)
        let order = (0 ..< mol.atomCount).sorted { ranks[$0] < ranks[$1] }
        for i in order where !refusesDative(mol.atoms[i]) {
            if mol.neighbors(of: i).contains(where: { mol.bonds[Int($0.bond)].order == .dative }) { continue }
            guard mol.neighbors(of: i).contains(where: {
                mol.bonds[Int($0.bond)].order == .single && isMetal(mol.atoms[Int($0.atom)])
            }) else { continue }
            guard try isHypervalentNonMetal(mol, i) else { continue }
            var best: (bond: Int, metal: Int, datives: Int)? = nil
            for nb in mol.neighbors(of: i) where mol.bonds[Int(nb.bond)].order == .single && isMetal(mol.atoms[Int(nb.atom)]) {
                let m = Int(nb.atom)
                let datives = mol.neighbors(of: m).filter { mol.bonds[Int($0.bond)].order == .dative }.count
                if best == nil || datives < best!.datives || (datives == best!.datives && ranks[m] > ranks[best!.metal]) {
                    best = (Int(nb.bond), m, datives)
                }
            }
            if let b = best {
                mol.bonds[b.bond].order = .dative
                mol.bonds[b.bond].begin = Int32(i)
                mol.bonds[b.bond].end = Int32(b.metal)
            }
        }
    }
}
