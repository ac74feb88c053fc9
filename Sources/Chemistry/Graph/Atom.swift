/// Tetrahedral chirality as written in SMILES (`@` = anticlockwise, `@@` = clockwise, looking from the first
/// neighbour). Other classes (`@TH`, `@SP`, `@TB`, `@OH`, `@AL`) are kept as `.other`.
public enum Chirality: UInt8, Sendable {
    case none = 0, anticlockwise, clockwise, other
}

/// An atom of a molecular graph: a small value type (no references) stored contiguously in `Molecule.atoms`.
///
/// Hydrogens follow RDKit's model: `explicitHydrogens` are written in brackets (`[NH4+]`) or come from removed
/// `[H]` atoms; `implicitHydrogens` are computed by sanitization from the valence rules. Bracket atoms
/// (`noImplicit`) never get implicit hydrogens.
public struct Atom: Hashable, Sendable {
    public var atomicNumber: UInt8
    /// Mass number, 0 = natural abundance.
    public var isotope: UInt16 = 0
    public var formalCharge: Int8 = 0
    public var explicitHydrogens: UInt8 = 0
    public var implicitHydrogens: UInt8 = 0
    public var radicalElectrons: UInt8 = 0
    public var isAromatic: Bool = false
    /// True for bracket atoms: no implicit hydrogens are added.
    public var noImplicit: Bool = false
    public var chirality: Chirality = .none
    /// Atom class / map number (`[CH3:1]`), 0 = none.
    public var atomClass: UInt16 = 0
    /// Cached explicit valence (bond orders + explicit H), as RDKit computes it; −1 until sanitized.
    public var explicitValence: Int16 = -1

    public init(atomicNumber: UInt8) { self.atomicNumber = atomicNumber }

    /// Total hydrogen count (explicit + implicit), not counting H atoms kept in the graph.
    @inlinable public var totalHydrogens: Int { Int(explicitHydrogens) + Int(implicitHydrogens) }
    @inlinable public var symbol: String { PeriodicTable.symbol(Int(atomicNumber)) }
}
