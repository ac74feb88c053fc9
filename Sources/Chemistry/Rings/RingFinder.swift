/// Ring perception: bridges (ring bonds), the cyclomatic number, and the relevant cycles (RDKit 2026.09 RingInfo).
///
/// Relevant cycles are found per ring system (connected component of ring bonds): all simple cycles of length
/// ℓ = 3, 4, … are enumerated (depth-first, each cycle once, pruned by BFS distance back to its smallest atom);
/// a cycle is relevant if its bond set is independent (over GF(2)) of all strictly shorter cycles. Enumeration
/// stops after the length at which the cycles span the whole cycle space. A safety cap on search steps guards
/// against pathological cages; past it the remaining cycle space is filled with fundamental cycles and
/// `RingInfo.truncated` is set (never reached on the golden sets).
enum RingFinder {
    static let stepBudget = 2_000_000

    static func perceive(_ mol: Molecule) -> RingInfo {
        var info = RingInfo()
        let n = mol.atomCount, m = mol.bondCount
        info.atomRingCount = [UInt8](repeating: 0, count: n)
        info.bondRingCount = [UInt8](repeating: 0, count: m)
        info.isRingBond = findRingBonds(mol)
        info.cyclomaticNumber = mol.bonds.filter(countsForRings).count - n + componentCount(mol)
        guard info.cyclomaticNumber > 0 else { return info }

        // Ring systems: connected components over ring bonds.
        var system = [Int32](repeating: -1, count: n)
        var systems: [[Int32]] = []
        for s in 0 ..< n where system[s] < 0 {
            var hasRingBond = false
            for nb in mol.neighbors(of: s) where info.isRingBond[Int(nb.bond)] { hasRingBond = true; break }
            guard hasRingBond else { continue }
            let id = Int32(systems.count)
            var members: [Int32] = [Int32(s)]
            system[s] = id
            var k = 0
            while k < members.count {
                let v = Int(members[k]); k += 1
                for nb in mol.neighbors(of: v) where info.isRingBond[Int(nb.bond)] && system[Int(nb.atom)] < 0 {
                    system[Int(nb.atom)] = id
                    members.append(nb.atom)
                }
            }
            systems.append(members)
        }
        var found: [(atoms: [Int32], bonds: [Int32])] = []
        var budget = stepBudget
        var scratch = Scratch(atoms: n, bonds: m)
        for members in systems {
            if !relevantCycles(mol, members: members, isRingBond: info.isRingBond, budget: &budget, scratch: &scratch,
                               into: &found) {
                info.truncated = true
            }
        }
        // Stable sort by size.
        let order = found.indices.sorted { (found[$0].atoms.count, $0) < (found[$1].atoms.count, $1) }
        for i in order {
            info.atomRings.append(found[i].atoms)
            info.bondRings.append(found[i].bonds)
            for a in found[i].atoms { info.atomRingCount[Int(a)] &+= 1 }
            for b in found[i].bonds { info.bondRingCount[Int(b)] &+= 1 }
        }
        return info
    }

    /// Zero-order and dative bonds are not ring bonds (RDKit's ring finding skips them).
    @inline(__always) static func countsForRings(_ b: Bond) -> Bool { b.order != .zero && b.order != .dative }

    /// Number of connected components over ring-capable bonds (isolated atoms count).
    static func componentCount(_ mol: Molecule) -> Int {
        let n = mol.atomCount
        var seen = [Bool](repeating: false, count: n)
        var stack: [Int32] = []
        var count = 0
        for s in 0 ..< n where !seen[s] {
            count += 1
            seen[s] = true
            stack.append(Int32(s))
            while let v = stack.popLast() {
                for nb in mol.neighbors(of: Int(v)) where !seen[Int(nb.atom)] && countsForRings(mol.bonds[Int(nb.bond)]) {
                    seen[Int(nb.atom)] = true
                    stack.append(nb.atom)
                }
            }
        }
        return count
    }

    /// Bonds that lie on a cycle (Tarjan's bridge finding, iterative).
    static func findRingBonds(_ mol: Molecule) -> [Bool] {
        let n = mol.atomCount
        var isRing = [Bool](repeating: true, count: mol.bondCount)
        for k in 0 ..< mol.bondCount where !countsForRings(mol.bonds[k]) { isRing[k] = false }
        var disc = [Int32](repeating: -1, count: n)
        var low = [Int32](repeating: 0, count: n)
        var time: Int32 = 0
        // Stack frames: (atom, parent bond, next neighbour offset)
        var stack: [(v: Int32, parentBond: Int32, next: Int32)] = []
        for s in 0 ..< n where disc[s] < 0 {
            disc[s] = time; low[s] = time; time += 1
            stack.append((Int32(s), -1, mol.adjacencyStart[s]))
            while !stack.isEmpty {
                let top = stack.count - 1
                let v = Int(stack[top].v)
                let end = mol.adjacencyStart[v + 1]
                if stack[top].next < end {
                    let nb = mol.adjacency[Int(stack[top].next)]
                    stack[top].next += 1
                    if nb.bond == stack[top].parentBond || !countsForRings(mol.bonds[Int(nb.bond)]) { continue }
                    let w = Int(nb.atom)
                    if disc[w] < 0 {
                        disc[w] = time; low[w] = time; time += 1
                        stack.append((nb.atom, nb.bond, mol.adjacencyStart[w]))
                    } else {
                        low[v] = min(low[v], disc[w])
                    }
                } else {
                    let pb = stack[top].parentBond
                    stack.removeLast()
                    if let parent = stack.last {
                        let p = Int(parent.v)
                        low[p] = min(low[p], low[v])
                        if low[v] > disc[p] { isRing[Int(pb)] = false }
                    }
                }
            }
        }
        return isRing
    }

    /// Appends the relevant cycles of one ring system to `found`; false if the step budget ran out.
    /// Global-index → local-index maps reused across ring systems (reset after each use).
    struct Scratch {
        var toLocal: [Int32]
        var edgeIndex: [Int32]
        init(atoms: Int, bonds: Int) {
            toLocal = [Int32](repeating: -1, count: atoms)
            edgeIndex = [Int32](repeating: -1, count: bonds)
        }
    }

    static func relevantCycles(_ mol: Molecule, members: [Int32], isRingBond: [Bool], budget: inout Int,
                               scratch: inout Scratch, into found: inout [(atoms: [Int32], bonds: [Int32])]) -> Bool {
        let v = members.count
        // Local indexing: atoms sorted so that cycles are enumerated from their smallest local index.
        let local = members.sorted()
        for (i, a) in local.enumerated() { scratch.toLocal[Int(a)] = Int32(i) }
        var edges: [Int32] = []
        defer {
            for a in local { scratch.toLocal[Int(a)] = -1 }
            for b in edges { scratch.edgeIndex[Int(b)] = -1 }
        }
        var adjStart = [Int32](repeating: 0, count: v + 1)
        var adj: [(w: Int32, e: Int32)] = []
        for (i, a) in local.enumerated() {
            for nb in mol.neighbors(of: Int(a)) where isRingBond[Int(nb.bond)] {
                let w = scratch.toLocal[Int(nb.atom)]
                guard w >= 0 else { continue }
                var e = scratch.edgeIndex[Int(nb.bond)]
                if e < 0 { e = Int32(edges.count); scratch.edgeIndex[Int(nb.bond)] = e; edges.append(nb.bond) }
                adj.append((w, e))
            }
            adjStart[i + 1] = Int32(adj.count)
        }
        let e = edges.count
        let rank = e - v + 1
        if rank == 1 {  // a single simple cycle: walk it
            var atoms: [Int32] = [0]
            var bondsOut: [Int32] = []
            var prevEdge: Int32 = -1
            var cur: Int32 = 0
            repeat {
                var next: (w: Int32, e: Int32) = (-1, -1)
                for k in Int(adjStart[Int(cur)]) ..< Int(adjStart[Int(cur) + 1]) where adj[k].e != prevEdge {
                    next = adj[k]; break
                }
                bondsOut.append(edges[Int(next.e)])
                prevEdge = next.e
                cur = next.w
                if cur != 0 { atoms.append(cur) }
            } while cur != 0
            found.append((atoms.map { local[Int($0)] }, bondsOut))
            return true
        }
        let words = (e + 63) / 64
        var basis = GF2Basis(words: words)
        var dist = [UInt16](repeating: .max, count: v)
        var onPath = [Bool](repeating: false, count: v)
        var path: [Int32] = []
        var pathEdges: [Int32] = []
        var queue: [Int32] = []
        var iter: [Int32] = []
        var ok = true
        var systemFound: [(atoms: [Int32], bonds: [Int32])] = []
        // Enumerate all cycles up to `limit` atoms at once; if they do not span the cycle space, double the limit.
        var limit = min(8, v)
        while true {
            basis = GF2Basis(words: words)
            systemFound.removeAll()
            var cycles: [(atoms: [Int32], edges: [Int32], bits: [UInt64])] = []
            for s in 0 ..< v {
                for i in s ..< v { dist[i] = .max }
                dist[s] = 0
                queue.removeAll(keepingCapacity: true)
                queue.append(Int32(s))
                var qi = 0
                while qi < queue.count {
                    let x = Int(queue[qi]); qi += 1
                    for k in Int(adjStart[x]) ..< Int(adjStart[x + 1]) {
                        let w = Int(adj[k].w)
                        if w >= s && dist[w] == .max { dist[w] = dist[x] + 1; queue.append(Int32(w)) }
                    }
                }
                path.removeAll(keepingCapacity: true); path.append(Int32(s))
                pathEdges.removeAll(keepingCapacity: true)
                iter.removeAll(keepingCapacity: true); iter.append(adjStart[s])
                onPath[s] = true
                while !iter.isEmpty {
                    budget -= 1
                    if budget < 0 { ok = false; break }
                    let depth = path.count - 1
                    let x = Int(path[depth])
                    let k = Int(iter[depth])
                    if k >= Int(adjStart[x + 1]) {
                        iter.removeLast()
                        onPath[x] = false
                        path.removeLast()
                        if !pathEdges.isEmpty { pathEdges.removeLast() }
                        continue
                    }
                    iter[depth] += 1
                    let w = Int(adj[k].w), edge = adj[k].e
                    if w == s {
                        if path.count >= 3 && path[1] < path[depth] {
                            var bits = [UInt64](repeating: 0, count: words)
                            var es = pathEdges; es.append(edge)
                            for q in es { bits[Int(q) >> 6] |= 1 << UInt64(q & 63) }
                            cycles.append((path, es, bits))
                        }
                        continue
                    }
                    if w < s || onPath[w] || path.count >= limit { continue }
                    if Int(dist[w]) > limit - path.count { continue }
                    onPath[w] = true
                    path.append(Int32(w)); pathEdges.append(edge); iter.append(adjStart[w])
                }
                for p in path { onPath[Int(p)] = false }
                if !ok { break }
            }
            if !ok { break }
            // Relevant = independent of all strictly shorter cycles; lengths in increasing order.
            cycles.sort { $0.atoms.count < $1.atoms.count }
            var g = 0
            while g < cycles.count && basis.rank < rank {
                var h = g
                while h < cycles.count && cycles[h].atoms.count == cycles[g].atoms.count { h += 1 }
                for c in cycles[g ..< h] where !basis.reduces(c.bits) {
                    systemFound.append((c.atoms.map { local[Int($0)] }, c.edges.map { edges[Int($0)] }))
                }
                for c in cycles[g ..< h] { basis.insert(c.bits) }
                g = h
            }
            if basis.rank >= rank || limit >= v { break }
            limit = min(2 * limit, v)
        }
        found += systemFound
        if !ok {
            // Fallback: complete the cycle space with fundamental cycles of a BFS spanning tree.
            fillFundamentalCycles(adjStart: adjStart, adj: adj, v: v, edges: edges, local: local, words: words,
                                  basis: &basis, rank: rank, into: &found)
        }
        return ok
    }

    static func fillFundamentalCycles(adjStart: [Int32], adj: [(w: Int32, e: Int32)], v: Int, edges: [Int32],
                                      local: [Int32], words: Int, basis: inout GF2Basis, rank: Int,
                                      into found: inout [(atoms: [Int32], bonds: [Int32])]) {
        var parent = [Int32](repeating: -1, count: v), parentEdge = [Int32](repeating: -1, count: v)
        var depth = [Int](repeating: -1, count: v)
        depth[0] = 0
        var queue: [Int32] = [0]
        var qi = 0
        var treeEdge = [Bool](repeating: false, count: edges.count)
        while qi < queue.count {
            let x = Int(queue[qi]); qi += 1
            for k in Int(adjStart[x]) ..< Int(adjStart[x + 1]) where depth[Int(adj[k].w)] < 0 {
                let w = Int(adj[k].w)
                depth[w] = depth[x] + 1; parent[w] = Int32(x); parentEdge[w] = adj[k].e; treeEdge[Int(adj[k].e)] = true
                queue.append(Int32(w))
            }
        }
        for x in 0 ..< v where basis.rank < rank {
            for k in Int(adjStart[x]) ..< Int(adjStart[x + 1]) where !treeEdge[Int(adj[k].e)] && Int(adj[k].w) > x {
                var a = x, b = Int(adj[k].w)
                var left: [Int32] = [Int32(a)], right: [Int32] = [Int32(b)]
                var es: [Int32] = [adj[k].e]
                while a != b {
                    if depth[a] >= depth[b] { es.append(parentEdge[a]); a = Int(parent[a]); left.append(Int32(a)) } else {
                        es.append(parentEdge[b]); b = Int(parent[b]); right.append(Int32(b))
                    }
                }
                right.removeLast()
                let atoms = left + right.reversed()
                var bits = [UInt64](repeating: 0, count: words)
                for q in es { bits[Int(q) >> 6] ^= 1 << UInt64(q & 63) }
                if !basis.reduces(bits) {
                    basis.insert(bits)
                    // Bond order along the cyclic atom order.
                    var bondsOut: [Int32] = []
                    for i in 0 ..< atoms.count {
                        let p = Int(atoms[i]), q = atoms[(i + 1) % atoms.count]
                        for kk in Int(adjStart[p]) ..< Int(adjStart[p + 1]) where adj[kk].w == q {
                            bondsOut.append(edges[Int(adj[kk].e)]); break
                        }
                    }
                    found.append((atoms.map { local[Int($0)] }, bondsOut))
                }
            }
        }
    }
}

/// Row-echelon basis of bit vectors over GF(2).
struct GF2Basis {
    let words: Int
    var rows: [[UInt64]] = []
    var pivots: [Int] = []  // pivot bit of each row (highest set bit)
    var rank: Int { rows.count }

    init(words: Int) { self.words = words }

    /// Reduces `v` by the basis; returns the remainder.
    func reduce(_ v: [UInt64]) -> [UInt64] {
        var v = v
        var changed = true
        while changed {
            changed = false
            guard let p = Self.highestBit(v) else { return v }
            if let r = pivots.firstIndex(of: p) {
                for w in 0 ..< words { v[w] ^= rows[r][w] }
                changed = true
            }
        }
        return v
    }

    /// True if `v` lies in the span (reduces to zero).
    func reduces(_ v: [UInt64]) -> Bool { Self.highestBit(reduce(v)) == nil }

    mutating func insert(_ v: [UInt64]) {
        let r = reduce(v)
        if let p = Self.highestBit(r) { rows.append(r); pivots.append(p) }
    }

    static func highestBit(_ v: [UInt64]) -> Int? {
        for w in stride(from: v.count - 1, through: 0, by: -1) where v[w] != 0 {
            return w * 64 + 63 - v[w].leadingZeroBitCount
        }
        return nil
    }
}
