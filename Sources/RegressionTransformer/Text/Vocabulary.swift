import Foundation
import TensorIO

/// The token ids of the special tokens of a vocabulary, found by their strings.
public struct SpecialTokenIDs: Equatable, Hashable, Sendable {
    public var pad: Int32
    public var unknown: Int32
    public var classifier: Int32
    public var separator: Int32
    public var mask: Int32
    /// The expression separator `|`.
    public var expressionSeparator: Int32

    public subscript(_ special: SpecialToken) -> Int32 {
        switch special {
        case .pad: return pad
        case .unknown: return unknown
        case .classifier: return classifier
        case .separator: return separator
        case .mask: return mask
        }
    }
}

/// Why a vocabulary could not be read or built.
public struct VocabularyError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An RT vocabulary: one token per line of `vocab.txt`, id = 0-based line index (docs/rt-text-format.md §4).
///
/// Files are read as the original reads them (HF `load_vocab`): every line is a token, including an empty
/// line (the shipped `proteins.txt` starts with one, so its `[PAD]` is id 1), `\n`, `\r\n` and `\r` end lines
/// (Python's universal newlines), and a final newline does not add a token.
///
/// Special tokens are looked up by string — `[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`, `[MASK]` and `|` must all be
/// present. Nothing assumes `[PAD]` is id 0: the original's collators and evaluators do (docs/rt-text-format.md §4.2), which
/// silently breaks `proteins.txt`; ask `specialIDs.pad` instead.
public struct Vocabulary: Equatable, Sendable {
    /// The tokens; `tokens[id]` is the token with that id.
    public let tokens: [String]
    /// Ids of the special tokens.
    public let specialIDs: SpecialTokenIDs
    let table: ByteTokenTable
    private let numbers: NumberTokenIDs
    private let tagNames: [Int32: String]

    /// Builds a vocabulary from tokens in id order.
    /// - Throws: if a token repeats or a special token is missing.
    public init(tokens: [String]) throws(VocabularyError) {
        var seen: [String: Int] = [:]
        seen.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            if let first = seen[token] {
                throw VocabularyError(
                    "token '\(token)' appears twice (ids \(first) and \(id), lines \(first + 1) and \(id + 1))")
            }
            seen[token] = id
        }
        let required = SpecialToken.allCases.map(\.text) + [expressionSeparator]
        let missing = required.filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw VocabularyError("the vocabulary lacks the required token(s) \(missing.joined(separator: " "))")
        }
        func id(_ token: String) -> Int32 { Int32(seen[token]!) }
        self.tokens = tokens
        specialIDs = SpecialTokenIDs(
            pad: id("[PAD]"), unknown: id("[UNK]"), classifier: id("[CLS]"), separator: id("[SEP]"),
            mask: id("[MASK]"), expressionSeparator: id(expressionSeparator))
        table = ByteTokenTable(tokens: tokens)
        numbers = NumberTokenIDs(tokens: tokens)
        var tagNames: [Int32: String] = [:]
        for (id, token) in tokens.enumerated() where Self.isTag(token) {
            tagNames[Int32(id)] = String(token.dropFirst().dropLast())
        }
        self.tagNames = tagNames
    }

    /// Reads a `vocab.txt` file.
    public init(contentsOfFile path: String) throws(VocabularyError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw VocabularyError("\(path): is a directory, not a vocabulary file")
            }
            throw VocabularyError("\(path): cannot read the vocabulary file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw VocabularyError("\(path): the vocabulary file is not valid UTF-8")
        }
        do {
            try self.init(tokens: Self.lines(of: text))
        } catch {
            throw VocabularyError("\(path): \(error.message)")
        }
    }

    /// Splits file text into tokens the way Python's `readlines()` + `rstrip("\n")` does.
    static func lines(of text: String) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 0x0A {
                if !previousWasCR { lines.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
                previousWasCR = false
            } else if byte == 0x0D {
                lines.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                previousWasCR = true
            } else {
                current.append(byte)
                previousWasCR = false
            }
        }
        if !current.isEmpty { lines.append(String(decoding: current, as: UTF8.self)) }
        return lines
    }

    /// The text of a `vocab.txt` file: one token per line, each followed by `\n` (as HF writes it).
    public var fileContents: String {
        tokens.map { $0 + "\n" }.joined()
    }

    /// Writes the vocabulary to `path` atomically (temporary file, then rename).
    public func write(toFile path: String) throws {
        try DurableFile.write(Data(fileContents.utf8), to: URL(fileURLWithPath: path))
    }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool { lhs.tokens == rhs.tokens }

    /// Number of tokens (`V`).
    public var count: Int { tokens.count }

    /// The id of `token`, or nil if the vocabulary does not have it.
    public func id(of token: String) -> Int32? {
        let id = table.lookup(token)
        return id < 0 ? nil : id
    }

    /// The id of a special token.
    public func id(of special: SpecialToken) -> Int32 { specialIDs[special] }

    /// The id of a number token, or nil if the vocabulary does not have it (e.g. `_0_-6_` in the shipped files).
    public func id(of number: NumberToken) -> Int32? { numbers.id(of: number) }

    /// The token with id `id`, or nil if `id` is out of range (e.g. the label filler −100).
    public func token(for id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }

    /// The number token with id `id`, if it is one of the canonical sign, point or digit tokens.
    public func numberToken(for id: Int32) -> NumberToken? { numbers.token(for: id) }

    /// Whether token `id` is written `<\w+>` — a property tag such as `<qed>` (the shipped vocabularies also
    /// contain such tokens that are not properties, e.g. `<PAD>` or the reaction separator `<energy>`).
    public func isTag(_ id: Int32) -> Bool { tagNames[id] != nil }

    /// The name inside a `<name>` token (`qed` for `<qed>`), if token `id` is one.
    public func tagName(for id: Int32) -> String? { tagNames[id] }

    /// The ids of all `<\w+>` tokens, ascending.
    public var tagIDs: [Int32] { tagNames.keys.sorted() }

    /// A vocabulary with `newTokens` appended after the existing ones (tokens already present are skipped), so
    /// every existing token keeps its id.
    public func appending(_ newTokens: some Sequence<String>) -> Vocabulary {
        var all = tokens
        var seen = Set(tokens)
        for token in newTokens where seen.insert(token).inserted { all.append(token) }
        // Cannot fail: no duplicates, and the special tokens are already present.
        return (try? Vocabulary(tokens: all)) ?? self
    }

    /// `<\w+>` with ASCII word characters (or any non-ASCII character).
    static func isTag(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count >= 3, bytes.first == UInt8(ascii: "<"), bytes.last == UInt8(ascii: ">") else { return false }
        return bytes[1..<(bytes.count - 1)].allSatisfy(isWordByte)
    }
}

/// Number-token ids by digit and order, for lookups without strings.
private struct NumberTokenIDs: Sendable {
    static let minOrder = -64, maxOrder = 63
    private var digits = [Int32](repeating: -1, count: (maxOrder - minOrder + 1) * 10)
    private var plus: Int32 = -1, minus: Int32 = -1, point: Int32 = -1
    private var byID: [Int32: NumberToken] = [:]

    init(tokens: [String]) {
        for (id, text) in tokens.enumerated() {
            guard let token = NumberToken(text) else { continue }
            let id = Int32(id)
            switch token {
            case .sign(let negative):
                if negative { minus = id } else { plus = id }
            case .point:
                point = id
            case .digit(let digit, let order):
                guard order >= Self.minOrder, order <= Self.maxOrder else { continue }
                digits[(order - Self.minOrder) * 10 + Int(digit)] = id
            }
            byID[id] = token
        }
    }

    @inline(__always)
    func id(of token: NumberToken) -> Int32? {
        let id: Int32
        switch token {
        case .sign(let negative): id = negative ? minus : plus
        case .point: id = point
        case .digit(let digit, let order):
            guard order >= Self.minOrder, order <= Self.maxOrder, digit < 10 else { return nil }
            id = digits[(order - Self.minOrder) * 10 + Int(digit)]
        }
        return id < 0 ? nil : id
    }

    func token(for id: Int32) -> NumberToken? { byID[id] }
}
