/// The language of the sequence part of an RT line (what follows the last `|`).
///
/// The original picks the sequence tokenizer from a `language` attribute that `main` never persists, so every
/// model loads as SMILES (docs/rt-text-format.md §3). Here the language is always explicit.
///
/// Reactions (docs/rt-text-format.md §3.4) are written `precursors>>products`, molecules separated by `.` (reaction SMILES
/// convention, and the form of the Buchwald–Hartwig/Suzuki data). The reaction languages additionally keep
/// `<\w+>` tags as single tokens, so data written in GT4SD's `REACTION_*` convention with an explicit entity
/// separator token (`A<energy>B>>C`) tokenizes too. Which token separates entities (`.` by default, or
/// `<energy>`) is a setting of the multi-entity collator, not of the text.
public enum SequenceLanguage: String, CaseIterable, Sendable, CustomStringConvertible {
    /// SMILES, split with the original's regular expression (docs/rt-text-format.md §3.1). On well-formed SELFIES this regex
    /// yields exactly the SELFIES symbols, which is how the original's SELFIES models were tokenized.
    case smiles
    /// SELFIES, split into symbols with the rules of `selfies` 1.0.4 `split_selfies`.
    case selfies
    /// Amino-acid sequences: one token per character.
    case aminoAcids = "aas"
    /// Reaction SMILES `A.B>>C`: the SMILES regex, plus `<tag>` tokens.
    case reactionSMILES = "reaction_smiles"
    /// Reaction SELFIES `[C].[O]>>[C]`: SELFIES symbols, `.`, `>>` and `<tag>` tokens.
    case reactionSELFIES = "reaction_selfies"

    /// Reads the names used by the original and GT4SD (`SMILES`, `SELFIES`, `AAS`, `REACTION_SMILES`,
    /// `REACTION_SELFIES`), in any case, with `_` or `-`.
    public init?(name: String) {
        let normalized = name.lowercased().replacingOccurrences(of: "-", with: "_")
        switch normalized {
        case "smiles": self = .smiles
        case "selfies": self = .selfies
        case "aas", "amino_acids", "proteins", "protein": self = .aminoAcids
        case "reaction_smiles", "reactions", "reaction": self = .reactionSMILES
        case "reaction_selfies": self = .reactionSELFIES
        default: return nil
        }
    }

    /// The name written to model configs (`smiles`, `selfies`, `aas`, `reaction_smiles`, `reaction_selfies`).
    public var name: String { rawValue }
    public var description: String { rawValue }

    /// True for the two reaction languages.
    public var isReaction: Bool { self == .reactionSMILES || self == .reactionSELFIES }

    /// Appends the tokens of `range` of `line` (a piece without special tokens) to `tokens`.
    func split(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, strict: Bool,
               into tokens: inout [RawToken]) throws(TokenizationError)
    {
        switch self {
        case .smiles: try SMILESSplitter.split(line, range, tags: false, strict: strict, into: &tokens)
        case .reactionSMILES: try SMILESSplitter.split(line, range, tags: true, strict: strict, into: &tokens)
        case .selfies: try SELFIESSplitter.split(line, range, strict: strict, into: &tokens)
        case .reactionSELFIES: try SELFIESSplitter.splitReaction(line, range, strict: strict, into: &tokens)
        case .aminoAcids: try AminoAcidSplitter.split(line, range, strict: strict, into: &tokens)
        }
    }
}
