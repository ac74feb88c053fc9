/// A compiled SMARTS substructure query. Parse once, match against many molecules:
///
/// ```swift
/// let amide = try SmartsPattern("C(=O)N")
/// let target = SubstructureTarget(try Molecule(smiles: "CC(=O)NC"))
/// amide.hasMatch(in: target)                 // true
/// amide.matches(in: target)                  // [[1, 2, 3]]: target atom for each query atom, in SMARTS order
/// amide.hasMatch(in: target, rootedAt: 1)    // does a match map query atom 0 onto atom 1?
/// ```
///
/// Semantics are RDKit's (checked against RDKit 2026.9.1 on the 240 patterns of the QED, Crippen and Lipinski
/// descriptors and the golden sets): aromaticity, ring membership and H counts come from the sanitized molecule;
/// `R<n>` counts RingInfo rings (relevant cycles); an unwritten bond means "single or aromatic"; atoms of
/// dot-separated parts must be distinct but may lie in one fragment; chirality in the pattern is ignored.
/// Matching is a rooted backtracking search in the DFS order of the pattern; recursive `$(...)` queries are
/// evaluated on demand and memoised per target atom for the duration of one search.
public struct SmartsPattern: Sendable, CustomStringConvertible {
    /// The SMARTS text the pattern was parsed from.
    public let smarts: String
    let atomNodes: [QueryNode]
    let atomRoots: [Int32]
    /// Atom map numbers (`[C:1]`), 0 = none; they do not constrain matching.
    public let atomMapNumbers: [Int32]
    let bondNodes: [QueryNode]
    let bondAtoms: [(Int32, Int32)]
    let bondRoots: [Int32]
    let recursive: [SmartsPattern]

    // Search plan: query atoms in DFS order; position d hangs off `parentAtom[d]` via `parentBond[d]` (−1 for the
    // first atom of each dot-separated part); `closures[closureStart[d] ..< closureStart[d+1]]` are the other
    // bonds from position d back to atoms placed earlier.
    struct Closure: Sendable {
        var atom: Int32
        var bond: Int32
    }
    let order: [Int32]
    let parentAtom: [Int32]
    let parentBond: [Int32]
    let closureStart: [Int32]
    let closures: [Closure]
    /// Atomic number every match of query atom 0 must have, if the query fixes one (fast rejection).
    let rootAtomicNumber: Int16

    /// Parses a SMARTS string.
    /// - Throws: `SmartsError` naming the problem and its position.
    public init(_ smarts: String) throws {
        var parser = SmartsParser(smarts)
        self = try parser.parse()
    }

    init(smarts: String, atomNodes: [QueryNode], atomRoots: [Int32], atomMaps: [Int32], bondNodes: [QueryNode],
         bondAtoms: [(Int32, Int32)], bondRoots: [Int32], recursive: [SmartsPattern]) {
        self.smarts = smarts
        self.atomNodes = atomNodes
        self.atomRoots = atomRoots
        self.atomMapNumbers = atomMaps
        self.bondNodes = bondNodes
        self.bondAtoms = bondAtoms
        self.bondRoots = bondRoots
        self.recursive = recursive
        // Plan: DFS over the query graph from atom 0, then from each unvisited atom (dot-separated parts).
        let n = atomRoots.count
        var incident = [[(atom: Int32, bond: Int32)]](repeating: [], count: n)
        for (k, (a, b)) in bondAtoms.enumerated() {
            incident[Int(a)].append((b, Int32(k)))
            incident[Int(b)].append((a, Int32(k)))
        }
        var position = [Int32](repeating: -1, count: n)
        var order: [Int32] = [], parentAtom: [Int32] = [], parentBond: [Int32] = []
        for start in 0 ..< n where position[start] < 0 {
            var stack: [(atom: Int32, parent: Int32, bond: Int32)] = [(Int32(start), -1, -1)]
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
        self.order = order
        self.parentAtom = parentAtom
        self.parentBond = parentBond
        self.closureStart = closureStart
        self.closures = closures
        var tree = QueryTree(nodes: atomNodes, root: atomRoots.first ?? -1)
        if n == 0 { tree.root = -1 }
        self.rootAtomicNumber = Int16(tree.requiredAtomicNumber() ?? -1)
    }

    /// Number of atoms in the pattern (query atoms are numbered in the order they are written).
    public var atomCount: Int { atomRoots.count }
    /// Number of bonds in the pattern (ring closures included).
    public var bondCount: Int { bondRoots.count }
    public var description: String { smarts }

    // MARK: - Matching

    /// Whether the pattern occurs in the molecule.
    public func hasMatch(in target: SubstructureTarget) -> Bool {
        var found = false
        search(target, rootedAt: nil) { _ in found = true; return false }
        return found
    }

    /// Whether some match maps query atom 0 onto target atom `atom` (RDKit's recursive-SMARTS semantics; also
    /// how Crippen atom types and single-atom counts are evaluated).
    public func hasMatch(in target: SubstructureTarget, rootedAt atom: Int) -> Bool {
        guard atom >= 0 && atom < target.atomCount else { return false }
        var found = false
        search(target, rootedAt: atom) { _ in found = true; return false }
        return found
    }

    /// All matches, each the target atom index for every query atom (in SMARTS order).
    ///
    /// With `uniquify` (RDKit's default) matches covering the same set of atoms are reported once (the first
    /// found). At most `maxMatches` matches are returned (RDKit's default is 1000).
    public func matches(in target: SubstructureTarget, uniquify: Bool = true, maxMatches: Int = 1000) -> [[Int]] {
        var out: [[Int]] = []
        guard maxMatches > 0 else { return out }
        var seen = Set<[Int32]>()
        search(target, rootedAt: nil) { mapping in
            if uniquify {
                guard seen.insert(Array(mapping).sorted()).inserted else { return true }
            }
            out.append(mapping.map { Int($0) })
            return out.count < maxMatches
        }
        return out
    }

    /// Number of matches (distinct atom sets with `uniquify`), without building the match lists.
    ///
    /// Patterns of one atom count matching atoms; patterns of two bonded atoms count matching bonds (either
    /// orientation); both without allocating.
    public func matchCount(in target: SubstructureTarget, uniquify: Bool = true) -> Int {
        if uniquify && atomCount == 1 {
            var count = 0
            for a in 0 ..< target.atomCount where hasMatch(in: target, rootedAt: a) { count += 1 }
            return count
        }
        if uniquify && atomCount == 2 && bondCount == 1 {
            return withUnsafeTemporaryAllocation(of: Bool.self, capacity: max(target.bonds.count, 1)) { seen in
                seen.initialize(repeating: false)
                var count = 0
                search(target, rootedAt: nil) { mapping in
                    let b = target.bond(between: Int(mapping[0]), Int(mapping[1]))
                    if !seen[b] { seen[b] = true; count += 1 }
                    return true
                }
                return count
            }
        }
        var count = 0
        var seen = Set<[Int32]>()
        search(target, rootedAt: nil) { mapping in
            if !uniquify || seen.insert(Array(mapping).sorted()).inserted { count += 1 }
            return true
        }
        return count
    }

    /// Calls `body` with every match (target atom per query atom; the buffer is only valid during the call), in
    /// search order and without uniquifying; return `false` from `body` to stop.
    public func forEachMatch(in target: SubstructureTarget, _ body: (UnsafeBufferPointer<Int32>) -> Bool) {
        search(target, rootedAt: nil, body)
    }

    // MARK: - Conveniences on molecules

    /// Whether the pattern occurs in `molecule` (prepares a `SubstructureTarget`; build one yourself to match many
    /// patterns against the same molecule).
    public func hasMatch(in molecule: Molecule) -> Bool { hasMatch(in: SubstructureTarget(molecule)) }

    /// All matches in `molecule`; see `matches(in:uniquify:maxMatches:)`.
    public func matches(in molecule: Molecule, uniquify: Bool = true, maxMatches: Int = 1000) -> [[Int]] {
        matches(in: SubstructureTarget(molecule), uniquify: uniquify, maxMatches: maxMatches)
    }

    /// Atoms of `molecule` covered by at least one match (e.g. to keep or mask a substructure during generation).
    public func matchedAtoms(in molecule: Molecule) -> [Int] {
        let target = SubstructureTarget(molecule)
        var covered = [Bool](repeating: false, count: target.atomCount)
        search(target, rootedAt: nil) { mapping in
            for a in mapping { covered[Int(a)] = true }
            return true
        }
        return covered.indices.filter { covered[$0] }
    }
}
