import Foundation

/// Reading and writing training-config JSON files.
///
/// | key | meaning |
/// |---|---|
/// | `alternate_tasks` | true: alternate property prediction and generation (`task` is then ignored) |
/// | `task` | `proponly`, `gen_only`, `plm` (or `alternating`) |
/// | `property_tokens` | e.g. `["<qed>"]` (brackets optional) |
/// | `num_tokens_to_mask`, `mask_token_order` | property masking: tokens per property, offsets in order |
/// | `alternate_steps`, `cc_loss`, `cc_loss_weight` | the alternating scheme and the self-consistency loss |
/// | `cg_collator` | `vanilla_cg` or `multientity_cg` |
/// | `cg_collator_params` | `property_tokens`, `plm_probability`, `max_span_length`, `do_sample`, `property_value_ranges` (`[[lo, hi], …]` in `property_tokens` order, or `{"<p>": [lo, hi]}`), `entity_separator_token`, `entity_to_mask`, `mask_entity_separator` |
/// | `checkpoint-str` | which checkpoint is `best`: `best` (training loss), `rmse`, `pearson`, `spearman` |
/// | `plm_probability`, `max_span_length` | the `plm` task's collator |
/// | `number_token_loss`, `number_token_loss_weight` | `wasserstein`, `mse` or `none` (default), and λ (0.3): the Number Token Loss on property-prediction steps (not in the original) |
/// | `learning_rate`, `per_device_train_batch_size` (`per_gpu_train_batch_size`, `batch_size`), `num_train_epochs`, `max_steps`, `warmup_steps`, `gradient_accumulation_steps`, `max_grad_norm`, `weight_decay`, `adam_beta1`, `adam_beta2`, `adam_epsilon`, `logging_steps`, `eval_steps`, `save_steps`, `seed`, `block_size` | as HuggingFace's `TrainingArguments` |
/// | `reset_training_loss`, `eval_accumulation_steps` | accepted for compatibility; no effect (a fine-tuning run never inherits a loss history here, and evaluation is not accumulated) |
///
/// With neither `alternate_tasks` nor `task` the task is `alternating` when property tokens are given, else
/// `plm` (the original raises a `KeyError`, docs/training.md §12). Any other key — at the top level or in
/// `cg_collator_params` — is an error naming it (the original silently ignored unknown collator parameters), as
/// is an unknown collator or task, or a value of the wrong type.
extension TrainingConfiguration {
    static let topLevelKeys: Set<String> = [
        "alternate_tasks", "task", "property_tokens", "num_tokens_to_mask", "mask_token_order", "alternate_steps",
        "cc_loss", "cc_loss_weight", "cg_collator", "cg_collator_params", "checkpoint-str", "reset_training_loss",
        "plm_probability", "max_span_length", "learning_rate", "per_device_train_batch_size",
        "per_gpu_train_batch_size", "batch_size", "num_train_epochs", "max_steps", "warmup_steps",
        "gradient_accumulation_steps", "max_grad_norm", "weight_decay", "adam_beta1", "adam_beta2", "adam_epsilon",
        "logging_steps", "eval_steps", "save_steps", "seed", "block_size", "eval_accumulation_steps",
        "number_token_loss", "number_token_loss_weight",
    ]
    static let generationKeys: Set<String> = [
        "property_tokens", "plm_probability", "max_span_length", "do_sample", "property_value_ranges",
        "entity_separator_token", "entity_to_mask", "mask_entity_separator",
    ]

    /// Reads a training-config object (see the table above) on top of the defaults.
    /// - Throws: `TrainingConfigurationError` naming `path` and the key.
    public init(json: [String: JSONValue], path: String? = nil) throws {
        self.init()
        let reader = JSONReader(object: json, path: path, prefix: "")
        try reader.rejectUnknownKeys(Self.topLevelKeys)

        if let names = try reader.strings("property_tokens") { properties = try names.map { try reader.propertyName($0, key: "property_tokens") } }
        if try reader.bool("alternate_tasks") == true {
            task = .alternating
        } else if let name = try reader.string("task") {
            guard let t = Task(rawValue: name) else {
                throw reader.fail("task", "unknown task '\(name)' (expected proponly, gen_only, plm or alternating)")
            }
            task = t
        } else {
            task = properties.isEmpty ? .plm : .alternating
        }
        if let counts = try reader.integers("num_tokens_to_mask") { tokensToMask = counts }
        if let orders = try reader.integerLists("mask_token_order") { maskingOrders = orders }
        if let n = try reader.int("alternate_steps") { alternateSteps = n }
        if let b = try reader.bool("cc_loss") { selfConsistency = b }
        if let w = try reader.double("cc_loss_weight") { selfConsistencyWeight = w }
        if let name = try reader.string("number_token_loss"), name != "none" {
            guard let kind = NumberTokenLoss.Kind(rawValue: name) else {
                throw reader.fail("number_token_loss", "unknown loss '\(name)' (expected wasserstein, mse or none)")
            }
            numberTokenLoss = kind
        }
        if let w = try reader.double("number_token_loss_weight") { numberTokenLossWeight = w }
        if let name = try reader.string("cg_collator") {
            guard let kind = Generation.Kind(rawValue: name) else {
                throw reader.fail("cg_collator", "unknown collator '\(name)' (expected vanilla_cg or multientity_cg)")
            }
            generation.kind = kind
        }
        if let params = try reader.object("cg_collator_params") {
            let p = JSONReader(object: params, path: path, prefix: "cg_collator_params.")
            try p.rejectUnknownKeys(Self.generationKeys)
            if let names = try p.strings("property_tokens") {
                generation.properties = try names.map { try p.propertyName($0, key: "property_tokens") }
            }
            if let x = try p.double("plm_probability") { generation.probability = x }
            if let n = try p.int("max_span_length") { generation.maxSpanLength = n }
            if let b = try p.bool("do_sample") { generation.samplesPrimers = b }
            if let ranges = params["property_value_ranges"], ranges != .null {
                generation.ranges = try p.ranges(ranges, properties: generation.properties ?? properties)
            }
            if let s = try p.string("entity_separator_token") { generation.entitySeparator = s }
            if let k = try p.int("entity_to_mask") {
                guard k >= -1 else { throw p.fail("entity_to_mask", "must be -1 (random) or ≥ 0, not \(k)") }
                generation.entityToMask = k == -1 ? nil : k
            }
            if let b = try p.bool("mask_entity_separator") { generation.masksEntitySeparator = b }
        }
        if let name = try reader.string("checkpoint-str") {
            guard let metric = BestMetric(rawValue: name) else {
                throw reader.fail("checkpoint-str", "unknown checkpoint kind '\(name)' (expected best, rmse, pearson or spearman)")
            }
            bestMetric = metric
        }
        _ = try reader.bool("reset_training_loss")
        _ = try reader.int("eval_accumulation_steps")
        if let x = try reader.double("plm_probability") { plmProbability = x }
        if let n = try reader.int("max_span_length") { plmMaxSpanLength = n }
        if let x = try reader.double("learning_rate") { learningRate = x }
        for key in ["per_device_train_batch_size", "per_gpu_train_batch_size", "batch_size"] {
            if let n = try reader.int(key) { batchSize = n }
        }
        if let x = try reader.double("num_train_epochs") { epochs = x }
        if let n = try reader.int("max_steps") { maxSteps = n > 0 ? n : nil }
        if let n = try reader.int("warmup_steps") { warmupSteps = n }
        if let n = try reader.int("gradient_accumulation_steps") { gradientAccumulationSteps = n }
        if let x = try reader.double("max_grad_norm") { maxGradientNorm = x }
        if let x = try reader.double("weight_decay") { weightDecay = x }
        if let x = try reader.double("adam_beta1") { adamBeta1 = x }
        if let x = try reader.double("adam_beta2") { adamBeta2 = x }
        if let x = try reader.double("adam_epsilon") { adamEpsilon = x }
        if let n = try reader.int("logging_steps") { loggingSteps = n }
        if let n = try reader.int("eval_steps") { evaluationSteps = n }
        if let n = try reader.int("save_steps") { saveSteps = n }
        if let n = try reader.int("seed") {
            guard n >= 0 else { throw reader.fail("seed", "must not be negative") }
            seed = UInt64(n)
        }
        if let n = try reader.int("block_size") { blockSize = n > 0 ? n : nil }
        do { try validate() } catch var error as TrainingConfigurationError {
            error.path = path
            throw error
        }
    }

    /// Reads a training-config file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingConfigurationError(path: url.path, "cannot read the file (\(error.localizedDescription))")
        }
        let object: [String: JSONValue]
        do { object = try JSONValue.parseObject(data, path: url.path) } catch let error as ModelFolderError {
            throw TrainingConfigurationError(path: url.path, error.message)
        }
        try self.init(json: object, path: url.path)
    }

    /// The configuration as a training-config object (every key written, property tokens with brackets), so a
    /// run's resolved settings can be read back with `init(json:)`.
    public var json: [String: JSONValue] {
        var o: [String: JSONValue] = [:]
        o["alternate_tasks"] = .bool(task == .alternating)
        if task != .alternating { o["task"] = .string(task.rawValue) }
        o["property_tokens"] = .array(properties.map { .string("<\($0)>") })
        if let counts = tokensToMask { o["num_tokens_to_mask"] = .array(counts.map(JSONValue.integer)) }
        if let orders = maskingOrders { o["mask_token_order"] = .array(orders.map { .array($0.map(JSONValue.integer)) }) }
        o["alternate_steps"] = .integer(alternateSteps)
        o["cc_loss"] = .bool(selfConsistency)
        o["cc_loss_weight"] = .number(selfConsistencyWeight)
        o["cg_collator"] = .string(generation.kind.rawValue)
        var p: [String: JSONValue] = [
            "plm_probability": .number(generation.probability),
            "max_span_length": .integer(generation.maxSpanLength),
            "do_sample": .bool(generation.samplesPrimers),
        ]
        if let names = generation.properties { p["property_tokens"] = .array(names.map { .string("<\($0)>") }) }
        if let ranges = generation.ranges {
            p["property_value_ranges"] = .object(Dictionary(uniqueKeysWithValues: ranges.map {
                ("<\($0.key)>", JSONValue.array([.number($0.value.lowerBound), .number($0.value.upperBound)]))
            }))
        }
        if generation.kind == .multiEntity {
            p["entity_separator_token"] = .string(generation.entitySeparator)
            p["entity_to_mask"] = .integer(generation.entityToMask ?? -1)
            p["mask_entity_separator"] = .bool(generation.masksEntitySeparator)
        }
        o["cg_collator_params"] = .object(p)
        if let bestMetric { o["checkpoint-str"] = .string(bestMetric.rawValue) }
        o["plm_probability"] = .number(plmProbability)
        // Written only when used, so the files (and run fingerprints) of runs without it stay as they were.
        if let numberTokenLoss {
            o["number_token_loss"] = .string(numberTokenLoss.rawValue)
            o["number_token_loss_weight"] = .number(numberTokenLossWeight)
        }
        o["max_span_length"] = .integer(plmMaxSpanLength)
        o["learning_rate"] = .number(learningRate)
        o["per_device_train_batch_size"] = .integer(batchSize)
        o["num_train_epochs"] = .number(epochs)
        if let maxSteps { o["max_steps"] = .integer(maxSteps) }
        o["warmup_steps"] = .integer(warmupSteps)
        o["gradient_accumulation_steps"] = .integer(gradientAccumulationSteps)
        o["max_grad_norm"] = .number(maxGradientNorm)
        o["weight_decay"] = .number(weightDecay)
        o["adam_beta1"] = .number(adamBeta1)
        o["adam_beta2"] = .number(adamBeta2)
        o["adam_epsilon"] = .number(adamEpsilon)
        o["logging_steps"] = .integer(loggingSteps)
        o["eval_steps"] = .integer(evaluationSteps)
        o["save_steps"] = .integer(saveSteps)
        o["seed"] = .integer(Int(truncatingIfNeeded: seed))
        o["block_size"] = .integer(blockSize ?? 0)
        return o
    }

    /// The file text of `json`.
    public var fileContents: String {
        JSONValue.object(json).prettyPrinted(indent: 2, keyOrder: [
            "alternate_tasks", "task", "property_tokens", "num_tokens_to_mask", "mask_token_order", "alternate_steps",
            "cc_loss", "cc_loss_weight", "cg_collator", "cg_collator_params", "checkpoint-str",
        ])
    }
}

/// Typed access to one JSON object's keys, with errors naming the file and key.
struct JSONReader {
    let object: [String: JSONValue]
    let path: String?
    let prefix: String

    func fail(_ key: String, _ why: String) -> TrainingConfigurationError {
        TrainingConfigurationError(path: path, key: prefix + key, why)
    }

    func rejectUnknownKeys(_ known: Set<String>) throws {
        for key in object.keys.sorted() where !known.contains(key) {
            let close = known.filter { Self.distance($0, key) <= 2 }.sorted()
            let hint = close.isEmpty ? "" : " (did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?)"
            throw fail(key, "unknown key\(hint)")
        }
    }

    private func value(_ key: String) -> JSONValue? {
        guard let v = object[key], v != .null else { return nil }
        return v
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.boolValue else { throw fail(key, "expected true or false, found \(v)") }
        return b
    }

    func int(_ key: String) throws -> Int? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { throw fail(key, "expected an integer, found \(v)") }
        return i
    }

    func double(_ key: String) throws -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue else { throw fail(key, "expected a number, found \(v)") }
        return d
    }

    func string(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw fail(key, "expected a string, found \(v)") }
        return s
    }

    func object(_ key: String) throws -> [String: JSONValue]? {
        guard let v = value(key) else { return nil }
        guard case .object(let o) = v else { throw fail(key, "expected an object, found \(v)") }
        return o
    }

    func strings(_ key: String) throws -> [String]? {
        guard let v = value(key) else { return nil }
        if let s = v.stringValue { return [s] }
        guard case .array(let a) = v, let strings = Optional(a.compactMap(\.stringValue)), strings.count == a.count else {
            throw fail(key, "expected a list of strings, found \(v)")
        }
        return strings
    }

    func integers(_ key: String) throws -> [Int]? {
        guard let v = value(key) else { return nil }
        guard case .array(let a) = v, let ints = Optional(a.compactMap(\.intValue)), ints.count == a.count else {
            throw fail(key, "expected a list of integers, found \(v)")
        }
        return ints
    }

    func integerLists(_ key: String) throws -> [[Int]]? {
        guard let v = value(key) else { return nil }
        guard case .array(let outer) = v else { throw fail(key, "expected a list of lists of integers, found \(v)") }
        return try outer.map { inner in
            guard case .array(let a) = inner, let ints = Optional(a.compactMap(\.intValue)), ints.count == a.count else {
                throw fail(key, "expected a list of lists of integers, found \(v)")
            }
            return ints
        }
    }

    /// `<qed>` or `qed` → `qed`.
    func propertyName(_ token: String, key: String) throws -> String {
        var name = Substring(token)
        if name.hasPrefix("<") && name.hasSuffix(">") && name.count >= 3 { name = name.dropFirst().dropLast() }
        guard !name.isEmpty, name.utf8.allSatisfy({ isWordByte($0) && $0 < 0x80 }) else {
            throw fail(key, "'\(token)' is not a property token (<name> with letters, digits and '_')")
        }
        return String(name)
    }

    /// `[[lo, hi], …]` in property order, or `{"<p>": [lo, hi]}`.
    func ranges(_ v: JSONValue, properties: [String]) throws -> [String: ClosedRange<Double>] {
        let key = "property_value_ranges"
        func pair(_ p: JSONValue) throws -> ClosedRange<Double> {
            guard case .array(let a) = p, a.count == 2, let lo = a[0].doubleValue, let hi = a[1].doubleValue,
                  lo < hi, lo.isFinite, hi.isFinite else {
                throw fail(key, "each range must be [min, max] with min < max, found \(p)")
            }
            return lo...hi
        }
        switch v {
        case .array(let list):
            guard list.count == properties.count else {
                throw fail(key, "has \(list.count) ranges for \(properties.count) property tokens")
            }
            return Dictionary(uniqueKeysWithValues: try zip(properties, list).map { ($0, try pair($1)) })
        case .object(let o):
            return Dictionary(uniqueKeysWithValues: try o.map { (try propertyName($0.key, key: key), try pair($0.value)) })
        default:
            throw fail(key, "expected a list of [min, max] pairs or an object, found \(v)")
        }
    }

    /// Levenshtein distance (for "did you mean").
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
