/// Why a line of RT text could not be tokenized or encoded.
///
/// `description` is a complete sentence for a user (the CLI prints it after `error: `); `kind` lets code and
/// tests tell the cases apart; `column` is the 1-based position (in UTF-8 bytes) of the offending text.
public struct TokenizationError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The line is empty or only whitespace.
        case emptyLine
        /// Nothing follows the last `|`.
        case emptySequence
        /// A property block does not start with a `<name>` tag.
        case missingPropertyName
        /// A `<name>` tag has no value after it.
        case missingValue
        /// The value is not a plain decimal number (e.g. `.5`, `1.2.3`, `1e-05`).
        case malformedNumber
        /// A character is not part of the sequence language (e.g. `H` outside brackets in SMILES).
        case invalidCharacter
        /// A `[` has no matching `]`.
        case unclosedBracket
        /// A special token (`[CLS]`, `[SEP]`, `[PAD]`) stands where it cannot be used.
        case misplacedSpecialToken
        /// A token is not in the vocabulary (and unknown tokens are not allowed).
        case unknownToken
        /// A reaction is not of the form `precursors>>products`.
        case malformedReaction
    }

    public var kind: Kind
    public var message: String
    public var column: Int?

    public init(_ kind: Kind, _ message: String, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.column = column
    }

    public var description: String {
        if let column { return "column \(column): \(message)" }
        return message
    }
}
