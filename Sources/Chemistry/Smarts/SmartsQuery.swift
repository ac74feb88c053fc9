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
    /// Compiled from an OR of element primitives (`[Cl,Br,I]`, `[#7,O,S]`): value = index of an `ElementSet`.
    static let elementSet: UInt8 = 18
}

/// A set of elements split by aromaticity: bit Z of `aliphatic` (`aromatic`) set = an aliphatic (aromatic) atom
/// of atomic number Z matches. Elements up to Z = 127.
struct ElementSet: Sendable, Equatable {
    var aliphatic: (UInt64, UInt64) = (0, 0)
    var aromatic: (UInt64, UInt64) = (0, 0)

    static func == (a: ElementSet, b: ElementSet) -> Bool {
        a.aliphatic == b.aliphatic && a.aromatic == b.aromatic
    }

    @inline(__always) static func bit(_ z: Int) -> (UInt64, UInt64) {
        z < 64 ? (1 << UInt64(z), 0) : (0, 1 << UInt64(z & 63))
    }

    /// The set a single element primitive stands for (nil if `node` is not one).
    init?(_ node: QueryNode) {
        switch node.kind {
        case AtomPrimitive.atomicNumber where node.value < 128:
            aliphatic = Self.bit(Int(node.value))
            aromatic = aliphatic
        case AtomPrimitive.atomType where node.value % 1000 < 128:
            let b = Self.bit(Int(node.value % 1000))
            if node.value >= 1000 { aromatic = b } else { aliphatic = b }
        default:
            return nil
        }
    }

    /// Every element, aromatic or not.
    static let all = ElementSet(aliphatic: (~0, ~0), aromatic: (~0, ~0))

    init(aliphatic: (UInt64, UInt64), aromatic: (UInt64, UInt64)) {
        self.aliphatic = aliphatic
        self.aromatic = aromatic
    }

    func intersection(_ o: ElementSet) -> ElementSet {
        ElementSet(aliphatic: (aliphatic.0 & o.aliphatic.0, aliphatic.1 & o.aliphatic.1),
                   aromatic: (aromatic.0 & o.aromatic.0, aromatic.1 & o.aromatic.1))
    }

    func union(_ o: ElementSet) -> ElementSet {
        var r = self
        r.aliphatic = (aliphatic.0 | o.aliphatic.0, aliphatic.1 | o.aliphatic.1)
        r.aromatic = (aromatic.0 | o.aromatic.0, aromatic.1 | o.aromatic.1)
        return r
    }

    @inline(__always) func contains(_ z: UInt8, aromatic isAromatic: Bool) -> Bool {
        let m = isAromatic ? aromatic : aliphatic
        return z < 64 ? (m.0 >> UInt64(z)) & 1 != 0 : (m.1 >> UInt64(z & 63)) & 1 != 0
    }
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

    /// Atomic numbers the query can match, or nil if it does not restrict the element (used to index patterns
    /// by element). Conservative: `not` and non-element primitives allow every element.
    func possibleAtomicNumbers(_ n: Int32? = nil) -> Set<Int>? {
        let index = n ?? root
        guard index >= 0 else { return nil }
        let node = nodes[Int(index)]
        switch node.kind {
        case AtomPrimitive.atomicNumber: return [Int(node.value)]
        case AtomPrimitive.atomType: return [Int(node.value % 1000)]
        case QueryLogic.and:
            let a = possibleAtomicNumbers(node.left), b = possibleAtomicNumbers(node.right)
            if let a, let b { return a.intersection(b) }
            return a ?? b
        case QueryLogic.or:
            guard let a = possibleAtomicNumbers(node.left), let b = possibleAtomicNumbers(node.right) else { return nil }
            return a.union(b)
        default: return nil
        }
    }

    /// The (element, aromaticity) pairs the query can match at most (a superset; used to reject candidate atoms
    /// with one bit test before evaluating the tree).
    func possibleElements(_ n: Int32? = nil) -> ElementSet {
        let index = n ?? root
        guard index >= 0 else { return .all }
        let node = nodes[Int(index)]
        switch node.kind {
        case AtomPrimitive.atomicNumber, AtomPrimitive.atomType:
            return ElementSet(node) ?? .all
        case AtomPrimitive.aromatic: return ElementSet(aliphatic: (0, 0), aromatic: (~0, ~0))
        case AtomPrimitive.aliphatic: return ElementSet(aliphatic: (~0, ~0), aromatic: (0, 0))
        case QueryLogic.and: return possibleElements(node.left).intersection(possibleElements(node.right))
        case QueryLogic.or: return possibleElements(node.left).union(possibleElements(node.right))
        default: return .all
        }
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
