/// Canonical atom ranks: an order of the atoms that depends only on the molecule, not on how it was written.
///
/// 1. Atoms are sorted by an invariant (degree, element, isotope, charge, total H, aromaticity, radicals, ring
///    membership, atom class) and get dense ranks.
/// 2. Refinement (Weininger/Morgan style): each atom's key becomes (rank, sorted (neighbour rank, bond type));
///    re-rank until the number of classes stops growing.
/// 3. Ties left after refinement (symmetry-equivalent atoms) are broken by promoting one atom of the lowest tied
///    class and refining again, until all ranks are distinct.
///
/// Ranks are 0-based and distinct. Stereo is not part of the invariant (the canonical form is non-isomeric).
public enum CanonicalRanking {
    @inline(__always) static func bondCode(_ b: Bond) -> Int32 {
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

    public static func ranks(_ mol: Molecule) -> [Int32] {
        let n = mol.atomCount
        guard n > 0 else { return [] }
        // Initial invariant packed into one Int64 (fields are small).
        var invariant = [Int64](repeating: 0, count: n)
        for i in 0 ..< n {
            let a = mol.atoms[i]
            // Degree first, so that fragments start at a terminal atom.
            var v = Int64(min(mol.degree(of: i), 31))
            v = v << 8 | Int64(a.atomicNumber)
            v = v << 12 | Int64(a.isotope & 0xFFF)
            v = v << 6 | Int64(Int(a.formalCharge) + 32)
            v = v << 4 | Int64(min(a.totalHydrogens, 15))
            v = v << 1 | (a.isAromatic ? 1 : 0)
            v = v << 3 | Int64(min(a.radicalElectrons, 7))
            v = v << 3 | Int64(min(mol.rings.atomRingCount.isEmpty ? 0 : Int(mol.rings.atomRingCount[i]), 7))
            v = v << 16 | Int64(a.atomClass)
            invariant[i] = v
        }
        var order = Array(0 ..< Int32(n))
        order.sort { invariant[Int($0)] < invariant[Int($1)] }
        var ranks = [Int32](repeating: 0, count: n)
        var classes = 1
        for k in 1 ..< n {
            if invariant[Int(order[k])] != invariant[Int(order[k - 1])] { classes += 1 }
            ranks[Int(order[k])] = Int32(classes - 1)
        }
        var keys = [[Int32]](repeating: [], count: n)
        classes = refine(mol, &ranks, &order, &keys, classes: classes)
        while classes < n {
            // Promote the first atom (in current order) of the lowest tied class.
            var k = 0
            while k + 1 < n && ranks[Int(order[k])] != ranks[Int(order[k + 1])] { k += 1 }
            for i in 0 ..< n { ranks[i] = ranks[i] * 2 + 1 }
            ranks[Int(order[k])] -= 1
            classes = refine(mol, &ranks, &order, &keys, classes: classes + 1)
        }
        return ranks
    }

    /// Partition refinement; returns the number of classes (ranks become dense 0..<classes).
    static func refine(_ mol: Molecule, _ ranks: inout [Int32], _ order: inout [Int32], _ keys: inout [[Int32]],
                       classes initial: Int) -> Int {
        let n = mol.atomCount
        var classes = initial
        // Dense re-rank first (tie-breaking leaves gaps).
        order.sort { ranks[Int($0)] < ranks[Int($1)] }
        var dense: Int32 = 0
        var newRanks = ranks
        for k in 0 ..< n {
            if k > 0 && ranks[Int(order[k])] != ranks[Int(order[k - 1])] { dense += 1 }
            newRanks[Int(order[k])] = dense
        }
        ranks = newRanks
        classes = Int(dense) + 1
        while true {
            for i in 0 ..< n {
                var key = keys[i]
                key.removeAll(keepingCapacity: true)
                key.append(ranks[i])
                let start = key.count
                for nb in mol.neighbors(of: i) {
                    key.append(ranks[Int(nb.atom)] << 3 | bondCode(mol.bonds[Int(nb.bond)]))
                }
                key[start...].sort()
                keys[i] = key
            }
            order.sort { a, b in keys[Int(a)].lexicographicallyPrecedes(keys[Int(b)]) }
            var c: Int32 = 0
            for k in 0 ..< n {
                if k > 0 && keys[Int(order[k])] != keys[Int(order[k - 1])] { c += 1 }
                newRanks[Int(order[k])] = c
            }
            ranks = newRanks
            let now = Int(c) + 1
            if now == classes { return now }
            classes = now
        }
    }
}
