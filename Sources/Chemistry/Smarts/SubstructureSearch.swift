/// The backtracking search behind every `SmartsPattern` match: query atoms are placed in the pattern's DFS order,
/// each one among the unused neighbours of its already placed parent (or among all atoms for the first atom of a
/// dot-separated part), checking the connecting bond, the atom query and the ring-closure bonds back to earlier
/// atoms. State lives in stack-allocated buffers; nothing is allocated per candidate.
extension SmartsProgram {
    /// `search` on a target (its arrays pinned for the duration; the search itself runs on raw memory).
    func search(_ target: SubstructureTarget, rootedAt root: Int?, _ body: (UnsafeBufferPointer<Int32>) -> Bool) {
        target.withView { search($0, rootedAt: root, body) }
    }

    func hasMatch(_ target: SubstructureTarget) -> Bool { target.withView { hasMatch($0) } }

    func hasMatch(_ target: SubstructureTarget, rootedAt a: Int) -> Bool { target.withView { hasMatch($0, rootedAt: a) } }

    func rootedMatchMask(_ target: SubstructureTarget) -> [Bool] { target.withView { rootedMatchMask($0) } }

    /// Runs the search; `body` gets each complete mapping (indexed by query atom) and returns `false` to stop.
    func search(_ t: TargetView, rootedAt root: Int?, _ body: (UnsafeBufferPointer<Int32>) -> Bool) {
        guard atomCount > 0, t.atomCount > 0, atomCount <= t.atomCount else { return }
        for m in requiredElements where m.0 & t.elementMask.0 == 0 && m.1 & t.elementMask.1 == 0 { return }
        if let root {
            if rootAtomicNumber >= 0 && Int(t.atoms[root].atomicNumber) != rootAtomicNumber { return }
            if recursive.isEmpty {
                // Cheap rejection (and the whole answer for one-atom patterns) before any set-up.
                var unused: UInt8 = 0
                guard atomPasses(0, root, t, &unused) else { return }
                if atomCount == 1 {
                    _ = Self.report(root, body)
                    return
                }
            }
        }
        withRecursionMemo(t) { memo in search(t, rootedAt: root, memo: memo, body) }
    }

    /// Calls `body` with a zeroed memo for this pattern's recursive sub-patterns on `t` (one byte per
    /// (sub-pattern, atom): 0 unknown, 1 no, 2 yes), valid during the call.
    func withRecursionMemo<R>(_ t: TargetView, _ body: (UnsafeMutablePointer<UInt8>) -> R) -> R {
        let size = max(recursive.count * t.atomCount, 1)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size) { memo in
            memo.initialize(repeating: 0)
            return body(memo.baseAddress!)
        }
    }

    /// The search with a caller-provided recursion memo (shared across several searches on the same target).
    func search(_ t: TargetView, rootedAt root: Int?, memo: UnsafeMutablePointer<UInt8>,
                _ body: (UnsafeBufferPointer<Int32>) -> Bool) {
        let n = atomCount
        guard n > 0, t.atomCount > 0, n <= t.atomCount else { return }
        if let root, rootAtomicNumber >= 0, Int(t.atoms[root].atomicNumber) != rootAtomicNumber { return }
        if n == 1 {
            // One-atom patterns: the atom query is the whole search.
            if let root {
                guard atomPasses(0, root, t, memo) else { return }
                _ = Self.report(root, body)
                return
            }
            for a in 0 ..< t.atomCount where atomPasses(0, a, t, memo) {
                if !Self.report(a, body) { return }
            }
            return
        }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * n) { state in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: t.atomCount) { used in
                used.initialize(repeating: false)
                state.initialize(repeating: -1)
                let mapping = UnsafeMutableBufferPointer(rebasing: state[0 ..< n])
                let cursor = UnsafeMutableBufferPointer(rebasing: state[n ..< 2 * n])
                run(root == nil ? freePlan : rootedPlan, t, root, memo, mapping, cursor, used, body)
            }
        }
    }

    /// Whether the pattern occurs in `t`.
    func hasMatch(_ t: TargetView) -> Bool {
        var found = false
        search(t, rootedAt: nil) { _ in found = true; return false }
        return found
    }

    /// Whether some match maps query atom 0 onto atom `a`.
    func hasMatch(_ t: TargetView, rootedAt a: Int) -> Bool {
        var found = false
        search(t, rootedAt: a) { _ in found = true; return false }
        return found
    }

    /// Hands a one-atom match to `body`.
    @inline(__always)
    static func report(_ atom: Int, _ body: (UnsafeBufferPointer<Int32>) -> Bool) -> Bool {
        var mapping = Int32(atom)
        return withUnsafePointer(to: &mapping) { body(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// For every atom of `t`: is there a match with query atom 0 on it? (One recursion memo for all atoms.)
    func rootedMatchMask(_ t: TargetView) -> [Bool] {
        var mask = [Bool](repeating: false, count: t.atomCount)
        withRecursionMemo(t) { memo in
            for a in 0 ..< t.atomCount {
                search(t, rootedAt: a, memo: memo) { _ in mask[a] = true; return false }
            }
        }
        return mask
    }

    @inline(__always)
    private func run(_ plan: Plan, _ t: TargetView, _ root: Int?, _ memo: UnsafeMutablePointer<UInt8>,
                     _ mapping: UnsafeMutableBufferPointer<Int32>, _ cursor: UnsafeMutableBufferPointer<Int32>,
                     _ used: UnsafeMutableBufferPointer<Bool>, _ body: (UnsafeBufferPointer<Int32>) -> Bool) {
        let n = atomCount
        var d = 0
        cursor[0] = 0
        while true {
            let q = Int(plan.order[d])
            let parent = Int(plan.parentAtom[d])
            var found = -1
            if parent < 0 {
                if d == 0, let root {
                    if cursor[0] == 0 && !used[root] && atomPasses(q, root, t, memo)
                        && closuresMatch(plan, d, root, t, mapping) {
                        found = root
                    }
                    cursor[0] = 1
                } else {
                    var c = Int(cursor[d])
                    while c < t.atomCount {
                        if !used[c] && atomPasses(q, c, t, memo) && closuresMatch(plan, d, c, t, mapping) {
                            found = c
                            break
                        }
                        c += 1
                    }
                    cursor[d] = Int32(c + 1)
                }
            } else {
                let from = Int(mapping[parent])
                let lo = Int(t.adjacencyStart[from]), hi = Int(t.adjacencyStart[from + 1])
                var k = lo + Int(cursor[d])
                let bondRoot = Int(bondRoots[Int(plan.parentBond[d])])
                while k < hi {
                    let nb = t.adjacency[k]
                    let c = Int(nb.atom)
                    if !used[c] && bondMatches(bondRoot, Int(nb.bond), t) && atomPasses(q, c, t, memo)
                        && closuresMatch(plan, d, c, t, mapping) {
                        found = c
                        break
                    }
                    k += 1
                }
                cursor[d] = Int32(k - lo + 1)
            }
            if found >= 0 {
                mapping[q] = Int32(found)
                if d == n - 1 {
                    if !body(UnsafeBufferPointer(mapping)) { return }
                    mapping[q] = -1
                    continue  // next candidate for the last position
                }
                used[found] = true
                d += 1
                cursor[d] = 0
            } else {
                if d == 0 { return }
                d -= 1
                let back = Int(plan.order[d])
                used[Int(mapping[back])] = false
                mapping[back] = -1
            }
        }
    }

    @inline(__always)
    private func closuresMatch(_ plan: Plan, _ d: Int, _ atom: Int, _ t: TargetView,
                               _ mapping: UnsafeMutableBufferPointer<Int32>) -> Bool {
        var k = Int(plan.closureStart[d])
        let end = Int(plan.closureStart[d + 1])
        while k < end {
            let c = plan.closures[k]
            let b = t.bond(between: atom, Int(mapping[Int(c.atom)]))
            if b < 0 || !bondMatches(Int(bondRoots[Int(c.bond)]), b, t) { return false }
            k += 1
        }
        return true
    }

    /// Does query atom `q` match target atom `a`? (Element filter first, then the query tree.)
    @inline(__always)
    func atomPasses(_ q: Int, _ a: Int, _ t: TargetView, _ memo: UnsafeMutablePointer<UInt8>) -> Bool {
        let p = t.atoms[a]
        guard atomFilters[q].contains(p.atomicNumber, aromatic: p.isAromatic) else { return false }
        return atomMatches(Int(atomRoots[q]), a, t, memo)
    }

    /// Evaluates atom query node `node` on target atom `a`.
    func atomMatches(_ node: Int, _ a: Int, _ t: TargetView, _ memo: UnsafeMutablePointer<UInt8>) -> Bool {
        let q = atomNodes[node]
        let p = t.atoms[a]
        switch q.kind {
        case QueryLogic.and: return atomMatches(Int(q.left), a, t, memo) && atomMatches(Int(q.right), a, t, memo)
        case QueryLogic.or: return atomMatches(Int(q.left), a, t, memo) || atomMatches(Int(q.right), a, t, memo)
        case QueryLogic.not: return !atomMatches(Int(q.left), a, t, memo)
        case QueryLogic.always: return true
        case AtomPrimitive.atomicNumber: return Int32(p.atomicNumber) == q.value
        case AtomPrimitive.atomType: return Int32(p.atomicNumber) + (p.isAromatic ? 1000 : 0) == q.value
        case AtomPrimitive.aromatic: return p.isAromatic
        case AtomPrimitive.aliphatic: return !p.isAromatic
        case AtomPrimitive.totalHydrogens: return Int32(p.totalHydrogens) == q.value
        case AtomPrimitive.hydrogensNotInGraph: return Int32(p.hydrogensNotInGraph) == q.value
        case AtomPrimitive.hasHydrogensNotInGraph: return p.hydrogensNotInGraph > 0
        case AtomPrimitive.degree: return Int32(p.degree) == q.value
        case AtomPrimitive.totalDegree: return Int32(p.totalDegree) == q.value
        case AtomPrimitive.totalValence: return Int32(p.totalValence) == q.value
        case AtomPrimitive.ringCount: return Int32(p.ringCount) == q.value
        case AtomPrimitive.inRing: return (p.ringBondCount > 0) == (q.value != 0)
        case AtomPrimitive.smallestRing: return Int32(p.smallestRing) == q.value
        case AtomPrimitive.ringBondCount: return Int32(p.ringBondCount) == q.value
        case AtomPrimitive.charge: return Int32(p.formalCharge) == q.value
        case AtomPrimitive.isotope: return Int32(p.isotope) == q.value
        case AtomPrimitive.elementSet: return elementSets[Int(q.value)].contains(p.atomicNumber, aromatic: p.isAromatic)
        case AtomPrimitive.recursive:
            let slot = Int(q.value) * t.atomCount + a
            if memo[slot] != 0 { return memo[slot] == 2 }
            let result = recursive[Int(q.value)].hasMatch(t, rootedAt: a)
            memo[slot] = result ? 2 : 1
            return result
        default: return false
        }
    }

    /// Evaluates bond query node `node` on target bond `b`.
    func bondMatches(_ node: Int, _ b: Int, _ t: TargetView) -> Bool {
        let q = bondNodes[node]
        let p = t.bonds[b]
        switch q.kind {
        case QueryLogic.and: return bondMatches(Int(q.left), b, t) && bondMatches(Int(q.right), b, t)
        case QueryLogic.or: return bondMatches(Int(q.left), b, t) || bondMatches(Int(q.right), b, t)
        case QueryLogic.not: return !bondMatches(Int(q.left), b, t)
        case QueryLogic.always, BondPrimitive.any: return true
        case BondPrimitive.order: return Int32(p.order.rawValue) == q.value
        case BondPrimitive.singleOrAromatic: return p.order == .single || p.order == .aromatic
        case BondPrimitive.aromaticFlag: return p.isAromatic || p.order == .aromatic
        case BondPrimitive.inRing: return p.inRing
        default: return false
        }
    }
}
