/// Possible tetrahedral stereocentres as RDKit's legacy perception reports them — what
/// `Chem.FindMolChiralCenters(mol, includeUnassigned=True)` returns (assigned centres plus atoms flagged
/// `_ChiralityPossible`), the count the SA score penalises.
///
/// RDKit 2026.09 (`Chirality.cpp`, legacy mode, the default):
/// 1. CIP-like ranks: refinement from (Z, isotope, atom map) where each round adds the multiset of neighbour
///    ranks, each neighbour repeated twice its bond order (aromatic 3; a double bond to a 3/4-connected P once),
///    and one "0" per hydrogen; at most `n/2 + 1` rounds, stopping when the number of classes stops growing.
/// 2. An atom is a possible centre when it is a legal centre (`isAtomPotentialChiralCenter`: ≤ 4 connections
///    counting H; 4 neighbours; or 3 with one H (not an H atom); or 3-connected P/As, S/Se with valence 4 (3 if
///    cationic), sp3 N without conjugated bonds in a 3-ring or at a bridgehead) and its neighbours have pairwise
///    different ranks.
/// 3. Atoms with a chiral tag that qualify get an R/S label; the labels refine the ranks and step 2 repeats
///    while labels are added (this finds pseudo-asymmetric centres).
/// Ranks are only compared for equality here, so classes are kept as 64-bit hashes; R/S is replaced by a
/// handedness relative to the class order, which splits classes exactly as R/S does.
/// Not modelled: double-bond E/Z labels feeding back into the ranks (rare; listed with the residuals).
public enum StereoCenters {
    /// Atoms reported by `FindMolChiralCenters(includeUnassigned=True)`, ascending, however long it takes
    /// (refinement is O(atoms × rounds): about a second for a 20,000-atom chain, hours for 2,000,000).
    public static func possibleCenters(_ molecule: Molecule) -> [Int] {
        var work = 0
        return possibleCenters(molecule, work: &work, workLimit: .max) ?? []  // never nil without a limit
    }

    /// The same, or an error when refinement would take more than `workLimit` atom visits (untrusted input).
    /// - Throws: `MoleculeError` (`.limit`).
    public static func possibleCenters(_ molecule: Molecule, workLimit: Int) throws(MoleculeError) -> [Int] {
        var work = 0
        guard let centers = possibleCenters(molecule, work: &work, workLimit: workLimit) else {
            throw MoleculeError(.limit, "finding the stereocentres of the \(molecule.atomCount) atoms takes more than "
                                + "\(workLimit) refinement steps (a very long chain or very many identical fragments)")
        }
        return centers
    }

    static func possibleCenters(_ molecule: Molecule, work: inout Int, workLimit: Int) -> [Int]? {
        let n = molecule.atomCount
        guard n > 0 else { return [] }
        let seed = (0 ..< n).map { cipInvariant(molecule, $0) }
        guard var classes = refine(molecule, seed, work: &work, workLimit: workLimit) else { return nil }
        var assigned = [Bool](repeating: false, count: n)
        var flagged = [Bool](repeating: false, count: n)
        var label = [UInt64](repeating: 0, count: n)
        let conjugated = Conjugation.conjugatedBonds(molecule)
        while true {
            var changed = false
            var unassignedLegal = 0
            for i in 0 ..< n where !assigned[i] {
                let (legal, dupes) = potentialCenter(molecule, i, classes, conjugated)
                guard legal else { continue }
                unassignedLegal += 1
                guard !dupes else { continue }
                flagged[i] = true
                let tag = molecule.atoms[i].chirality
                if tag == .clockwise || tag == .anticlockwise {
                    assigned[i] = true
                    label[i] = StereoCleanup.handedness(molecule, i, classes) ? 2 : 1
                    unassignedLegal -= 1
                    changed = true
                }
            }
            guard changed && unassignedLegal > 0 else { break }
            guard let refined = refine(molecule, (0 ..< n).map { CanonicalRanking.mix(classes[$0], label[$0]) },
                                       work: &work, workLimit: workLimit) else { return nil }
            classes = refined
        }
        return (0 ..< n).filter { flagged[$0] }
    }

    /// Initial CIP invariant: atomic number, isotope (as a deviation from the most common one) and atom map.
    static func cipInvariant(_ m: Molecule, _ i: Int) -> UInt64 {
        let a = m.atoms[i]
        var v = UInt64(a.atomicNumber)
        v = v << 16 | UInt64(a.isotope)
        v = v << 16 | UInt64(a.atomClass)
        return CanonicalRanking.mix(0, v)
    }

    /// Twice the bond order, as RDKit's `getTwiceBondType` (aromatic 3).
    @inline(__always) static func twiceOrder(_ order: BondOrder) -> UInt64 {
        switch order {
        case .zero: return 0
        case .single, .dative: return 2
        case .double: return 4
        case .triple: return 6
        case .quadruple: return 8
        case .aromatic: return 3
        }
    }

    /// Rank refinement (`iterateCIPRanks`) from `seed`, returning class hashes; nil once more than `workLimit`
    /// atoms have been visited in all (counted in `work` across calls).
    static func refine(_ m: Molecule, _ seed: [UInt64], work: inout Int, workLimit: Int) -> [UInt64]? {
        let n = m.atomCount
        var classes = seed
        var count = Set(classes).count
        var last = -1
        var rounds = 0
        let maxRounds = n / 2 + 1
        var entry: [(UInt64, UInt64)] = []
        var next = classes
        while count < n && rounds < maxRounds && (last < 0 || last < count) {
            work += n
            if work > workLimit { return nil }
            for i in 0 ..< n {
                entry.removeAll(keepingCapacity: true)
                for nb in m.neighbors(of: i) {
                    let bond = m.bonds[Int(nb.bond)]
                    let other = m.atoms[Int(nb.atom)]
                    var weight = twiceOrder(bond.order)
                    if bond.order == .double && other.atomicNumber == 15 {
                        let d = m.degree(of: Int(nb.atom))
                        if d == 3 || d == 4 { weight = 1 }
                    }
                    entry.append((classes[Int(nb.atom)], weight))
                }
                entry.sort { $0.0 < $1.0 }
                var h = CanonicalRanking.mix(classes[i], UInt64(m.atoms[i].totalHydrogens))
                var k = 0
                while k < entry.count {
                    var weight = entry[k].1
                    var j = k + 1
                    while j < entry.count && entry[j].0 == entry[k].0 { weight += entry[j].1; j += 1 }
                    h = CanonicalRanking.mix(CanonicalRanking.mix(h, entry[k].0), weight)
                    k = j
                }
                next[i] = h
            }
            swap(&classes, &next)
            last = count
            count = Set(classes).count
            rounds += 1
        }
        return classes
    }

    /// Does the bond count for the atom's chirality (RDKit `bondAffectsAtomChirality`)?
    @inline(__always) static func affectsChirality(_ bond: Bond, _ atom: Int) -> Bool {
        !(bond.order == .zero || (bond.order == .dative && Int(bond.begin) == atom))
    }

    /// RDKit `isAtomPotentialChiralCenter` (2026.09): (legal centre, neighbours with equal ranks).
    static func potentialCenter(_ m: Molecule, _ i: Int, _ classes: [UInt64], _ conjugated: [Bool]) -> (legal: Bool, dupes: Bool) {
        let a = m.atoms[i]
        var nz = 0
        for nb in m.neighbors(of: i) where affectsChirality(m.bonds[Int(nb.bond)], i) { nz += 1 }
        let hs = a.totalHydrogens
        let z = Int(a.atomicNumber)
        var legal = true
        if nz + hs > 4 || nz + hs < 3 {
            legal = false
        } else if nz < 3 && z != 15 && z != 33 {
            legal = false
        } else if nz == 3 {
            if hs == 1 {
                if m.neighbors(of: i).contains(where: { m.atoms[Int($0.atom)].atomicNumber == 1 && m.atoms[Int($0.atom)].isotope == 0 }) {
                    legal = false
                }
            } else {
                legal = false
                if z == 7 {
                    legal = StereoCleanup.isSP3(m, i, conjugated)
                        && !m.neighbors(of: i).contains(where: { conjugated[Int($0.bond)] })
                        && (m.rings.isAtom(i, inRingOfSize: 3) || RingTopology.isBridgehead(m, i))
                } else if z == 15 || z == 33 {
                    legal = true
                } else if z == 16 || z == 34 {
                    legal = a.explicitValence == 4 || (a.explicitValence == 3 && a.formalCharge == 1)
                }
            }
        }
        guard legal else { return (false, false) }
        var seen: [UInt64] = []
        for nb in m.neighbors(of: i) where affectsChirality(m.bonds[Int(nb.bond)], i) {
            let c = classes[Int(nb.atom)]
            if seen.contains(c) { return (true, true) }
            seen.append(c)
        }
        return (true, false)
    }
}
