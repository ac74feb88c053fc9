/// RDKit's `MolOps::cleanUp`, the first sanitization step: hypervalent neutral N, P and halogens are rewritten to
/// their charge-separated forms, e.g. nitro `CN(=O)=O` → `C[N+](=O)[O-]`, azide `N=N#N` → `N=[N+]=[N-]`,
/// `C=P(=O)X` → `C=[P+]([O-])X`, perchlorate `Cl(=O)(=O)(=O)O` → `[Cl+3]([O-])([O-])([O-])O`.
enum Cleanup {
    static func run(_ mol: inout Molecule) throws {
        var nitrogens: [Int] = []
        for i in 0 ..< mol.atomCount where mol.atoms[i].atomicNumber == 7 && mol.atoms[i].formalCharge == 0 {
            guard try Valence.explicitValence(mol, i, strict: false) == 5 else { continue }
            nitrogens.append(i)
            let aromatic = mol.atoms[i].isAromatic
            mol.atoms[i].isAromatic = false
            for nb in mol.neighbors(of: i) {
                let o = Int(nb.atom)
                if mol.atoms[o].atomicNumber == 8 && mol.atoms[o].formalCharge == 0 && mol.bonds[Int(nb.bond)].order == .double {
                    mol.bonds[Int(nb.bond)].order = .single
                    mol.atoms[i].formalCharge = 1
                    mol.atoms[o].formalCharge = -1
                    break
                }
            }
            mol.atoms[i].isAromatic = aromatic
        }
        for i in nitrogens {
            let aromatic = mol.atoms[i].isAromatic
            mol.atoms[i].isAromatic = false
            for nb in mol.neighbors(of: i) {
                let o = Int(nb.atom)
                if mol.atoms[o].atomicNumber == 7 && mol.atoms[o].formalCharge == 0 && mol.bonds[Int(nb.bond)].order == .triple {
                    mol.bonds[Int(nb.bond)].order = .double
                    mol.atoms[i].formalCharge = 1
                    mol.atoms[o].formalCharge = -1
                    break
                }
            }
            mol.atoms[i].isAromatic = aromatic
        }
        for i in 0 ..< mol.atomCount {
            switch mol.atoms[i].atomicNumber {
            case 15: try phosphorus(&mol, i)
            case 17, 35, 53: try halogen(&mol, i)
            default: break
            }
        }
    }

    static func phosphorus(_ mol: inout Molecule, _ i: Int) throws {
        guard mol.atoms[i].formalCharge == 0 else { return }
        guard try Valence.explicitValence(mol, i, strict: false) == 5, mol.degree(of: i) == 3 else { return }
        var doubleToO: (bond: Int, atom: Int)? = nil
        var doubleToCN = false
        for nb in mol.neighbors(of: i) {
            let o = Int(nb.atom), b = Int(nb.bond)
            let z = mol.atoms[o].atomicNumber
            if z == 8 && mol.atoms[o].formalCharge == 0 && mol.bonds[b].order == .double {
                doubleToO = (b, o)
            } else if (z == 6 || z == 7) && mol.degree(of: o) >= 2 && mol.bonds[b].order == .double {
                doubleToCN = true
            }
        }
        if doubleToCN, let d = doubleToO {
            mol.atoms[d.atom].formalCharge = -1
            mol.bonds[d.bond].order = .single
            mol.atoms[i].formalCharge = 1
        }
    }

    static func halogen(_ mol: inout Molecule, _ i: Int) throws {
        let ev = try Valence.explicitValence(mol, i, strict: false)
        guard mol.atoms[i].formalCharge == 0, ev == 7 || ev == 5 || ev == 3 else { return }
        for nb in mol.neighbors(of: i) where mol.atoms[Int(nb.atom)].atomicNumber != 8 { return }
        var charge = 0
        for nb in mol.neighbors(of: i) where mol.bonds[Int(nb.bond)].order == .double {
            mol.bonds[Int(nb.bond)].order = .single
            mol.atoms[Int(nb.atom)].formalCharge = -1
            charge += 1
        }
        mol.atoms[i].formalCharge = Int8(charge)
    }
}
