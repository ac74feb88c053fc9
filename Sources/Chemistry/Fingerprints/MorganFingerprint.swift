/// Morgan (circular, ECFP-like) fingerprint with RDKit's invariants and hashing, as
/// `rdFingerprintGenerator.GetMorganGenerator(radius:)` computes it (no chirality, bond types on, ring membership
/// on, redundant environments removed): the unfolded 32-bit environment ids with their counts (what
/// `GetSparseCountFingerprint` returns, and what SA score looks up), and the folded bit vector (`id mod size`).
///
/// Algorithm (RDKit `MorganGenerator.cpp`, `FingerprintUtil.cpp`, `hash.hpp`):
/// - `combine(seed, v)`: `seed ^= v + 0x9e3779b9 + (seed << 6) + (seed >> 2)` in wrapping UInt32 arithmetic.
/// - atom invariant: fold of `combine` over [Z, total degree, total H (graph H atoms included), charge,
///   Int(mass − average weight)] plus 1 if the atom is in a ring; every atom's invariant is an id (radius 0).
/// - round r: each live atom with neighbours hashes `r`, its invariant and its sorted (bond type, neighbour
///   invariant) pairs; its environment (bond set) grows by its neighbours' environments. An environment equal to
///   one already emitted, or to another of this round with a smaller (id, atom), is dropped and its atom stops
///   growing (its next invariant is then 0 for the neighbours, as are isolated atoms').
public struct MorganFingerprint: Sendable, Equatable {
    /// Environment ids, ascending.
    public let ids: [UInt32]
    /// How often each id occurs (same order as `ids`).
    public let counts: [UInt32]
    public let radius: Int

    /// Fingerprint of `molecule` with environments up to `radius` bonds (2 = ECFP4).
    public init(_ molecule: Molecule, radius: Int = 2) {
        self.radius = radius
        var all = Self.environmentIds(molecule, radius: radius)
        all.sort()
        var ids: [UInt32] = [], counts: [UInt32] = []
        ids.reserveCapacity(all.count)
        counts.reserveCapacity(all.count)
        for id in all {
            if let last = ids.last, last == id { counts[counts.count - 1] += 1 } else { ids.append(id); counts.append(1) }
        }
        self.ids = ids
        self.counts = counts
    }

    /// The folded bit vector (`id mod size` for every id), RDKit's `GetFingerprint` for `fpSize: size`.
    public func bits(size: Int = 2048) -> BitFingerprint {
        var fp = BitFingerprint(size: size)
        for id in ids { fp.set(Int(id % UInt32(size))) }
        return fp
    }

    /// Number of environments (Σ counts).
    public var totalCount: Int { counts.reduce(0) { $0 + Int($1) } }

    // MARK: - Hashing

    @inline(__always) static func combine(_ seed: inout UInt32, _ v: UInt32) {
        seed ^= v &+ 0x9E37_79B9 &+ (seed << 6) &+ (seed >> 2)
    }

    /// RDKit `BondType` enum values used as bond invariants.
    @inline(__always) static func bondInvariant(_ order: BondOrder) -> UInt32 {
        switch order {
        case .zero: return 21
        default: return UInt32(order.rawValue)
        }
    }

    static let atomicWeight: [Double] = PeriodicTable.elements.map { $0.atomicWeight }

    static func atomInvariant(_ m: Molecule, _ i: Int) -> UInt32 {
        let a = m.atoms[i]
        var hNeighbors = 0
        for nb in m.neighbors(of: i) where m.atoms[Int(nb.atom)].atomicNumber == 1 { hNeighbors += 1 }
        let z = Int(a.atomicNumber)
        let deltaMass = Int(MolecularWeight.mass(a) - atomicWeight[z])
        var seed: UInt32 = 0
        combine(&seed, UInt32(z))
        combine(&seed, UInt32(m.degree(of: i) + a.totalHydrogens))
        combine(&seed, UInt32(a.totalHydrogens + hNeighbors))
        combine(&seed, UInt32(bitPattern: Int32(a.formalCharge)))
        combine(&seed, UInt32(bitPattern: Int32(truncatingIfNeeded: deltaMass)))
        if !m.rings.isRingBond.isEmpty && m.neighbors(of: i).contains(where: { m.rings.isRingBond[Int($0.bond)] }) {
            combine(&seed, 1)
        }
        return seed
    }

    /// All environment ids in emission order (duplicates kept).
    static func environmentIds(_ m: Molecule, radius: Int) -> [UInt32] {
        let n = m.atomCount
        var out: [UInt32] = []
        out.reserveCapacity(n * (radius + 1))
        var current = (0 ..< n).map { atomInvariant(m, $0) }
        out += current
        guard radius > 0, n > 0 else { return out }
        let words = max(1, (m.bondCount + 63) / 64)
        var env = [UInt64](repeating: 0, count: n * words)
        var next = env
        var dead = [Bool](repeating: false, count: n)
        var nextInv = [UInt32](repeating: 0, count: n)
        var seen: [UInt64] = []          // bond sets already emitted, `words` words each
        var seenHash: [UInt64] = []
        var batch: [Int] = [], batchHash: [UInt64] = []
        var pairs: [(UInt32, UInt32)] = []
        for layer in 0 ..< radius {
            next = env
            for i in 0 ..< n { nextInv[i] = 0 }
            batch.removeAll(keepingCapacity: true)
            batchHash.removeAll(keepingCapacity: true)
            for i in 0 ..< n where !dead[i] {
                if m.degree(of: i) == 0 { dead[i] = true; continue }
                pairs.removeAll(keepingCapacity: true)
                let base = i * words
                for nb in m.neighbors(of: i) {
                    let j = Int(nb.atom), b = Int(nb.bond)
                    pairs.append((bondInvariant(m.bonds[b].order), current[j]))
                    next[base + (b >> 6)] |= 1 << UInt64(b & 63)
                    for w in 0 ..< words { next[base + w] |= env[j * words + w] }
                }
                pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                var h = UInt32(layer)
                combine(&h, current[i])
                for (bond, inv) in pairs {
                    var p: UInt32 = 0
                    combine(&p, bond)
                    combine(&p, inv)
                    combine(&h, p)
                }
                nextInv[i] = h
                batch.append(i)
                var digest: UInt64 = 0xCBF2_9CE4_8422_2325
                for w in 0 ..< words { digest = (digest ^ next[base + w]) &* 0x100_0000_01B3 }
                batchHash.append(digest)
            }
            // Drop environments seen before, and duplicates within the round (smaller (id, atom) survives).
            var survivors: [Int] = []
            for (k, i) in batch.enumerated() {
                let base = i * words
                var duplicate = false
                for (s, hash) in seenHash.enumerated() where hash == batchHash[k] {
                    if (0 ..< words).allSatisfy({ seen[s * words + $0] == next[base + $0] }) { duplicate = true; break }
                }
                if !duplicate {
                    for (l, j) in batch.enumerated() where l != k && batchHash[l] == batchHash[k] {
                        guard (0 ..< words).allSatisfy({ next[j * words + $0] == next[base + $0] }) else { continue }
                        if nextInv[j] < nextInv[i] || (nextInv[j] == nextInv[i] && j < i) { duplicate = true; break }
                    }
                }
                if duplicate { dead[i] = true } else { survivors.append(k) }
            }
            for k in survivors {
                let i = batch[k]
                out.append(nextInv[i])
                seenHash.append(batchHash[k])
                seen += next[i * words ..< (i + 1) * words]
            }
            swap(&current, &nextInv)
            swap(&env, &next)
        }
        return out
    }
}
