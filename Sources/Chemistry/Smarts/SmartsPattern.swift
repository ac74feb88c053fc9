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
    /// Atom map numbers (`[C:1]`), 0 = none; they do not constrain matching.
    public let atomMapNumbers: [Int32]
    /// The compiled query the search runs on (shared by copies of the pattern).
    let program: SmartsProgram

    /// Parses a SMARTS string.
    /// - Throws: `SmartsError` naming the problem and its position.
    public init(_ smarts: String) throws {
        var parser = SmartsParser(smarts)
        self = try parser.parse()
    }

    init(smarts: String, atomNodes: [QueryNode], atomRoots: [Int32], atomMaps: [Int32], bondNodes: [QueryNode],
         bondAtoms: [(Int32, Int32)], bondRoots: [Int32], recursive: [SmartsPattern]) {
        self.smarts = smarts
        self.atomMapNumbers = atomMaps
        self.program = SmartsProgram(atomNodes: atomNodes, atomRoots: atomRoots, bondNodes: bondNodes,
                                     bondAtoms: bondAtoms, bondRoots: bondRoots, recursive: recursive.map(\.program))
    }

    /// Elements query atom 0 can match (nil: any element).
    func rootAtomicNumbers() -> Set<Int>? { program.rootAtomicNumbers }

    /// Number of atoms in the pattern (query atoms are numbered in the order they are written).
    public var atomCount: Int { program.atomCount }
    /// Number of bonds in the pattern (ring closures included).
    public var bondCount: Int { program.bondCount }
    public var description: String { smarts }

    // MARK: - Matching

    /// Whether the pattern occurs in the molecule.
    public func hasMatch(in target: SubstructureTarget) -> Bool {
        var found = false
        program.search(target, rootedAt: nil) { _ in found = true; return false }
        return found
    }

    /// Whether some match maps query atom 0 onto target atom `atom` (RDKit's recursive-SMARTS semantics; also
    /// how Crippen atom types and single-atom counts are evaluated).
    public func hasMatch(in target: SubstructureTarget, rootedAt atom: Int) -> Bool {
        guard atom >= 0 && atom < target.atomCount else { return false }
        var found = false
        program.search(target, rootedAt: atom) { _ in found = true; return false }
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
        program.search(target, rootedAt: nil) { mapping in
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
            program.search(target, rootedAt: nil) { _ in count += 1; return true }
            return count
        }
        if uniquify && atomCount == 2 && bondCount == 1 {
            return withUnsafeTemporaryAllocation(of: Bool.self, capacity: max(target.bonds.count, 1)) { seen in
                seen.initialize(repeating: false)
                var count = 0
                program.search(target, rootedAt: nil) { mapping in
                    let b = target.bond(between: Int(mapping[0]), Int(mapping[1]))
                    if !seen[b] { seen[b] = true; count += 1 }
                    return true
                }
                return count
            }
        }
        var count = 0
        var seen = Set<[Int32]>()
        program.search(target, rootedAt: nil) { mapping in
            if !uniquify || seen.insert(Array(mapping).sorted()).inserted { count += 1 }
            return true
        }
        return count
    }

    /// Calls `body` with every match (target atom per query atom; the buffer is only valid during the call), in
    /// search order and without uniquifying; return `false` from `body` to stop.
    public func forEachMatch(in target: SubstructureTarget, _ body: (UnsafeBufferPointer<Int32>) -> Bool) {
        program.search(target, rootedAt: nil, body)
    }

    /// For every atom: does some match map query atom 0 onto it? (RDKit's recursive-SMARTS semantics for each
    /// atom at once; e.g. the atoms a one-atom pattern selects.)
    public func rootedMatches(in target: SubstructureTarget) -> [Bool] { program.rootedMatchMask(target) }

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
        program.search(target, rootedAt: nil) { mapping in
            for a in mapping { covered[Int(a)] = true }
            return true
        }
        return covered.indices.filter { covered[$0] }
    }
}
