import Foundation
import TensorIO
import Tensors

/// A JSON value, for the model folder's JSON files (`config.json`, `inference.json`), which carry keys this
/// implementation does not interpret and must write back unchanged.
///
/// Numbers keep their written form's kind: an integer literal decodes to `.integer`, anything else to `.number`
/// (so `1.0` stays a float and `507` an integer when written back).
public indirect enum JSONValue: Equatable, Sendable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else if let o = try? c.decode([String: JSONValue].self) { self = .object(o) }
        else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value") }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses a JSON document whose top level is an object.
    /// - Throws: `ModelFolderError` naming `path` when the text is not JSON or not an object.
    static func parseObject(_ data: Data, path: String) throws -> [String: JSONValue] {
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw ModelFolderError(path: path, "not valid JSON (\(Self.describe(error)))")
        }
        guard case .object(let object) = value else {
            throw ModelFolderError(path: path, "the top level must be a JSON object")
        }
        return object
    }

    static func describe(_ error: Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            return context.underlyingError.map { "\($0)" } ?? context.debugDescription
        }
        return "\(error)"
    }

    /// The value as a Double (integers included).
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// The value as an Int (floats with an integral value included, as Python's `int` fields may be written `2.0`).
    public var intValue: Int? {
        switch self {
        case .integer(let i): return i
        case .number(let d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Compact JSON text (object keys sorted).
    public var description: String { render(indent: nil, level: 0, keyOrder: []) }

    /// Pretty-printed JSON text: objects one key per line, indented by `indent` spaces; top-level keys in
    /// `keyOrder` first (in that order), then the others sorted. Nested arrays of scalars stay on one line.
    public func prettyPrinted(indent: Int = 2, keyOrder: [String] = []) -> String {
        render(indent: indent, level: 0, keyOrder: keyOrder) + "\n"
    }

    private func render(indent: Int?, level: Int, keyOrder: [String]) -> String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return Self.format(d)
        case .string(let s): return Self.quote(s)
        case .array(let a):
            let scalar = a.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            if indent == nil || scalar || a.isEmpty {
                return "[" + a.map { $0.render(indent: nil, level: 0, keyOrder: []) }.joined(separator: ", ") + "]"
            }
            let pad = String(repeating: " ", count: (indent ?? 0) * (level + 1))
            let close = String(repeating: " ", count: (indent ?? 0) * level)
            return "[\n" + a.map { pad + $0.render(indent: indent, level: level + 1, keyOrder: []) }
                .joined(separator: ",\n") + "\n" + close + "]"
        case .object(let o):
            if o.isEmpty { return "{}" }
            let known = keyOrder.filter { o[$0] != nil }
            let rest = o.keys.filter { !keyOrder.contains($0) }.sorted()
            let keys = known + rest
            guard let indent else {
                return "{" + keys.map { Self.quote($0) + ": " + o[$0]!.render(indent: nil, level: 0, keyOrder: []) }
                    .joined(separator: ", ") + "}"
            }
            let pad = String(repeating: " ", count: indent * (level + 1))
            let close = String(repeating: " ", count: indent * level)
            return "{\n" + keys.map { pad + Self.quote($0) + ": " + o[$0]!.render(indent: indent, level: level + 1, keyOrder: []) }
                .joined(separator: ",\n") + "\n" + close + "}"
        }
    }

    /// Shortest round-tripping decimal, always with a fraction or exponent (`1.0`, `1e-12`), as Python writes
    /// floats; non-finite values (not valid JSON) are written as Python does (`NaN`, `Infinity`).
    static func format(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        var s = "\(d)"
        if !s.contains(".") && !s.contains("e") { s += ".0" }
        return s
    }

    /// A JSON string literal (the one writer in `Tensors.JSONText`).
    static func quote(_ text: String) -> String { JSONText.quoted(text) }
}
