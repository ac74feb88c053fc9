/// Removal of explicit hydrogen atoms, as RDKit's SMILES reader does it (`MolOps::removeHs` with the default
/// `RemoveHsParameters` and `updateExplicitCount`): `[H]C([H])([H])[H]` becomes `C` with four explicit H.
///
/// Kept in the graph: isotopic H (`[2H]`), hydrides (`[H-]`), unbonded H, H with two or more bonds, H bonded only
/// to H (`[H][H]`), H on a dummy atom, and an H that defines double-bond geometry (`/` or `\` on the only other
/// bond of a double-bonded atom).
enum HydrogenRemoval {
    static func shouldRemove(_ mol: Molecule, _ i: Int) -> Bool {
        let atom = mol.atoms[i]
        guard atom.atomicNumber == 1, atom.isotope == 0, atom.formalCharge != -1 else { return false }
        guard mol.degree(of: i) == 1, let nb = mol.neighbors(of: i).first else { return false }
        let heavy = Int(nb.atom)
        let h = mol.atoms[heavy]
        if h.atomicNumber == 0 || h.atomicNumber == 1 { return false }
        if h.chirality == .other { return false }
        if mol.degree(of: heavy) == 2 {
            for nb2 in mol.neighbors(of: heavy) where mol.bonds[Int(nb2.bond)].order == .double {
                if mol.bonds[Int(nb.bond)].direction != .none { return false }
            }
        }
        return true
    }

    /// Returns the molecule without removable H atoms (their counts moved onto the neighbours).
    static func removeHydrogens(_ mol: Molecule) -> Molecule {
        var remove = [Bool](repeating: false, count: mol.atomCount)
        var any = false
        for i in 0 ..< mol.atomCount where mol.atoms[i].atomicNumber == 1 && shouldRemove(mol, i) {
            remove[i] = true
            any = true
        }
        guard any else { return mol }
        var atoms = mol.atoms
        for i in 0 ..< mol.atomCount where remove[i] {
            let heavy = Int(mol.neighbors(of: i).first!.atom)
            atoms[heavy].explicitHydrogens &+= 1
        }
        var newIndex = [Int32](repeating: -1, count: mol.atomCount)
        var kept: [Atom] = []
        for i in 0 ..< mol.atomCount where !remove[i] {
            newIndex[i] = Int32(kept.count)
            kept.append(atoms[i])
        }
        var bonds: [Bond] = []
        for var b in mol.bonds where !remove[Int(b.begin)] && !remove[Int(b.end)] {
            b.begin = newIndex[Int(b.begin)]
            b.end = newIndex[Int(b.end)]
            bonds.append(b)
        }
        var result = Molecule(atoms: kept, bonds: bonds)
        for (atom, order) in mol.chiralNeighbors where !remove[Int(atom)] {
            result.chiralNeighbors[newIndex[Int(atom)]] = order.map { $0 < 0 ? -1 : (remove[Int($0)] ? -1 : newIndex[Int($0)]) }
        }
        // A chiral atom may not carry more than one H (RDKit drops such explicit counts).
        for k in kept.indices where !kept[k].noImplicit && kept[k].chirality != .none && kept[k].explicitHydrogens > 1 {
            result.atoms[k].explicitHydrogens = 0
        }
        return result
    }
}
