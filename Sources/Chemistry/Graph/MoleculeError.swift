/// Why a string is not a valid molecule. The classes follow RDKit's: a SMILES syntax error (`parse`), an atom
/// above its allowed valence (`valence`), an aromatic system without a Kekulé structure or an aromatic atom
/// outside a ring (`kekulize`); plus `selfies` for SELFIES that cannot be translated, and `limit` for an input
/// beyond a work limit that keeps the tools responsive (e.g. canonical ranks of a million-atom chain) — not a
/// statement about validity.
public struct MoleculeError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable { case parse, valence, kekulize, selfies, limit }
    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `"<class>: <reason>"`, the form `rt chem` prints after `error: `.
    public var description: String { "\(kind.rawValue): \(message)" }
}
