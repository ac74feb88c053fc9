/// Canonical atom ranks: an order of the atoms that depends only on the molecule, not on how it was written.
///
/// 1. Each atom gets an invariant (degree, element, isotope, charge, total H, aromaticity, radicals, ring
///    membership, atom class).
/// 2. Refinement (Morgan/Weininger style): an atom's class becomes a 64-bit hash of its class and the sorted
///    (neighbour class, bond type) pairs, repeated until the number of classes stops growing. Hashes only ever
///    split classes; the order is (invariant, final hash), both functions of the graph alone.
/// 3. Ties left after refinement (symmetry-equivalent atoms) are broken by singling out one atom of the first tied
///    class and refining again, until all ranks are distinct.
///
/// Ranks are 0-based and distinct. Stereo is not part of the invariant (the canonical form is non-isomeric).
/// Cost per refinement round is linear in the size of the molecule; the number of rounds is bounded by the
/// graph diameter, so long chains cost O(n²): ~0.1 s for a 2,000-atom chain, ~20 s for 20,000 atoms. Each
/// tie broken costs a few more rounds, so many identical fragments (`C.C.C…`) cost O(n²) too. The variants with
/// a `workLimit` (counted in atom visits: `n` per refinement round and per tie broken) give up instead, so that
/// a pathological input line cannot stall a tool for hours (`defaultWorkLimit`).
public enum CanonicalRanking {
    /// The work the tools allow one molecule's ranking: about a second or two, far above any molecule of the
    /// golden sets (chains of up to ~4,000 atoms and up to ~1,000 identical bond-free fragments stay below it).
    public static let defaultWorkLimit = 20_000_000

    @inline(__always) static func bondCode(_ b: Bond) -> UInt64 {
        switch b.order {
        case .single: return 1
        case .double: return 2
        case .triple: return 3
        case .quadruple: return 4
        case .aromatic: return 5
        case .dative: return 6
        case .zero: return 7
        }
    }

    @inline(__always) static func mix(_ h: UInt64, _ v: UInt64) -> UInt64 {
        var z = h ^ (v &+ 0x9E37_79B9_7F4A_7C15 &+ (h << 6) &+ (h >> 2))
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func invariant(_ mol: Molecule, _ i: Int) -> UInt64 {
        let a = mol.atoms[i]
        var v = UInt64(min(mol.degree(of: i), 31))
        v = v << 8 | UInt64(a.atomicNumber)
        v = v << 14 | UInt64(a.isotope & 0x3FFF)
        v = v << 6 | UInt64(Int(a.formalCharge) + 32)
        v = v << 4 | UInt64(min(a.totalHydrogens, 15))
        v = v << 1 | (a.isAromatic ? 1 : 0)
        v = v << 3 | UInt64(min(a.radicalElectrons, 7))
        v = v << 3 | UInt64(min(mol.rings.atomRingCount.isEmpty ? 0 : Int(mol.rings.atomRingCount[i]), 7))
        v = v << 16 | UInt64(a.atomClass)
        return v
    }

    /// The error for a molecule whose ranking would take more than `workLimit` atom visits.
    static func limitError(_ mol: Molecule, _ workLimit: Int) -> MoleculeError {
        MoleculeError(.limit, "ranking the \(mol.atomCount) atoms takes more than \(workLimit) refinement steps "
                      + "(a very long chain or very many identical fragments)")
    }

    /// Symmetry classes: atoms with equal values are indistinguishable by refinement (no tie-breaking).
    /// - Throws: `MoleculeError` (`.limit`) when refinement takes more than `workLimit` atom visits.
    static func symmetryClasses(_ mol: Molecule, workLimit: Int = .max) throws(MoleculeError) -> [UInt64] {
        let inv = (0 ..< mol.atomCount).map { invariant(mol, $0) }
        var hash = inv.map { mix(0, $0) }
        var work = 0
        guard refine(mol, &hash, classes: Set(hash).count, work: &work, workLimit: workLimit) != nil else {
            throw limitError(mol, workLimit)
        }
        return hash
    }

    /// Canonical ranks, however long they take.
    public static func ranks(_ mol: Molecule) -> [Int32] {
        var work = 0
        return ranks(mol, work: &work, workLimit: .max) ?? []  // never nil without a limit
    }

    /// Canonical ranks (the same as `ranks(_:)`).
    /// - Throws: `MoleculeError` (`.limit`) when they take more than `workLimit` atom visits.
    public static func ranks(_ mol: Molecule, workLimit: Int) throws(MoleculeError) -> [Int32] {
        var work = 0
        guard let ranks = ranks(mol, work: &work, workLimit: workLimit) else { throw limitError(mol, workLimit) }
        return ranks
    }

    static func ranks(_ mol: Molecule, work: inout Int, workLimit: Int) -> [Int32]? {
        let n = mol.atomCount
        guard n > 0 else { return [] }
        let inv = (0 ..< n).map { invariant(mol, $0) }
        var hash = inv.map { mix(0, $0) }
        guard var classes = refine(mol, &hash, classes: Set(hash).count, work: &work, workLimit: workLimit) else {
            return nil
        }
        var order = Array(0 ..< n)
        while true {
            order.sort { (inv[$0], hash[$0]) < (inv[$1], hash[$1]) }
            guard classes < n else { break }
            work += n
            guard work <= workLimit else { return nil }
            // Single out the first atom of the first tied class, then refine again.
            var k = 0
            while hash[order[k]] != hash[order[k + 1]] || inv[order[k]] != inv[order[k + 1]] { k += 1 }
            // The new value must be one no atom has: refinement never changes atoms without bonds, so among
            // identical bond-free fragments (`[Na+].[Na+].[Na+]`) the value of an earlier tie-break recurs, and
            // reusing it would merge two classes instead of splitting one (quadratically many tie-breaks).
            let taken = Set(hash)
            var singled = mix(hash[order[k]], 0xA5A5_A5A5)
            while taken.contains(singled) { singled = mix(singled, 0xA5A5_A5A5) }
            hash[order[k]] = singled
            guard let refined = refine(mol, &hash, classes: classes + 1, work: &work, workLimit: workLimit) else {
                return nil
            }
            classes = refined
        }
        var ranks = [Int32](repeating: 0, count: n)
        for (r, i) in order.enumerated() { ranks[i] = Int32(r) }
        return ranks
    }

    /// Refines `hash` until the number of classes stops growing and returns it, adding `n` to `work` per round;
    /// nil (with `hash` half-refined) once `work` exceeds `workLimit`.
    static func refine(_ mol: Molecule, _ hash: inout [UInt64], classes initial: Int, work: inout Int,
                       workLimit: Int) -> Int? {
        let n = mol.atomCount
        var classes = initial
        var next = hash
        var local: [UInt64] = []
        var seen = Set<UInt64>(minimumCapacity: n)
        // Counting classes costs a hash-set pass; big molecules count every 16 rounds (extra rounds after the
        // partition is stable do not change it).
        let checkEvery = n < 512 ? 1 : 16
        var round = 0
        while true {
            work += n
            if work > workLimit { return nil }
            for i in 0 ..< n {
                local.removeAll(keepingCapacity: true)
                for nb in mol.neighbors(of: i) {
                    local.append(mix(hash[Int(nb.atom)], bondCode(mol.bonds[Int(nb.bond)])))
                }
                local.sort()
                var h = hash[i]
                for x in local { h = mix(h, x) }
                next[i] = h
            }
            swap(&hash, &next)
            round += 1
            if round % checkEvery != 0 { continue }
            seen.removeAll(keepingCapacity: true)
            for h in hash { seen.insert(h) }
            if seen.count <= classes { return seen.count }
            classes = seen.count
        }
    }
}
