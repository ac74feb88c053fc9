/// Bond types as RDKit names them; raw values are RDKit's `BondType` enum (used by Morgan invariants).
public enum BondOrder: UInt8, Sendable {
    case zero = 0, single = 1, double = 2, triple = 3, quadruple = 4, aromatic = 12, dative = 17

    /// Contribution of the bond to an atom's valence: aromatic 1.5; a dative bond counts only at its end atom.
    @inlinable public func valenceContribution(isEndAtom: Bool) -> Double {
        switch self {
        case .zero: return 0
        case .single: return 1
        case .double: return 2
        case .triple: return 3
        case .quadruple: return 4
        case .aromatic: return 1.5
        case .dative: return isEndAtom ? 1 : 0
        }
    }
}

/// Directional single bonds of SMILES (`/` and `\`), used for double-bond geometry.
public enum BondDirection: UInt8, Sendable { case none = 0, up, down }

/// A bond between atoms `begin` and `end` (indices into `Molecule.atoms`).
public struct Bond: Hashable, Sendable {
    public var begin: Int32
    public var end: Int32
    public var order: BondOrder
    /// RDKit keeps the aromatic flag separately from the bond type.
    public var isAromatic: Bool = false
    public var direction: BondDirection = .none

    public init(begin: Int32, end: Int32, order: BondOrder, isAromatic: Bool = false, direction: BondDirection = .none) {
        self.begin = begin; self.end = end; self.order = order; self.isAromatic = isAromatic; self.direction = direction
    }

    @inlinable public func other(_ atom: Int32) -> Int32 { atom == begin ? end : begin }
    /// True if the bond is aromatic by flag or by type (RDKit's test in `isAromaticAtom`).
    @inlinable public var isAromaticLike: Bool { isAromatic || order == .aromatic }
}
