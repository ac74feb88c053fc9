/// The atom and bond predicates of a compiled SMARTS pattern, stored as flat arrays of small value nodes (no
/// boxes, no closures), so evaluating a query against an atom allocates nothing.
///
/// A query is a tree of `QueryNode`s: leaves compare one property of the target atom (or bond) with `value`;
/// `and`/`or` nodes point to two children, `not` to one. The semantics of every primitive are RDKit's
/// (checked against RDKit 2026.9.1): see `AtomPrimitive`.
struct QueryNode: Hashable, Sendable {
    var kind: UInt8
    var value: Int32
    var left: Int32 = -1
    var right: Int32 = -1
}

/// Logical node kinds shared by atom and bond queries (values ≥ 200, above every primitive).
enum QueryLogic {
    static let and: UInt8 = 200
    static let or: UInt8 = 201
    static let not: UInt8 = 202
    static let always: UInt8 = 203
}

/// SMARTS atom primitives. "Total H" counts implicit, bracket and graph-neighbour hydrogens, as RDKit does, so a
/// query gives the same answer on a molecule with or without explicit H atoms.
enum AtomPrimitive {
    /// `#n`, and non-organic element symbols such as `[Se]` (aromatic or not): atomic number == value.
    static let atomicNumber: UInt8 = 1
    /// Organic-subset symbols (`C`, `[N]`) = aliphatic; lower case (`c`, `[se]`) = aromatic:
    /// value = Z + 1000 × aromatic (RDKit's `AtomType`).
    static let atomType: UInt8 = 2
    static let aromatic: UInt8 = 3           // `a`
    static let aliphatic: UInt8 = 4          // `A` (hydrogens count as aliphatic)
    static let totalHydrogens: UInt8 = 5     // `H<n>` (default 1)
    static let hydrogensNotInGraph: UInt8 = 6 // `h<n>`: implicit + bracket H, not H atoms in the graph
    static let hasHydrogensNotInGraph: UInt8 = 7 // `h` without a number
    static let degree: UInt8 = 8             // `D<n>` (default 1): graph neighbours
    static let totalDegree: UInt8 = 9        // `X<n>` (default 1): graph neighbours + H not in the graph
    static let totalValence: UInt8 = 10      // `v<n>` (default 1)
    static let ringCount: UInt8 = 11         // `R<n>`: number of RingInfo rings containing the atom
    static let inRing: UInt8 = 12            // `R`, `r` without a number: value 1 = in a ring
    static let smallestRing: UInt8 = 13      // `r<n>`: size of the smallest RingInfo ring containing the atom
    static let ringBondCount: UInt8 = 14     // `x<n>`: number of ring bonds
    static let charge: UInt8 = 15            // `+n`, `-n`
    static let isotope: UInt8 = 16           // `[13C]`
    static let recursive: UInt8 = 17         // `$(...)`: value = index of the sub-pattern
}

/// SMARTS bond primitives.
enum BondPrimitive {
    static let order: UInt8 = 1              // `-` `=` `#` `:`(aromatic) and `/` `\` (single): value = BondOrder raw
    static let singleOrAromatic: UInt8 = 2   // no bond symbol between two atoms
    static let aromaticFlag: UInt8 = 3       // `:` — bond flagged aromatic (or of aromatic type)
    static let inRing: UInt8 = 4             // `@`
    static let any: UInt8 = 5                // `~`
}

/// A query tree in a flat node array; `root` indexes the top node.
struct QueryTree: Hashable, Sendable {
    var nodes: [QueryNode] = []
    var root: Int32 = -1

    mutating func add(_ node: QueryNode) -> Int32 {
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    mutating func leaf(_ kind: UInt8, _ value: Int32 = 0) -> Int32 { add(QueryNode(kind: kind, value: value)) }

    mutating func combine(_ logic: UInt8, _ a: Int32, _ b: Int32) -> Int32 {
        add(QueryNode(kind: logic, value: 0, left: a, right: b))
    }

    /// Atomic number the query requires of every match, if it requires exactly one (used to skip candidates).
    func requiredAtomicNumber() -> Int? {
        func walk(_ n: Int32) -> Int? {
            let node = nodes[Int(n)]
            switch node.kind {
            case AtomPrimitive.atomicNumber: return Int(node.value)
            case AtomPrimitive.atomType: return Int(node.value % 1000)
            case QueryLogic.and: return walk(node.left) ?? walk(node.right)
            case QueryLogic.or:
                if let a = walk(node.left), let b = walk(node.right), a == b { return a }
                return nil
            default: return nil
            }
        }
        return root < 0 ? nil : walk(root)
    }
}
