/// Kekulization as RDKit's sanitization does it (`Code/GraphMol/Kekulize.cpp`), with the search replaced by a
/// maximum matching (any perfect matching is as good: aromaticity is perceived again afterwards).
///
/// An aromatic ring atom needs a double bond iff `degree + implicitH + radicals < dv` and
/// `dv == sbo + 1 + radicals` (or, for a bracket atom without radicals, `dv == sbo + 2`), where `sbo` counts each
/// aromatic bond as 1 plus the other bond orders plus total H, and `dv` is the default valence shifted by the
/// charge (sign flipped for early elements and C⁺), raised through the allowed valences while the total valence
/// exceeds it. Those atoms must be perfectly matched over aromatic ring bonds; otherwise "can't kekulize".
/// Afterwards every aromatic flag is cleared; an aromatic atom outside any ring is an error.
enum Kekulizer {
    static func run(_ mol: inout Molecule, isRingBond: [Bool]) throws {
        let n = mol.atomCount
        var anyAromatic = false
        var aromaticAtom = [Bool](repeating: false, count: n)
        for i in 0 ..< n where mol.isAromaticLike(i) { aromaticAtom[i] = true; anyAromatic = true }
        guard anyAromatic else { return }

        var inRing = [Bool](repeating: false, count: n)
        for (k, b) in mol.bonds.enumerated() where isRingBond[k] {
            inRing[Int(b.begin)] = true; inRing[Int(b.end)] = true
        }
        // Candidates for a double bond.
        var candidate = [Bool](repeating: false, count: n)
        var optional = [Bool](repeating: false, count: n)  // dummy atoms may or may not take one
        var makeSingle = [Bool](repeating: false, count: mol.bondCount)
        for i in 0 ..< n where aromaticAtom[i] && inRing[i] {
            let atom = mol.atoms[i]
            var sbo = 0, nToIgnore = 0
            for nb in mol.neighbors(of: i) {
                let b = mol.bonds[Int(nb.bond)]
                if b.isAromatic && (b.order == .single || b.order == .double || b.order == .aromatic) {
                    sbo += 1
                    makeSingle[Int(nb.bond)] = true
                } else {
                    let contrib = Int(b.order.valenceContribution(isEndAtom: Int(b.end) == i).rounded(.toNearestOrAwayFromZero))
                    sbo += contrib
                    if contrib == 0 { nToIgnore += 1 }
                }
            }
            let z = Int(atom.atomicNumber)
            if z == 0 {
                candidate[i] = true
                optional[i] = true
                continue
            }
            sbo += atom.totalHydrogens
            var dv = Valence.defaultValence[z]
            var chrg = Int(atom.formalCharge)
            if Valence.isEarly[z] { chrg = -chrg }
            if z == 6 && chrg > 0 { chrg = -chrg }
            dv += chrg
            let tbo = Valence.totalValence(atom)
            let nRadicals = Int(atom.radicalElectrons)
            let totalDegree = mol.degree(of: i) + Int(atom.implicitHydrogens) - nToIgnore
            let valList = Valence.valenceLists[z]
            var vi = 1
            while tbo > dv && vi < valList.count && valList[vi] > 0 {
                dv = valList[vi] + chrg
                vi += 1
            }
            if tbo == 5 && sbo == 4 && dv == 3 && totalDegree == 3 && nRadicals == 0 && chrg == 0 && atom.totalHydrogens == 0
                && (z == 7 || z == 15 || z == 33) {
                dv = 5
            }
            if totalDegree + nRadicals >= dv { continue }
            if dv == sbo + 1 + nRadicals || (nRadicals == 0 && atom.noImplicit && dv == sbo + 2) {
                candidate[i] = true
            }
        }
        // Dummy atoms in an aromatic ring system may take a double bond or not (RDKit tries both).
        for i in 0 ..< n where mol.atoms[i].atomicNumber == 0 && !candidate[i] && inRing[i] {
            if mol.neighbors(of: i).contains(where: { isRingBond[Int($0.bond)] && aromaticAtom[Int($0.atom)] }) {
                candidate[i] = true
                optional[i] = true
            }
        }
        // Match candidates over aromatic ring bonds (any ring bond to a dummy atom).
        var localIndex = [Int32](repeating: -1, count: n)
        var members: [Int32] = []
        for i in 0 ..< n where candidate[i] { localIndex[i] = Int32(members.count); members.append(Int32(i)) }
        var adjacency = [[Int32]](repeating: [], count: members.count)
        for (k, b) in mol.bonds.enumerated() where isRingBond[k] {
            guard b.isAromatic || mol.atoms[Int(b.begin)].atomicNumber == 0 || mol.atoms[Int(b.end)].atomicNumber == 0 else { continue }
            let a = localIndex[Int(b.begin)], c = localIndex[Int(b.end)]
            if a >= 0 && c >= 0 { adjacency[Int(a)].append(c); adjacency[Int(c)].append(a) }
        }
        let mate = matchRequired(adjacency, optional: members.map { optional[Int($0)] })
        var unmatched: [Int] = []
        for (l, i) in members.enumerated() where mate[l] < 0 && !optional[Int(i)] { unmatched.append(Int(i)) }
        if !unmatched.isEmpty {
            throw MoleculeError(.kekulize, "can't kekulize mol; unkekulized atoms: "
                + unmatched.map(String.init).joined(separator: " "))
        }
        for k in 0 ..< mol.bondCount where makeSingle[k] { mol.bonds[k].order = .single }
        for (l, i) in members.enumerated() {
            let m = Int(mate[l])
            guard m > l else { continue }
            if let b = mol.bond(between: Int(i), Int(members[m])) { mol.bonds[b].order = .double }
        }
        for k in 0 ..< mol.bondCount { mol.bonds[k].isAromatic = false }
        for i in 0 ..< n where mol.atoms[i].isAromatic {
            if !inRing[i] { throw MoleculeError(.kekulize, "non-ring atom \(i) marked aromatic") }
            mol.atoms[i].isAromatic = false
            let z = mol.atoms[i].atomicNumber
            // Pyrrole-type [nH]: the H becomes implicit again (RDKit GitHub issue 141).
            if (z == 7 || z == 15) && mol.atoms[i].formalCharge == 0 && mol.atoms[i].explicitHydrogens == 1 {
                mol.atoms[i].noImplicit = false
                mol.atoms[i].explicitHydrogens = 0
                try Valence.updateCache(&mol, i, strict: false)
            }
        }
    }

    /// A matching that covers every required vertex, optional (dummy) vertices used only where needed — RDKit
    /// tries all dummies as double-bond candidates, then switches subsets of them off. Exact for up to 12
    /// optional vertices (subsets by decreasing size); beyond that, required vertices simply augment first.
    static func matchRequired(_ adjacency: [[Int32]], optional: [Bool]) -> [Int32] {
        let optionalIndices = optional.indices.filter { optional[$0] }
        if optionalIndices.isEmpty || optionalIndices.count > 12 {
            var m = MaximumMatching(adjacency: adjacency)
            _ = m.solve(required: optional.map { !$0 })
            return m.mate
        }
        let k = optionalIndices.count
        let subsets = (0 ..< (1 << k)).sorted { ($0.nonzeroBitCount, $1) > ($1.nonzeroBitCount, $0) }
        var fallback: [Int32] = []
        for mask in subsets {
            var active = [Bool](repeating: true, count: adjacency.count)
            for (b, v) in optionalIndices.enumerated() where mask & (1 << b) == 0 { active[v] = false }
            let restricted = adjacency.enumerated().map { v, nbs in active[v] ? nbs.filter { active[Int($0)] } : [] }
            var m = MaximumMatching(adjacency: restricted)
            let matched = m.solve()
            if fallback.isEmpty { fallback = m.mate }
            if matched == active.filter({ $0 }).count { return m.mate }
        }
        return fallback
    }
}
