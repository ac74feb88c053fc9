/// RDKit's `setConjugation` (`Code/GraphMol/ConjugHybrid.cpp`): aromatic bonds are conjugated; otherwise, around an
/// atom with 2–3 substituents that are conjugation candidates, a multiple bond to a candidate makes every other
/// bond to a candidate (with ≤ 3 substituents) conjugated. Only hybridization (for stereo clean-up) uses it.
enum Conjugation {
    /// RDKit `isAtomConjugCand`.
    static func isCandidate(_ mol: Molecule, _ i: Int) -> Bool {
        let a = mol.atoms[i]
        let z = Int(a.atomicNumber)
        let vals = Valence.valenceLists[z]
        if a.formalCharge == 0, let first = vals.first, first >= 0, Valence.totalValence(a) > first { return false }
        let nouter = Valence.outerElectrons[z]
        let totalDegree = mol.degree(of: i) + a.totalHydrogens
        return (z <= 10 || (nouter != 5 && nouter != 6) || (nouter == 6 && totalDegree < 2))
            && Aromaticity.countAtomElectrons(mol, i) > 0
    }

    static func conjugatedBonds(_ mol: Molecule) -> [Bool] {
        var conjugated = mol.bonds.map(\.isAromatic)
        let n = mol.atomCount
        var candidate = [Bool](repeating: false, count: n)
        var substituents = [Int](repeating: 0, count: n)
        for i in 0 ..< n where isCandidate(mol, i) {
            candidate[i] = true
            substituents[i] = mol.degree(of: i) + mol.atoms[i].totalHydrogens
        }
        for i in 0 ..< n where candidate[i] && (2 ... 3).contains(substituents[i]) {
            for nb1 in mol.neighbors(of: i) {
                let b1 = mol.bonds[Int(nb1.bond)]
                guard b1.order.valenceContribution(isEndAtom: Int(b1.end) == i) >= 1.5, candidate[Int(nb1.atom)] else { continue }
                for nb2 in mol.neighbors(of: i) where nb2.bond != nb1.bond {
                    let w = Int(nb2.atom)
                    if substituents[w] > 3 { continue }
                    if candidate[w] {
                        conjugated[Int(nb1.bond)] = true
                        conjugated[Int(nb2.bond)] = true
                    }
                }
            }
        }
        return conjugated
    }
}
