import Foundation

/// The network's hyper-parameters as a model folder's `config.json` stores them: HuggingFace `XLNetConfig` keys
/// plus the RT's numerical-encoding keys (docs/xlnet.md §1, docs/rt-text-format.md §7) and the sequence `language`.
///
/// Only what the RT's XLNet uses is interpreted; every other key (`summary_*`, `start_n_top`,
/// `task_specific_params`, …) is kept verbatim in `otherKeys` and written back unchanged. Supported: `attn_type`
/// "bi", `bi_data` false, `ff_activation` "gelu" (exact erf form). `mem_len`, `reuse_len`, `same_length` and the
/// `use_mems_*` flags only concern memories, which the RT never feeds back, and are ignored. `untie_r` is
/// ignored too: PyTorch XLNet always has per-layer `r_w_bias`/`r_r_bias`.
public struct XLNetConfiguration: Equatable, Sendable {
    /// `vocab_size` (V).
    public var vocabularySize: Int
    /// `d_model` (d).
    public var modelDimension: Int
    /// `n_layer` (N).
    public var layerCount: Int
    /// `n_head` (H).
    public var headCount: Int
    /// `d_inner`: width of the feed-forward layer.
    public var innerDimension: Int
    /// `dropout`: the one rate used at every dropout site (docs/xlnet.md §5).
    public var dropout: Double
    /// `layer_norm_eps` (1e-12 in XLNet, not PyTorch's 1e-5).
    public var layerNormEpsilon: Double
    /// `initializer_range`: std of the normal initialisation (docs/xlnet.md §2.3).
    public var initializerRange: Double
    /// `clamp_len`: relative positions are clamped to ±clamp_len when it is positive.
    public var clampLength: Int
    /// `pad_token_id`, `bos_token_id`, `eos_token_id` (carried for HF; the RT finds its specials in the vocabulary).
    public var padTokenID: Int?, bosTokenID: Int?, eosTokenID: Int?
    /// The numerical encodings (`use_numerical_encodings` and `numerical_encodings_*`, `vmax`); nil when off.
    public var numericalEncodings: NumericalEncodingConfiguration?
    /// `language`: how the sequence part of RT lines is tokenized (the original never stored it; docs/rt-text-format.md §3).
    public var language: SequenceLanguage?
    /// Keys this type does not interpret, written back as they were read.
    public var otherKeys: [String: JSONValue]

    /// `d_head` = d / H.
    public var headDimension: Int { modelDimension / headCount }

    /// A configuration with HF's defaults for everything not given (dropout 0.1, eps 1e-12, init 0.02).
    public init(vocabularySize: Int, modelDimension: Int, layerCount: Int, headCount: Int, innerDimension: Int,
                dropout: Double = 0.1, layerNormEpsilon: Double = 1e-12, initializerRange: Double = 0.02,
                clampLength: Int = -1, numericalEncodings: NumericalEncodingConfiguration? = nil,
                language: SequenceLanguage? = nil) {
        self.vocabularySize = vocabularySize
        self.modelDimension = modelDimension
        self.layerCount = layerCount
        self.headCount = headCount
        self.innerDimension = innerDimension
        self.dropout = dropout
        self.layerNormEpsilon = layerNormEpsilon
        self.initializerRange = initializerRange
        self.clampLength = clampLength
        self.padTokenID = 0
        self.bosTokenID = 14
        self.eosTokenID = 14
        self.numericalEncodings = numericalEncodings
        self.language = language
        self.otherKeys = ["model_type": .string("xlnet"), "architectures": .array([.string("XLNetLMHeadModel")])]
    }

    /// The RT's `configs/rt_small.json` shape: d 256, 16 heads, d_inner 1024, 32 layers, dropout 0.2, float `sum`
    /// numerical encodings with vmax 1.
    public static func rtSmall(vocabularySize: Int, language: SequenceLanguage? = .selfies) -> XLNetConfiguration {
        XLNetConfiguration(vocabularySize: vocabularySize, modelDimension: 256, layerCount: 32, headCount: 16,
                           innerDimension: 1024, dropout: 0.2,
                           numericalEncodings: NumericalEncodingConfiguration(kind: .float, format: .sum, dimension: 16, vmax: 1),
                           language: language)
    }

    /// Checks the invariants every part of the model relies on.
    /// - Throws: `ModelFolderError` naming `path` and the offending key.
    public func validate(path: String = "config.json") throws {
        func fail(_ key: String, _ why: String) -> ModelFolderError { ModelFolderError(path: path, "key '\(key)': \(why)") }
        for (key, value) in [("vocab_size", vocabularySize), ("d_model", modelDimension), ("n_layer", layerCount),
                             ("n_head", headCount), ("d_inner", innerDimension)] where value <= 0 {
            throw fail(key, "must be a positive integer, not \(value)")
        }
        // Bounds far above any XLNet (xlnet-large: 24 layers, d_model 1024, d_inner 4096, 32,000 tokens), so that a
        // damaged or hostile config.json is an error instead of an attempt to allocate terabytes.
        for (key, value, limit) in [("vocab_size", vocabularySize, 1 << 24), ("d_model", modelDimension, 1 << 16),
                                    ("n_layer", layerCount, 1 << 12), ("n_head", headCount, 1 << 12),
                                    ("d_inner", innerDimension, 1 << 20)] where value > limit {
            throw fail(key, "\(value) is beyond the supported maximum of \(limit)")
        }
        guard modelDimension % headCount == 0 else {
            throw fail("n_head", "\(headCount) does not divide d_model \(modelDimension)")
        }
        guard modelDimension % 2 == 0 else { throw fail("d_model", "must be even (sin/cos halves), not \(modelDimension)") }
        guard dropout >= 0 && dropout < 1 else { throw fail("dropout", "must be in [0, 1), not \(dropout)") }
        guard layerNormEpsilon > 0, layerNormEpsilon.isFinite else {
            throw fail("layer_norm_eps", "must be a positive number, not \(layerNormEpsilon)")
        }
        guard initializerRange >= 0, initializerRange.isFinite else {
            throw fail("initializer_range", "must be a non-negative number, not \(initializerRange)")
        }
        if let ne = numericalEncodings {
            if ne.format == .concat {
                guard ne.dimension > 0, ne.dimension % 2 == 0, ne.dimension <= modelDimension else {
                    throw fail("numerical_encodings_dim", "must be even and in 2...\(modelDimension) for 'concat', not \(ne.dimension)")
                }
            }
            if let vmax = ne.vmax, !(vmax > 0 && vmax.isFinite) {
                throw fail("vmax", "must be a positive number, not \(vmax)")
            }
        }
    }

    // MARK: - config.json

    /// The keys this type interprets, in the order HF writes them (RT keys last).
    static let keyOrder = [
        "vocab_size", "d_model", "n_layer", "n_head", "d_head", "d_inner", "ff_activation", "untie_r", "attn_type",
        "initializer_range", "layer_norm_eps", "dropout", "mem_len", "reuse_len", "use_mems_eval", "use_mems_train",
        "bi_data", "clamp_len", "same_length", "summary_type", "summary_use_proj", "summary_activation",
        "summary_last_dropout", "start_n_top", "end_n_top", "pad_token_id", "bos_token_id", "eos_token_id",
        "tie_word_embeddings", "architectures", "model_type", "transformers_version", "language",
        "use_numerical_encodings", "numerical_encodings_type", "numerical_encodings_format",
        "numerical_encodings_dim", "vmax",
    ]

    /// Reads a `config.json` object.
    /// - Throws: `ModelFolderError` naming `path` and the key for a missing size key, a value of the wrong type,
    ///   an unsupported setting (`attn_type` "uni", `bi_data` true, another activation) or inconsistent values
    ///   (`d_head` ≠ `d_model / n_head`).
    public init(json: [String: JSONValue], path: String) throws {
        func fail(_ key: String, _ why: String) -> ModelFolderError { ModelFolderError(path: path, "key '\(key)': \(why)") }
        func int(_ key: String) throws -> Int? {
            guard let v = json[key], v != .null else { return nil }
            guard let i = v.intValue else { throw fail(key, "expected an integer, found \(v)") }
            return i
        }
        func required(_ key: String) throws -> Int {
            guard let i = try int(key) else { throw fail(key, "missing (the model's size cannot be guessed)") }
            return i
        }
        func float(_ key: String, _ fallback: Double) throws -> Double {
            guard let v = json[key], v != .null else { return fallback }
            guard let d = v.doubleValue else { throw fail(key, "expected a number, found \(v)") }
            return d
        }
        func bool(_ key: String, _ fallback: Bool) throws -> Bool {
            guard let v = json[key], v != .null else { return fallback }
            guard let b = v.boolValue else { throw fail(key, "expected true or false, found \(v)") }
            return b
        }
        func string(_ key: String) throws -> String? {
            guard let v = json[key], v != .null else { return nil }
            guard let s = v.stringValue else { throw fail(key, "expected a string, found \(v)") }
            return s
        }
        vocabularySize = try required("vocab_size")
        modelDimension = try required("d_model")
        layerCount = try required("n_layer")
        headCount = try required("n_head")
        innerDimension = try required("d_inner")
        dropout = try float("dropout", 0.1)
        layerNormEpsilon = try float("layer_norm_eps", 1e-12)
        initializerRange = try float("initializer_range", 0.02)
        clampLength = try int("clamp_len") ?? -1
        padTokenID = try int("pad_token_id")
        bosTokenID = try int("bos_token_id")
        eosTokenID = try int("eos_token_id")
        if headCount > 0, let dHead = try int("d_head"), dHead * headCount != modelDimension {
            throw fail("d_head", "\(dHead) but d_model \(modelDimension) / n_head \(headCount) = \(modelDimension / headCount)")
        }
        if let attention = try string("attn_type"), attention != "bi" {
            throw fail("attn_type", "'\(attention)' is not supported (the RT uses bidirectional attention, 'bi')")
        }
        if try bool("bi_data", false) {
            throw fail("bi_data", "true is not supported (the RT uses a single attention direction)")
        }
        if let activation = try string("ff_activation"), activation != "gelu" {
            throw fail("ff_activation", "'\(activation)' is not supported (the RT uses exact GELU, 'gelu')")
        }
        if let name = try string("language") {
            guard let l = SequenceLanguage(name: name) else {
                throw fail("language", "unknown sequence language '\(name)' (expected one of "
                           + SequenceLanguage.allCases.map(\.name).joined(separator: ", ") + ")")
            }
            language = l
        } else {
            language = nil
        }
        if try bool("use_numerical_encodings", false) {
            var ne = NumericalEncodingConfiguration()
            if let kind = try string("numerical_encodings_type") {
                guard let k = NumericalEncodingConfiguration.Kind(rawValue: kind) else {
                    throw fail("numerical_encodings_type", "'\(kind)' (expected 'float' or 'int')")
                }
                ne.kind = k
            }
            if let format = try string("numerical_encodings_format") {
                guard let f = NumericalEncodingConfiguration.Format(rawValue: format) else {
                    throw fail("numerical_encodings_format", "'\(format)' (expected 'sum' or 'concat')")
                }
                ne.format = f
            }
            ne.dimension = try int("numerical_encodings_dim") ?? 16
            if let v = json["vmax"], v != .null {
                guard let d = v.doubleValue else { throw fail("vmax", "expected a number, found \(v)") }
                ne.vmax = d
            }
            numericalEncodings = ne
        } else {
            numericalEncodings = nil
        }
        let interpreted: Set<String> = [
            "vocab_size", "d_model", "n_layer", "n_head", "d_head", "d_inner", "dropout", "layer_norm_eps",
            "attn_type", "bi_data", "ff_activation",
            "initializer_range", "clamp_len", "pad_token_id", "bos_token_id", "eos_token_id", "language",
            "use_numerical_encodings", "numerical_encodings_type", "numerical_encodings_format",
            "numerical_encodings_dim", "vmax",
        ]
        otherKeys = json.filter { !interpreted.contains($0.key) }
        try validate(path: path)
    }

    /// Reads and validates `config.json` at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelFolderError(path: url.path, "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(json: JSONValue.parseObject(data, path: url.path), path: url.path)
    }

    /// The `config.json` object: the other keys as read, the interpreted ones as they are now. `d_head`,
    /// `attn_type`, `ff_activation` and `bi_data` are written explicitly so that HuggingFace reads the same model.
    public var json: [String: JSONValue] {
        var o = otherKeys
        o["vocab_size"] = .integer(vocabularySize)
        o["d_model"] = .integer(modelDimension)
        o["n_layer"] = .integer(layerCount)
        o["n_head"] = .integer(headCount)
        o["d_head"] = .integer(headDimension)
        o["d_inner"] = .integer(innerDimension)
        o["ff_activation"] = .string("gelu")
        o["attn_type"] = .string("bi")
        o["bi_data"] = .bool(false)
        o["dropout"] = .number(dropout)
        o["layer_norm_eps"] = .number(layerNormEpsilon)
        o["initializer_range"] = .number(initializerRange)
        o["clamp_len"] = .integer(clampLength)
        o["pad_token_id"] = padTokenID.map(JSONValue.integer) ?? .null
        o["bos_token_id"] = bosTokenID.map(JSONValue.integer) ?? .null
        o["eos_token_id"] = eosTokenID.map(JSONValue.integer) ?? .null
        if let language { o["language"] = .string(language.name) }
        if let ne = numericalEncodings {
            o["use_numerical_encodings"] = .bool(true)
            o["numerical_encodings_type"] = .string(ne.kind.rawValue)
            o["numerical_encodings_format"] = .string(ne.format.rawValue)
            o["numerical_encodings_dim"] = .integer(ne.dimension)
            o["vmax"] = ne.vmax.map(JSONValue.number) ?? .null
        } else {
            o["use_numerical_encodings"] = .bool(false)
        }
        return o
    }

    /// The file text (pretty-printed, keys in HF's order).
    public var fileContents: String {
        JSONValue.object(json).prettyPrinted(indent: 2, keyOrder: Self.keyOrder)
    }
}
