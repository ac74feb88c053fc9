/// The vocabulary ids that may fill a masked position of the *sequence* (the molecule, protein or reaction after the
/// last `|`).
///
/// The original fills masks with the argmax or a sample over the whole vocabulary, so a generated SELFIES can contain
/// `[CLS]`, `|`, `<qed>` or `_3_-1_` — tokens that make the sequence unreadable (docs/inference.md §5.4).
/// Here a sequence position is restricted to the tokens of the sequence language. Excluded everywhere: the special
/// tokens (`[PAD] [UNK] [CLS] [SEP] [MASK]`), the expression separator `|`, number tokens (`_d_k_`, `_._`, `_-_`,
/// `_+_`, and the never-produced `_d_-0_`), `<name>` tags (property tokens, and the shipped files' stray `<PAD>`,
/// `<UNK>`, `<START>`, `<STOP>`), `[unusedN]` placeholders and the empty token. Then, by language:
///
/// | language | kept |
/// |---|---|
/// | `selfies` | bracketed symbols `[…]` and `.` |
/// | `reaction_selfies` | bracketed symbols, `.`, `>>`, and the entity separator tag if one is given |
/// | `aas` | single upper-case letters |
/// | `smiles` | everything not excluded above |
/// | `reaction_smiles` | everything not excluded above, plus the entity separator tag if one is given |
public struct SequenceAlphabet: Equatable, Sendable {
    /// The allowed ids, ascending.
    public let ids: [Int32]

    public init(vocabulary: Vocabulary, language: SequenceLanguage, entitySeparator: String? = nil) {
        let special = Set(SpecialToken.allCases.map { vocabulary.id(of: $0) } + [vocabulary.specialIDs.expressionSeparator])
        var ids: [Int32] = []
        for (index, token) in vocabulary.tokens.enumerated() {
            let id = Int32(index)
            if token == entitySeparator, language.isReaction {
                ids.append(id)
                continue
            }
            guard !special.contains(id), !token.isEmpty, !Self.isNumberLike(token), !vocabulary.isTag(id),
                  !(token.hasPrefix("[unused") && token.hasSuffix("]")) else { continue }
            let bracketed = token.count >= 3 && token.hasPrefix("[") && token.hasSuffix("]")
            switch language {
            case .selfies:
                if bracketed || token == "." { ids.append(id) }
            case .reactionSELFIES:
                if bracketed || token == "." || token == ">>" { ids.append(id) }
            case .aminoAcids:
                if token.count == 1, let c = token.unicodeScalars.first, ("A"..."Z").contains(c) { ids.append(id) }
            case .smiles, .reactionSMILES:
                ids.append(id)
            }
        }
        self.ids = ids
    }

    /// `_x_…_` tokens with three underscores (every digit token, including `_d_-0_`) and `_._`, `_-_`, `_+_`.
    static func isNumberLike(_ token: String) -> Bool {
        if NumberToken(token) != nil { return true }
        return token.hasPrefix("_") && token.hasSuffix("_") && token.filter { $0 == "_" }.count == 3
    }

    public func contains(_ id: Int32) -> Bool { ids.contains(id) }
}
