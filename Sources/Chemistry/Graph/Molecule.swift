/// A molecular graph: atoms and bonds in contiguous arrays plus a compressed adjacency list (CSR), so that
/// iterating an atom's neighbours touches one small slice of memory and allocates nothing.
///
/// Build one with `Molecule(smiles:)` (parse + RDKit-equivalent sanitization) or `Molecule(atoms:bonds:)`.
/// Neighbours of atom `i` are `neighbors(of: i)`, in bond order (the order bonds were written).
public struct Molecule: Sendable {
    public internal(set) var atoms: [Atom]
    public internal(set) var bonds: [Bond]
    /// `adjacencyStart[i] ..< adjacencyStart[i+1]` indexes `adjacency` for atom `i`.
    public internal(set) var adjacencyStart: [Int32]
    public internal(set) var adjacency: [Neighbor]
    /// Ring perception result (RDKit 2026.09 RingInfo: relevant cycles); empty until sanitized.
    public internal(set) var rings: RingInfo = RingInfo()
    /// For atoms with a tetrahedral tag: their neighbours in SMILES order (−1 = the bracket H), which is what
    /// `@`/`@@` refer to. Filled by the SMILES reader; used by stereo perception.
    var chiralNeighbors: [Int32: [Int32]] = [:]

    /// One entry of the adjacency list: the neighbouring atom and the connecting bond.
    public struct Neighbor: Hashable, Sendable {
        public var atom: Int32
        public var bond: Int32
    }

    /// A graph from atoms and bonds; no chemistry perception is done (see `Sanitizer`).
    public init(atoms: [Atom], bonds: [Bond]) {
        self.atoms = atoms
        self.bonds = bonds
        self.adjacencyStart = []
        self.adjacency = []
        rebuildAdjacency()
    }

    @inlinable public var atomCount: Int { atoms.count }
    @inlinable public var bondCount: Int { bonds.count }

    /// Neighbours of atom `i` (atom and bond indices), in bond-index order.
    @inlinable public func neighbors(of i: Int) -> ArraySlice<Neighbor> {
        adjacency[Int(adjacencyStart[i]) ..< Int(adjacencyStart[i + 1])]
    }

    /// Number of graph neighbours (explicit H atoms count, implicit ones do not).
    @inlinable public func degree(of i: Int) -> Int { Int(adjacencyStart[i + 1] - adjacencyStart[i]) }

    /// Bond index between atoms `a` and `b`, if any.
    public func bond(between a: Int, _ b: Int) -> Int? {
        for n in neighbors(of: a) where Int(n.atom) == b { return Int(n.bond) }
        return nil
    }

    /// Atom `i` counts as aromatic if flagged, or if any of its bonds is aromatic (RDKit `isAromaticAtom`).
    @inlinable public func isAromaticLike(_ i: Int) -> Bool {
        if atoms[i].isAromatic { return true }
        for n in neighbors(of: i) where bonds[Int(n.bond)].isAromaticLike { return true }
        return false
    }

    /// Recomputes the CSR adjacency after bonds were added or removed.
    mutating func rebuildAdjacency() {
        let n = atoms.count
        var start = [Int32](repeating: 0, count: n + 1)
        for b in bonds {
            start[Int(b.begin) + 1] += 1
            start[Int(b.end) + 1] += 1
        }
        for i in 0 ..< n { start[i + 1] += start[i] }
        var fill = Array(start[0 ..< n])
        var adj = [Neighbor](repeating: Neighbor(atom: 0, bond: 0), count: 2 * bonds.count)
        for (k, b) in bonds.enumerated() {
            adj[Int(fill[Int(b.begin)])] = Neighbor(atom: b.end, bond: Int32(k)); fill[Int(b.begin)] += 1
            adj[Int(fill[Int(b.end)])] = Neighbor(atom: b.begin, bond: Int32(k)); fill[Int(b.end)] += 1
        }
        adjacencyStart = start
        adjacency = adj
    }
}
