/// Ring perception result, following RDKit 2026.09's `RingInfo`: the *relevant cycles* of the graph (cycles that
/// are not a GF(2) sum of strictly shorter cycles; the union of all minimum cycle bases), sorted by size.
///
/// Also records which bonds lie on any cycle (`isRingBond`), which is what SMARTS `@` and Morgan ring membership
/// use. The SSSR count (RDKit `len(GetSSSR(m))`) equals the cyclomatic number `bonds − atoms + components`.
public struct RingInfo: Sendable {
    /// Each ring as atom indices in cyclic order.
    public internal(set) var atomRings: [[Int32]] = []
    /// Each ring as bond indices: `bondRings[r][k]` joins `atomRings[r][k]` and `atomRings[r][k+1]`.
    public internal(set) var bondRings: [[Int32]] = []
    /// Number of rings containing each atom (SMARTS `R<n>`).
    public internal(set) var atomRingCount: [UInt8] = []
    /// Number of rings containing each bond.
    public internal(set) var bondRingCount: [UInt8] = []
    /// True for bonds on at least one cycle (non-bridges).
    public internal(set) var isRingBond: [Bool] = []
    /// Cyclomatic number = size of the SSSR.
    public internal(set) var cyclomaticNumber: Int = 0
    /// True if ring enumeration hit its safety cap and fell back to a (minimal) cycle basis.
    public internal(set) var truncated: Bool = false

    public init() {}

    @inlinable public var count: Int { atomRings.count }
    /// Whether atom `i` is in any ring.
    @inlinable public func isInRing(atom i: Int) -> Bool { atomRingCount[i] > 0 }
    /// Whether atom `i` is in a ring of exactly `size` atoms.
    public func isAtom(_ i: Int, inRingOfSize size: Int) -> Bool {
        guard atomRingCount[i] > 0 else { return false }
        for r in atomRings where r.count == size && r.contains(Int32(i)) { return true }
        return false
    }
}
