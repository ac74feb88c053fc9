import Foundation

/// A model folder's `inference.json`, with GT4SD's keys (docs/model-folders.md §4): which properties the model
/// predicts, their value ranges, whether values are min-max normalised, and how many tokens a value has.
///
/// ```json
/// {"property_token": ["<qed>"], "property_ranges": {"<qed>": [0.0, 1.0]}, "normalize": [false],
///  "property_mask_length": {"<qed>": 6}, "max_span_length": 7, "example": "<qed>0.4068|[C][C][O]"}
/// ```
/// `property_token` may be one string or a list (GT4SD accepts both; a list is written). A missing range is
/// recorded as unknown (GT4SD assumes [0, 1]): value slots are then not narrowed by range, goals are not checked
/// against it, and the generation tolerance filter is off (with a warning). Keys this type does not interpret are kept in `otherKeys` and written back.
public struct InferenceConfiguration: Equatable, Sendable {
    /// One property the model handles.
    public struct Property: Equatable, Sendable {
        /// The property token, e.g. `<qed>`.
        public var token: String
        /// `property_ranges[token]`: the values' range in raw units (nil: not recorded; GT4SD assumes [0, 1]).
        public var range: ClosedRange<Double>?
        /// `normalize[i]`: values are stored min-max normalised to [0, 1] and mapped back with `range`.
        public var normalize: Bool
        /// `property_mask_length[token]`: the number of tokens of a value (`0.4068` → 6).
        public var maskLength: Int?

        public init(token: String, range: ClosedRange<Double>? = nil, normalize: Bool = false, maskLength: Int? = nil) {
            self.token = token
            self.range = range
            self.normalize = normalize
            self.maskLength = maskLength
        }
    }

    public var properties: [Property]
    /// `max_span_length` of the generation collator the model was trained with.
    public var maxSpanLength: Int?
    /// `example`: one training line.
    public var example: String?
    /// Keys this type does not interpret.
    public var otherKeys: [String: JSONValue]

    public init(properties: [Property], maxSpanLength: Int? = nil, example: String? = nil) {
        self.properties = properties
        self.maxSpanLength = maxSpanLength
        self.example = example
        self.otherKeys = [:]
    }

    static let keyOrder = ["property_token", "example", "property_ranges", "normalize", "max_span_length",
                           "property_mask_length"]

    /// Reads an `inference.json` object.
    /// - Throws: `ModelFolderError` naming `path` and the key for a missing `property_token` or values of the
    ///   wrong type or length.
    public init(json: [String: JSONValue], path: String) throws {
        func fail(_ key: String, _ why: String) -> ModelFolderError { ModelFolderError(path: path, "key '\(key)': \(why)") }
        let tokens: [String]
        switch json["property_token"] {
        case .string(let s)?: tokens = [s]
        case .array(let a)?:
            tokens = try a.map { v in
                guard let s = v.stringValue else { throw fail("property_token", "expected strings, found \(v)") }
                return s
            }
        case nil, .null?: throw fail("property_token", "missing (which properties does the model predict?)")
        case let v?: throw fail("property_token", "expected a string or a list of strings, found \(v)")
        }
        var ranges: [String: ClosedRange<Double>] = [:]
        if let v = json["property_ranges"], v != .null {
            guard case .object(let o) = v else { throw fail("property_ranges", "expected an object, found \(v)") }
            for (token, value) in o {
                guard case .array(let pair) = value, pair.count == 2, let lo = pair[0].doubleValue,
                      let hi = pair[1].doubleValue, lo <= hi else {
                    throw fail("property_ranges", "'\(token)' must be [min, max] with min ≤ max, found \(value)")
                }
                ranges[token] = lo...hi
            }
        }
        var normalize = [Bool](repeating: false, count: tokens.count)
        switch json["normalize"] {
        case nil, .null?: break
        case .bool(let b)?: normalize = [Bool](repeating: b, count: tokens.count)
        case .array(let a)?:
            guard a.count == tokens.count, a.allSatisfy({ $0.boolValue != nil }) else {
                throw fail("normalize", "expected \(tokens.count) booleans (one per property token), found \(JSONValue.array(a))")
            }
            normalize = a.map { $0.boolValue! }
        case let v?: throw fail("normalize", "expected a list of booleans, found \(v)")
        }
        var maskLengths: [String: Int] = [:]
        if let v = json["property_mask_length"], v != .null {
            guard case .object(let o) = v else { throw fail("property_mask_length", "expected an object, found \(v)") }
            for (token, value) in o {
                guard let n = value.intValue, n > 0 else {
                    throw fail("property_mask_length", "'\(token)' must be a positive integer, found \(value)")
                }
                maskLengths[token] = n
            }
        }
        properties = tokens.enumerated().map { i, t in
            Property(token: t, range: ranges[t], normalize: normalize[i], maskLength: maskLengths[t])
        }
        if let v = json["max_span_length"], v != .null {
            guard let n = v.intValue else { throw fail("max_span_length", "expected an integer, found \(v)") }
            maxSpanLength = n
        } else {
            maxSpanLength = nil
        }
        if let v = json["example"], v != .null {
            guard let s = v.stringValue else { throw fail("example", "expected a string, found \(v)") }
            example = s
        } else {
            example = nil
        }
        let interpreted: Set<String> = Set(Self.keyOrder)
        otherKeys = json.filter { !interpreted.contains($0.key) }
    }

    /// Reads `inference.json` at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelFolderError(path: url.path, "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(json: JSONValue.parseObject(data, path: url.path), path: url.path)
    }

    /// The property called `token` (e.g. `<qed>`), if the model has it.
    public func property(_ token: String) -> Property? { properties.first { $0.token == token } }

    /// The JSON object (GT4SD's keys).
    public var json: [String: JSONValue] {
        var o = otherKeys
        o["property_token"] = .array(properties.map { .string($0.token) })
        var ranges: [String: JSONValue] = [:]
        var lengths: [String: JSONValue] = [:]
        for p in properties {
            if let r = p.range { ranges[p.token] = .array([.number(r.lowerBound), .number(r.upperBound)]) }
            if let m = p.maskLength { lengths[p.token] = .integer(m) }
        }
        o["property_ranges"] = .object(ranges)
        o["normalize"] = .array(properties.map { .bool($0.normalize) })
        o["property_mask_length"] = .object(lengths)
        if let maxSpanLength { o["max_span_length"] = .integer(maxSpanLength) }
        if let example { o["example"] = .string(example) }
        return o
    }

    /// The file text.
    public var fileContents: String {
        JSONValue.object(json).prettyPrinted(indent: 2, keyOrder: Self.keyOrder)
    }
}
