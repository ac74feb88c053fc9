/// The compiled, immutable form of a SMARTS pattern that the search runs on: query trees and the search plan in
/// flat buffers owned by one object, so copying a `SmartsPattern` retains one reference and the search reads
/// plain memory (no reference counting per candidate atom).
///
/// Search plans: query atoms in DFS order from a start atom, then from each unvisited atom (dot-separated parts);
/// position d hangs off `parentAtom[d]` via `parentBond[d]` (−1 for the first atom of a part);
/// `closures[closureStart[d] ..< closureStart[d+1]]` are the other bonds from position d back to atoms placed
/// earlier (ring closures). Rooted searches start at query atom 0; unrooted ones at the query atom least likely to
/// match (estimated from the elements it allows), which prunes the search early.
final class SmartsProgram: @unchecked Sendable {
    struct Closure: Sendable {
        var atom: Int32
        var bond: Int32
    }

    /// One traversal order of the query graph, in flat buffers.
    struct Plan: @unchecked Sendable {
        var order: UnsafeMutableBufferPointer<Int32>
        var parentAtom: UnsafeMutableBufferPointer<Int32>
        var parentBond: UnsafeMutableBufferPointer<Int32>
        var closureStart: UnsafeMutableBufferPointer<Int32>
        var closures: UnsafeMutableBufferPointer<Closure>

        init(start: Int, atomCount n: Int, bondAtoms: [(Int32, Int32)]) {
            var incident = [[(atom: Int32, bond: Int32)]](repeating: [], count: n)
            for (k, (a, b)) in bondAtoms.enumerated() {
                incident[Int(a)].append((b, Int32(k)))
                incident[Int(b)].append((a, Int32(k)))
            }
            var position = [Int32](repeating: -1, count: n)
            var order: [Int32] = [], parentAtom: [Int32] = [], parentBond: [Int32] = []
            for first in [start] + Array(0 ..< n) where n > 0 && position[first] < 0 {
                var stack: [(atom: Int32, parent: Int32, bond: Int32)] = [(Int32(first), -1, -1)]
                while let (atom, parent, bond) = stack.popLast() {
                    if position[Int(atom)] >= 0 { continue }
                    position[Int(atom)] = Int32(order.count)
                    order.append(atom)
                    parentAtom.append(parent)
                    parentBond.append(bond)
                    for nb in incident[Int(atom)].reversed() where position[Int(nb.atom)] < 0 {
                        stack.append((nb.atom, atom, nb.bond))
                    }
                }
            }
            var closureStart: [Int32] = [0]
            var closures: [Closure] = []
            for d in 0 ..< n {
                let atom = Int(order[d])
                for nb in incident[atom] where position[Int(nb.atom)] < Int32(d) && nb.bond != parentBond[d] {
                    closures.append(Closure(atom: nb.atom, bond: nb.bond))
                }
                closureStart.append(Int32(closures.count))
            }
            self.order = SmartsProgram.buffer(order)
            self.parentAtom = SmartsProgram.buffer(parentAtom)
            self.parentBond = SmartsProgram.buffer(parentBond)
            self.closureStart = SmartsProgram.buffer(closureStart)
            self.closures = SmartsProgram.buffer(closures)
        }

        func deallocate() {
            order.deallocate()
            parentAtom.deallocate()
            parentBond.deallocate()
            closureStart.deallocate()
            closures.deallocate()
        }
    }

    let atomCount: Int
    let bondCount: Int
    let atomNodes: UnsafeMutableBufferPointer<QueryNode>
    let bondNodes: UnsafeMutableBufferPointer<QueryNode>
    let atomRoots: UnsafeMutableBufferPointer<Int32>
    let bondRoots: UnsafeMutableBufferPointer<Int32>
    /// Plan for searches with query atom 0 on a given atom.
    let rootedPlan: Plan
    /// Plan for unrooted searches (the same object as `rootedPlan` when atom 0 is the best start).
    let freePlan: Plan
    let freeStart: Int
    /// Per query atom: the (element, aromaticity) pairs it can match at most (one bit test rejects most candidates).
    let atomFilters: UnsafeMutableBufferPointer<ElementSet>
    /// Element sets of the `elementSet` nodes.
    let elementSets: UnsafeMutableBufferPointer<ElementSet>
    /// For each query atom that only matches certain elements, those elements as a 128-bit mask (aromatic or
    /// not): a target lacking all of them cannot match (checked before any search).
    let requiredElements: [(UInt64, UInt64)]
    /// Compiled `$(...)` sub-patterns, indexed by the `recursive` primitive's value.
    let recursive: [SmartsProgram]
    /// Atomic number every match of query atom 0 must have, or −1 (fast rejection).
    let rootAtomicNumber: Int
    /// Elements query atom 0 can match (nil: any element).
    let rootAtomicNumbers: Set<Int>?

    static func buffer<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
        _ = b.initialize(from: array)
        return b
    }

    init(atomNodes: [QueryNode], atomRoots: [Int32], bondNodes: [QueryNode], bondAtoms: [(Int32, Int32)],
         bondRoots: [Int32], recursive: [SmartsProgram]) {
        let n = atomRoots.count
        // Start of unrooted searches: the query atom allowing the rarest elements (weights ~ typical frequency).
        var start = 0, bestCost = Double.infinity
        for (q, root) in atomRoots.enumerated() {
            var cost = 40.0
            if let zs = QueryTree(nodes: atomNodes, root: root).possibleAtomicNumbers() {
                cost = zs.reduce(0.0) { c, z in
                    c + (z == 6 ? 10 : z == 1 ? 8 : z == 7 || z == 8 ? 2 : z == 9 || z == 16 || z == 17 ? 0.5 : 0.1)
                }
            }
            if cost < bestCost { bestCost = cost; start = q }
        }
        self.rootedPlan = Plan(start: 0, atomCount: n, bondAtoms: bondAtoms)
        self.freeStart = start
        self.freePlan = start == 0 ? rootedPlan : Plan(start: start, atomCount: n, bondAtoms: bondAtoms)
        let tree = QueryTree(nodes: atomNodes, root: atomRoots.first ?? -1)
        var required: [(UInt64, UInt64)] = []
        for root in atomRoots {
            guard let zs = QueryTree(nodes: atomNodes, root: root).possibleAtomicNumbers() else { continue }
            var mask: (UInt64, UInt64) = (0, 0)
            for z in zs where z < 128 {
                let b = ElementSet.bit(z)
                mask = (mask.0 | b.0, mask.1 | b.1)
            }
            if zs.allSatisfy({ $0 < 128 }) { required.append(mask) }
        }
        // ORs of element primitives become one set-membership test (alerts list up to 39 elements).
        var nodes = atomNodes
        var sets: [ElementSet] = []
        func set(_ n: Int32) -> ElementSet? {
            let node = nodes[Int(n)]
            return node.kind == AtomPrimitive.elementSet ? sets[Int(node.value)] : ElementSet(node)
        }
        for k in nodes.indices where nodes[k].kind == QueryLogic.or {
            if let a = set(nodes[k].left), let b = set(nodes[k].right) {
                sets.append(a.union(b))
                nodes[k] = QueryNode(kind: AtomPrimitive.elementSet, value: Int32(sets.count - 1))
            }
        }
        self.atomCount = n
        self.bondCount = bondRoots.count
        self.atomNodes = Self.buffer(nodes)
        self.elementSets = Self.buffer(sets)
        self.atomFilters = Self.buffer(atomRoots.map { QueryTree(nodes: atomNodes, root: $0).possibleElements() })
        self.requiredElements = required
        self.bondNodes = Self.buffer(bondNodes)
        self.atomRoots = Self.buffer(atomRoots)
        self.bondRoots = Self.buffer(bondRoots)
        self.recursive = recursive
        self.rootAtomicNumber = n == 0 ? -1 : tree.requiredAtomicNumber() ?? -1
        self.rootAtomicNumbers = n == 0 ? nil : tree.possibleAtomicNumbers()
    }

    deinit {
        atomNodes.deallocate()
        bondNodes.deallocate()
        atomRoots.deallocate()
        bondRoots.deallocate()
        rootedPlan.deallocate()
        if freeStart != 0 { freePlan.deallocate() }
        elementSets.deallocate()
        atomFilters.deallocate()
    }
}
