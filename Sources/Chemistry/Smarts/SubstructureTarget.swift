/// A molecule prepared for substructure matching: every property a SMARTS primitive can ask about, precomputed
/// once per molecule into flat arrays of small values (struct of arrays + CSR adjacency).
///
/// Build one per molecule and match as many patterns against it as needed. With `explicitHydrogens: true` every
/// hydrogen is a graph atom (RDKit's `AddHs`): the heavy atoms keep their indices, each heavy atom's hydrogens
/// follow all heavy atoms in atom order. Crippen logP types hydrogens this way.
public struct SubstructureTarget: Sendable {
    /// Per-atom properties used by SMARTS atom primitives.
    struct AtomProperties: Sendable {
        var atomicNumber: UInt8 = 0
        var isAromatic = false
        var formalCharge: Int8 = 0
        /// H count including H atoms bonded in the graph (SMARTS `H`).
        var totalHydrogens: UInt8 = 0
        /// Implicit + bracket H, not graph atoms (SMARTS `h`).
        var hydrogensNotInGraph: UInt8 = 0
        var degree: UInt8 = 0
        var totalDegree: UInt8 = 0
        var totalValence: UInt8 = 0
        var ringCount: UInt8 = 0
        var smallestRing: UInt8 = 0
        var ringBondCount: UInt8 = 0
        var isotope: UInt16 = 0
    }

    struct BondProperties: Sendable {
        var order: BondOrder
        var isAromatic: Bool
        var inRing: Bool
    }

    struct Neighbor: Sendable {
        var atom: Int32
        var bond: Int32
    }

    public let atomCount: Int
    /// Number of atoms of the source molecule (the others are added hydrogens).
    public let heavyAtomCount: Int
    var atoms: [AtomProperties]
    var bonds: [BondProperties]
    var adjacencyStart: [Int32]
    var adjacency: [Neighbor]
    /// Elements present (bit Z), for rejecting patterns that need an absent element without searching.
    var elementMask: (UInt64, UInt64) = (0, 0)

    /// Prepares `molecule` (sanitized) for matching; `explicitHydrogens` adds every implicit and bracket H as an atom.
    public init(_ molecule: Molecule, explicitHydrogens: Bool = false) {
        let n = molecule.atomCount
        var atoms = [AtomProperties](repeating: AtomProperties(), count: n)
        let rings = molecule.rings
        let haveRings = rings.atomRingCount.count == n
        var smallest = [UInt8](repeating: 0, count: n)
        if haveRings {
            for ring in rings.atomRings {
                let size = UInt8(clamping: ring.count)
                for a in ring where smallest[Int(a)] == 0 || smallest[Int(a)] > size { smallest[Int(a)] = size }
            }
        }
        var addedH = 0
        for i in 0 ..< n {
            let a = molecule.atoms[i]
            var hNeighbors = 0
            var ringBonds = 0
            for nb in molecule.neighbors(of: i) {
                if molecule.atoms[Int(nb.atom)].atomicNumber == 1 { hNeighbors += 1 }
                if haveRings && rings.isRingBond[Int(nb.bond)] { ringBonds += 1 }
            }
            let hidden = a.totalHydrogens
            let degree = molecule.degree(of: i)
            var p = AtomProperties()
            p.atomicNumber = a.atomicNumber
            p.isAromatic = a.isAromatic
            p.formalCharge = a.formalCharge
            p.totalHydrogens = UInt8(clamping: hidden + hNeighbors)
            p.totalValence = UInt8(clamping: max(0, Int(a.explicitValence) + Int(a.noImplicit ? 0 : a.implicitHydrogens)))
            p.ringCount = haveRings ? rings.atomRingCount[i] : 0
            p.smallestRing = smallest[i]
            p.ringBondCount = UInt8(clamping: ringBonds)
            p.isotope = a.isotope
            if explicitHydrogens {
                p.hydrogensNotInGraph = 0
                p.degree = UInt8(clamping: degree + hidden)
                addedH += hidden
            } else {
                p.hydrogensNotInGraph = UInt8(clamping: hidden)
                p.degree = UInt8(clamping: degree)
            }
            p.totalDegree = UInt8(clamping: degree + hidden)
            atoms[i] = p
        }
        var bonds = [BondProperties]()
        bonds.reserveCapacity(molecule.bondCount + addedH)
        for (k, b) in molecule.bonds.enumerated() {
            bonds.append(BondProperties(order: b.order, isAromatic: b.isAromatic,
                                        inRing: haveRings && rings.isRingBond[k]))
        }
        // Edge list (begin, end) in bond order, hydrogens appended.
        var ends = [(Int32, Int32)]()
        ends.reserveCapacity(bonds.capacity)
        for b in molecule.bonds { ends.append((b.begin, b.end)) }
        if explicitHydrogens && addedH > 0 {
            var h = AtomProperties()
            h.atomicNumber = 1
            h.degree = 1
            h.totalDegree = 1
            h.totalValence = 1
            atoms.reserveCapacity(n + addedH)
            for i in 0 ..< n {
                for _ in 0 ..< molecule.atoms[i].totalHydrogens {
                    ends.append((Int32(i), Int32(atoms.count)))
                    atoms.append(h)
                    bonds.append(BondProperties(order: .single, isAromatic: false, inRing: false))
                }
            }
        }
        let total = atoms.count
        var start = [Int32](repeating: 0, count: total + 1)
        for (a, b) in ends {
            start[Int(a) + 1] += 1
            start[Int(b) + 1] += 1
        }
        for i in 0 ..< total { start[i + 1] += start[i] }
        var fill = Array(start[0 ..< total])
        var adjacency = [Neighbor](repeating: Neighbor(atom: 0, bond: 0), count: 2 * ends.count)
        for (k, (a, b)) in ends.enumerated() {
            adjacency[Int(fill[Int(a)])] = Neighbor(atom: b, bond: Int32(k)); fill[Int(a)] += 1
            adjacency[Int(fill[Int(b)])] = Neighbor(atom: a, bond: Int32(k)); fill[Int(b)] += 1
        }
        var mask: (UInt64, UInt64) = (0, 0)
        for a in atoms where a.atomicNumber < 128 {
            let b = ElementSet.bit(Int(a.atomicNumber))
            mask = (mask.0 | b.0, mask.1 | b.1)
        }
        self.elementMask = mask
        self.atomCount = total
        self.heavyAtomCount = n
        self.atoms = atoms
        self.bonds = bonds
        self.adjacencyStart = start
        self.adjacency = adjacency
    }

    @inline(__always) func neighborRange(_ i: Int) -> Range<Int> {
        Int(adjacencyStart[i]) ..< Int(adjacencyStart[i + 1])
    }

    /// Index of the bond joining atoms `a` and `b`, or −1.
    @inline(__always) func bond(between a: Int, _ b: Int) -> Int {
        for k in neighborRange(a) where Int(adjacency[k].atom) == b { return Int(adjacency[k].bond) }
        return -1
    }

    /// Atomic number of atom `i`.
    public func atomicNumber(_ i: Int) -> Int { Int(atoms[i].atomicNumber) }
}

/// A `SubstructureTarget`'s arrays as raw buffers, valid inside `withView`: what the search reads, so matching
/// does no reference counting.
struct TargetView {
    let atoms: UnsafeBufferPointer<SubstructureTarget.AtomProperties>
    let bonds: UnsafeBufferPointer<SubstructureTarget.BondProperties>
    let adjacencyStart: UnsafeBufferPointer<Int32>
    let adjacency: UnsafeBufferPointer<SubstructureTarget.Neighbor>
    let elementMask: (UInt64, UInt64)

    @inline(__always) var atomCount: Int { atoms.count }

    /// Index of the bond joining atoms `a` and `b`, or −1.
    @inline(__always) func bond(between a: Int, _ b: Int) -> Int {
        var k = Int(adjacencyStart[a])
        let end = Int(adjacencyStart[a + 1])
        while k < end {
            if Int(adjacency[k].atom) == b { return Int(adjacency[k].bond) }
            k += 1
        }
        return -1
    }
}

extension SubstructureTarget {
    /// Calls `body` with raw views of the target's arrays.
    func withView<R>(_ body: (TargetView) -> R) -> R {
        atoms.withUnsafeBufferPointer { atoms in
            bonds.withUnsafeBufferPointer { bonds in
                adjacencyStart.withUnsafeBufferPointer { start in
                    adjacency.withUnsafeBufferPointer { adjacency in
                        body(TargetView(atoms: atoms, bonds: bonds, adjacencyStart: start, adjacency: adjacency,
                                        elementMask: elementMask))
                    }
                }
            }
        }
    }
}
