/// RDKit's default aromaticity model (`Code/GraphMol/Aromaticity.cpp`, `aromaticityHelper(includeFused=true)`),
/// applied to a Kekulé molecule with ring information.
///
/// 1. Each atom of a RingInfo ring gets an electron-donor type (vacant 0 e, one 1 e, two 2 e, any 1–2 e for
///    dummies, or none) and is a candidate if it is a first/second-row element or Se/Te, donates, is not above
///    the default valence of Z − charge, carries no radical (unless neutral C) and has at most one multiple bond.
///    New in 2026.09: a two-electron neutral 2-connected O/S without multiple bonds, first met in a ring of ≥ 9
///    atoms, donates nothing (macrocyclic ethers are not aromatic).
/// 2. Rings made only of candidates are tested by Hückel's rule (4n+2 within the electron range, or exactly 2),
///    alone and in every connected combination of up to 6 rings of a fused system (rings ≤ 24 atoms sharing
///    exactly one bond are neighbours), counting atoms that lie in one or two of the chosen rings.
/// 3. Non-fusion bonds of an aromatic combination become aromatic, and single/double ones mark their atoms.
enum Aromaticity {
    enum Donor: UInt8 { case none, vacant, one, two, oneOrTwo, any }

    static func perceive(_ mol: inout Molecule) {
        let rings = mol.rings
        guard rings.count > 0 else { return }
        let n = mol.atomCount
        var seen = [Bool](repeating: false, count: n)
        var cand = [Bool](repeating: false, count: n)
        var donor = [Donor](repeating: .none, count: n)
        var candidateRings: [Int] = []
        for (r, ring) in rings.atomRings.enumerated() {
            var allCandidates = true, allDummy = true
            for a32 in ring {
                let a = Int(a32)
                if mol.atoms[a].atomicNumber != 0 { allDummy = false }
                if seen[a] {
                    if !cand[a] { allCandidates = false }
                    continue
                }
                seen[a] = true
                var d = donorType(mol, a)
                if d == .two && ring.count >= 9 {
                    let z = mol.atoms[a].atomicNumber
                    if (z == 8 || z == 16) && mol.degree(of: a) == 2 && mol.atoms[a].formalCharge == 0
                        && !mol.neighbors(of: a).contains(where: { let o = mol.bonds[Int($0.bond)].order; return o == .double || o == .triple }) {
                        d = .none
                    }
                }
                donor[a] = d
                cand[a] = isCandidate(mol, a, d)
                if !cand[a] { allCandidates = false }
            }
            if allCandidates && !allDummy { candidateRings.append(r) }
        }
        guard !candidateRings.isEmpty else { return }
        let bondRings = candidateRings.map { rings.bondRings[$0] }
        let atomRings = candidateRings.map { rings.atomRings[$0] }
        let count = candidateRings.count
        // Ring neighbour map: rings of ≤ 24 bonds sharing exactly one bond.
        var neighbors = [[Int]](repeating: [], count: count)
        for i in 0 ..< count where bondRings[i].count <= 24 {
            for j in (i + 1) ..< count where bondRings[j].count <= 24 {
                var shared = 0
                for b in bondRings[i] where bondRings[j].contains(b) { shared += 1; if shared > 1 { break } }
                if shared == 1 { neighbors[i].append(j); neighbors[j].append(i) }
            }
        }
        var done = [Bool](repeating: false, count: count)
        for start in 0 ..< count where !done[start] {
            var system: [Int] = [start]
            done[start] = true
            var k = 0
            while k < system.count {
                for nb in neighbors[system[k]] where !done[nb] { done[nb] = true; system.append(nb) }
                k += 1
            }
            system.sort()
            applyHuckelToFused(&mol, system: system, atomRings: atomRings, bondRings: bondRings,
                               neighbors: neighbors, donor: donor)
        }
    }

    static func applyHuckelToFused(_ mol: inout Molecule, system: [Int], atomRings: [[Int32]], bondRings: [[Int32]],
                                   neighbors: [[Int]], donor: [Donor]) {
        let nrings = system.count
        var inSystem = [Bool](repeating: false, count: mol.bondCount)
        var ringBondCount = 0
        for r in system { for b in bondRings[r] where !inSystem[Int(b)] { inSystem[Int(b)] = true; ringBondCount += 1 } }
        var doneBonds = DoneBonds(count: mol.bondCount)
        var atomCount = [UInt8](repeating: 0, count: mol.atomCount)
        var size = 1
        while size <= min(nrings, 6) && doneBonds.count < ringBondCount {
            if size == 3 && nrings > 300 { break }
            var comb = Array(0 ..< size)
            while true {
                let chosen = comb.map { system[$0] }
                if size == 1 || isConnected(chosen, neighbors) {
                    var touched: [Int32] = []
                    for r in chosen {
                        for a in atomRings[r] {
                            if atomCount[Int(a)] == 0 { touched.append(a) }
                            atomCount[Int(a)] &+= 1
                        }
                    }
                    var lo = 0, hi = 0, anyCount = 0, tooManyAny = false
                    for a in touched where atomCount[Int(a)] == 1 || atomCount[Int(a)] == 2 {
                        switch donor[Int(a)] {
                        case .any:
                            anyCount += 1
                            if anyCount > 1 { tooManyAny = true }
                            lo += 1; hi += 2
                        case .oneOrTwo: lo += 1; hi += 2
                        case .one: lo += 1; hi += 1
                        case .two: lo += 2; hi += 2
                        case .none, .vacant: break
                        }
                    }
                    for a in touched { atomCount[Int(a)] = 0 }
                    var aromatic = false
                    if !tooManyAny {
                        if hi >= 6 {
                            var e = lo
                            while e <= hi { if (e - 2) % 4 == 0 { aromatic = true; break }; e += 1 }
                        } else if hi == 2 {
                            aromatic = true
                        }
                    }
                    if aromatic { markAromatic(&mol, chosen, bondRings, &doneBonds) }
                }
                // Next combination in lexicographic order.
                var i = size - 1
                while i >= 0 && comb[i] == nrings - size + i { i -= 1 }
                if i < 0 { break }
                comb[i] += 1
                for j in (i + 1) ..< size { comb[j] = comb[j - 1] + 1 }
            }
            size += 1
        }
    }

    static func isConnected(_ chosen: [Int], _ neighbors: [[Int]]) -> Bool {
        var reached: [Int] = [chosen[0]]
        var k = 0
        while k < reached.count {
            for nb in neighbors[reached[k]] where chosen.contains(nb) && !reached.contains(nb) { reached.append(nb) }
            k += 1
        }
        return reached.count == chosen.count
    }

    /// Bonds already marked aromatic in the current fused system.
    struct DoneBonds {
        var seen: [Bool]
        var count = 0
        init(count n: Int) { seen = [Bool](repeating: false, count: n) }
        mutating func insert(_ b: Int32) { if !seen[Int(b)] { seen[Int(b)] = true; count += 1 } }
    }

    static func markAromatic(_ mol: inout Molecule, _ chosen: [Int], _ bondRings: [[Int32]], _ doneBonds: inout DoneBonds) {
        var counts: [Int32: Int] = [:]
        for r in chosen { for b in bondRings[r] { counts[b, default: 0] += 1 } }
        for (b, c) in counts where c == 1 {
            let k = Int(b)
            mol.bonds[k].isAromatic = true
            if mol.bonds[k].order == .single || mol.bonds[k].order == .double {
                mol.bonds[k].order = .aromatic
                mol.atoms[Int(mol.bonds[k].begin)].isAromatic = true
                mol.atoms[Int(mol.bonds[k].end)].isAromatic = true
            }
            doneBonds.insert(b)
        }
    }

    // MARK: atom rules

    static func contribution(_ mol: Molecule, _ bond: Bond, at i: Int) -> Double {
        bond.order.valenceContribution(isEndAtom: Int(bond.end) == i)
    }

    /// RDKit `MolOps::countAtomElec`: electrons atom `i` can donate to a π system (−1 = cannot take part).
    static func countAtomElectrons(_ mol: Molecule, _ i: Int) -> Int {
        let atom = mol.atoms[i]
        let z = Int(atom.atomicNumber)
        let dv = Valence.defaultValence[z]
        if dv <= 1 { return -1 }
        var degree = mol.degree(of: i) + atom.totalHydrogens
        for nb in mol.neighbors(of: i) where contribution(mol, mol.bonds[Int(nb.bond)], at: i) == 0 { degree -= 1 }
        if degree > 3 { return -1 }
        let nlp = max(Valence.outerElectrons[z] - dv - Int(atom.formalCharge), 0)
        var res = (dv - degree) + nlp - Int(atom.radicalElectrons)
        if res > 1 && Int(atom.explicitValence) - mol.degree(of: i) > 1 { res = 1 }
        return res
    }

    /// First non-ring bond with order ≥ 2 (its other atom), if any.
    static func nonCyclicMultipleBondPartner(_ mol: Molecule, _ i: Int) -> Int? {
        for nb in mol.neighbors(of: i) where mol.rings.bondRingCount[Int(nb.bond)] == 0 {
            if contribution(mol, mol.bonds[Int(nb.bond)], at: i) >= 2 { return Int(nb.atom) }
        }
        return nil
    }

    static func hasCyclicMultipleBond(_ mol: Molecule, _ i: Int) -> Bool {
        for nb in mol.neighbors(of: i) where mol.rings.bondRingCount[Int(nb.bond)] > 0 {
            if contribution(mol, mol.bonds[Int(nb.bond)], at: i) >= 2 { return true }
        }
        return false
    }

    static func hasMultipleBond(_ mol: Molecule, _ i: Int) -> Bool {
        var deg = mol.degree(of: i) + Int(mol.atoms[i].explicitHydrogens)
        for nb in mol.neighbors(of: i) where contribution(mol, mol.bonds[Int(nb.bond)], at: i).rounded(.toNearestOrAwayFromZero) == 0 {
            deg -= 1
        }
        return Int(mol.atoms[i].explicitValence) != deg
    }

    /// RDKit `getAtomDonorTypeArom`.
    static func donorType(_ mol: Molecule, _ i: Int) -> Donor {
        let atom = mol.atoms[i]
        if atom.atomicNumber == 0 { return hasCyclicMultipleBond(mol, i) ? .one : .any }
        var nelec = countAtomElectrons(mol, i)
        if nelec < 0 { return .none }
        if nelec == 0 {
            if nonCyclicMultipleBondPartner(mol, i) != nil { return .vacant }
            if hasCyclicMultipleBond(mol, i) { return .one }
            return .none
        }
        if nelec == 1 {
            if let who = nonCyclicMultipleBondPartner(mol, i) {
                return PeriodicTable.moreElectronegative(Int(mol.atoms[who].atomicNumber), than: Int(atom.atomicNumber))
                    ? .vacant : .one
            }
            if hasMultipleBond(mol, i) { return .one }
            if atom.formalCharge == 1 { return .vacant }
            return .none
        }
        if let who = nonCyclicMultipleBondPartner(mol, i),
           PeriodicTable.moreElectronegative(Int(mol.atoms[who].atomicNumber), than: Int(atom.atomicNumber)) {
            nelec -= 1
        }
        return nelec % 2 == 1 ? .one : .two
    }

    /// RDKit `isAtomCandForArom` with the default options.
    static func isCandidate(_ mol: Molecule, _ i: Int, _ donor: Donor) -> Bool {
        let atom = mol.atoms[i]
        let z = Int(atom.atomicNumber)
        if z > 18 && z != 34 && z != 52 { return false }
        switch donor {
        case .vacant, .one, .two, .oneOrTwo, .any: break
        case .none: return false
        }
        let defVal = Valence.defaultValence[z]
        if defVal > 0 {
            let eff = min(max(z - Int(atom.formalCharge), 0), Valence.maxZ)
            if Valence.totalValence(atom) > Valence.defaultValence[eff] { return false }
        }
        if atom.radicalElectrons > 0 && (z != 6 || atom.formalCharge != 0) { return false }
        if Int(atom.explicitValence) - mol.degree(of: i) > 1 {
            var nMult = 0
            for nb in mol.neighbors(of: i) {
                let o = mol.bonds[Int(nb.bond)].order
                if o == .double || o == .triple { nMult += 1 }
            }
            if nMult > 1 { return false }
        }
        return true
    }
}
