/// Everything that decides a training run except the data and the model: the objectives and their collators,
/// optimisation, and the cadence of logging, evaluation and checkpoints.
///
/// It is read from a training-config JSON that accepts the original's keys (docs/training.md §12 —
/// `alternate_tasks`, `task`, `alternate_steps`, `cc_loss`, `cc_loss_weight`, `property_tokens`,
/// `num_tokens_to_mask`, `mask_token_order`, `cg_collator`, `cg_collator_params`, `checkpoint-str`,
/// `reset_training_loss`) plus the HuggingFace trainer arguments the original took on its command line
/// (`learning_rate`, `per_device_train_batch_size`, `num_train_epochs`, …); see
/// `TrainingConfiguration.init(json:path:)`. Command-line options of `rt train` override it.
public struct TrainingConfiguration: Equatable, Sendable {
    /// What is trained (the original's `alternate_tasks` / `task`).
    public enum Task: String, Sendable, CaseIterable {
        /// Property prediction and conditional generation, alternating every `alternateSteps` micro-batches
        /// (`alternate_tasks: true`, the RT recipe).
        case alternating
        /// Property prediction only (`task: "proponly"`).
        case propertyPrediction = "proponly"
        /// Conditional generation only, with HF's plain loss (`task: "gen_only"`; sample weights and the
        /// self-consistency loss do not apply, as in the original).
        case generation = "gen_only"
        /// Vanilla permutation language modelling (`task: "plm"`), e.g. for pre-training.
        case plm
    }

    /// The generation collator (`cg_collator`) and its parameters (`cg_collator_params`).
    public struct Generation: Equatable, Sendable {
        public enum Kind: String, Sendable, CaseIterable {
            /// `vanilla_cg`: spans of the whole sequence.
            case vanilla = "vanilla_cg"
            /// `multientity_cg`: spans of one entity (reactions).
            case multiEntity = "multientity_cg"
        }

        public var kind: Kind = .vanilla
        /// `property_tokens` of the collator (names without brackets); nil: the run's `properties`.
        public var properties: [String]? = nil
        /// `plm_probability` (default 1/6; QED config 0.4).
        public var probability: Double = 1.0 / 6
        /// `max_span_length` (default 5; QED config 12).
        public var maxSpanLength: Int = 5
        /// `do_sample`: prime with values drawn from `ranges` and weight the loss by their distance to the truth.
        public var samplesPrimers: Bool = false
        /// `property_value_ranges`, by name; nil: the training data's minimum and maximum.
        public var ranges: [String: ClosedRange<Double>]? = nil
        /// `entity_separator_token` (multi-entity only; default `.`).
        public var entitySeparator: String = "."
        /// `entity_to_mask`: nil (−1) draws the entity per batch.
        public var entityToMask: Int? = nil
        /// `mask_entity_separator`.
        public var masksEntitySeparator: Bool = false

        public init() {}
    }

    /// Which checkpoint is kept as `best` (`checkpoint-str`): the original's `best` is the lowest logged training
    /// loss; `rmse`, `pearson`, `spearman` are validation metrics of the first property (lowest RMSE, highest
    /// correlations). The original's Spearman checkpoints could never be written (docs/training.md §12); here they can.
    public enum BestMetric: String, Sendable, CaseIterable {
        case trainingLoss = "best"
        case rmse, pearson, spearman

        /// Whether a larger value is better.
        public var maximises: Bool { self == .pearson || self == .spearman }
    }

    // MARK: Objectives

    public var task: Task = .alternating
    /// The properties to predict (`property_tokens`, names without brackets, e.g. `qed`).
    public var properties: [String] = []
    /// `num_tokens_to_mask`, one per property (nil or −1: all value tokens).
    public var tokensToMask: [Int]? = nil
    /// `mask_token_order`, one order per property.
    public var maskingOrders: [[Int]]? = nil
    /// `alternate_steps`: micro-batches per objective phase (default 50, the shipped configs' value).
    public var alternateSteps: Int = 50
    /// `cc_loss`: add the self-consistency loss to generation steps (alternating mode).
    public var selfConsistency: Bool = false
    /// `cc_loss_weight` (α, default 1).
    public var selfConsistencyWeight: Double = 1
    public var generation = Generation()
    /// `plm_probability` / `max_span_length` of the vanilla PLM task (HF defaults 1/6 and 5).
    public var plmProbability: Double = 1.0 / 6
    public var plmMaxSpanLength: Int = 5
    /// `number_token_loss`: a regression-aware term on the digit tokens added to property-prediction steps
    /// (`NumberTokenLoss`); nil (`none`, the original's recipe): cross-entropy only.
    public var numberTokenLoss: NumberTokenLoss.Kind? = nil
    /// `number_token_loss_weight` (λ, default 0.3).
    public var numberTokenLossWeight: Double = 0.3

    // MARK: Optimisation (HF `Trainer` semantics)

    /// `learning_rate` (the README's 1e-4).
    public var learningRate: Double = 1e-4
    /// `per_device_train_batch_size` (16).
    public var batchSize: Int = 16
    /// `num_train_epochs` (HF default 3); ignored when `maxSteps` is set.
    public var epochs: Double = 3
    /// `max_steps`: optimizer steps to train for.
    public var maxSteps: Int? = nil
    /// `warmup_steps` of the linear schedule (0).
    public var warmupSteps: Int = 0
    /// `gradient_accumulation_steps` (1).
    public var gradientAccumulationSteps: Int = 1
    /// `max_grad_norm`: global-norm clipping (1.0).
    public var maxGradientNorm: Double = 1
    /// `weight_decay` (0), `adam_beta1/2`, `adam_epsilon`: HF's AdamW.
    public var weightDecay: Double = 0
    public var adamBeta1: Double = 0.9
    public var adamBeta2: Double = 0.999
    public var adamEpsilon: Double = 1e-8

    // MARK: Cadence

    /// `logging_steps`: optimizer steps per metrics line (100).
    public var loggingSteps: Int = 100
    /// `eval_steps`: optimizer steps between validations (500; validations also run at the end).
    public var evaluationSteps: Int = 500
    /// `save_steps`: optimizer steps between checkpoints (500; one is also written at the end).
    public var saveSteps: Int = 500
    /// `checkpoint-str`; nil: `rmse` with validation data, else `best` (training loss).
    public var bestMetric: BestMetric? = nil
    /// `seed` (42): fixes initialisation, data order, masking and dropout.
    public var seed: UInt64 = 42
    /// `block_size`: the most ids a sample may have, `[CLS]`/`[SEP]` included (510 in the original's README);
    /// longer samples are errors. nil: no limit.
    public var blockSize: Int? = 510

    public init() {}

    /// The QED recipe of the original (`training_configs/qed_alternated_cc.json`) for `properties`: alternating
    /// property prediction and generation every 50 steps, the self-consistency loss, `vanilla_cg` with
    /// probability 0.4 and spans of up to 12 tokens, no primer sampling.
    public static func alternatingRecipe(properties: [String]) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.task = .alternating
        c.properties = properties
        c.selfConsistency = true
        c.alternateSteps = 50
        c.generation.probability = 0.4
        c.generation.maxSpanLength = 12
        return c
    }

    /// The generation collator's properties.
    public var generationProperties: [String] { generation.properties ?? properties }

    /// Checks the settings that do not depend on data or model.
    /// - Throws: `TrainingConfigurationError` naming the offending key.
    public func validate() throws {
        func fail(_ key: String, _ why: String) -> TrainingConfigurationError { TrainingConfigurationError(key: key, why) }
        if task != .plm && properties.isEmpty {
            throw fail("property_tokens", "the \(task.rawValue) task needs at least one property token")
        }
        if let counts = tokensToMask, counts.count != properties.count {
            throw fail("num_tokens_to_mask", "has \(counts.count) entries for \(properties.count) property tokens")
        }
        if let orders = maskingOrders, orders.count != properties.count {
            throw fail("mask_token_order", "has \(orders.count) orders for \(properties.count) property tokens")
        }
        if alternateSteps < 1 { throw fail("alternate_steps", "must be at least 1, not \(alternateSteps)") }
        if gradientAccumulationSteps < 1 {
            throw fail("gradient_accumulation_steps", "must be at least 1, not \(gradientAccumulationSteps)")
        }
        if task == .alternating && alternateSteps % gradientAccumulationSteps != 0 {
            throw fail("alternate_steps", "\(alternateSteps) is not a multiple of gradient_accumulation_steps \(gradientAccumulationSteps), so an optimizer step would mix objectives")
        }
        if !(selfConsistencyWeight >= 0 && selfConsistencyWeight.isFinite) {
            throw fail("cc_loss_weight", "must be a non-negative number, not \(selfConsistencyWeight)")
        }
        if numberTokenLoss != nil && !(task == .alternating || task == .propertyPrediction) {
            throw fail("number_token_loss", "applies to property-prediction steps, which the \(task.rawValue) task has none of")
        }
        if !(numberTokenLossWeight >= 0 && numberTokenLossWeight.isFinite) {
            throw fail("number_token_loss_weight", "must be a non-negative number, not \(numberTokenLossWeight)")
        }
        for (key, p) in [("cg_collator_params.plm_probability", generation.probability), ("plm_probability", plmProbability)]
        where !(p > 0 && p <= 1) {
            throw fail(key, "must be in (0, 1], not \(p)")
        }
        for (key, n) in [("cg_collator_params.max_span_length", generation.maxSpanLength), ("max_span_length", plmMaxSpanLength)]
        where n < 1 {
            throw fail(key, "must be at least 1, not \(n)")
        }
        if let k = generation.entityToMask, k < 0 { throw fail("cg_collator_params.entity_to_mask", "must be -1 or ≥ 0, not \(k)") }
        if !(learningRate > 0 && learningRate.isFinite) { throw fail("learning_rate", "must be a positive number, not \(learningRate)") }
        if batchSize < 1 { throw fail("per_device_train_batch_size", "must be at least 1, not \(batchSize)") }
        if maxSteps == nil && !(epochs > 0 && epochs.isFinite) { throw fail("num_train_epochs", "must be positive, not \(epochs)") }
        if let m = maxSteps, m < 1 { throw fail("max_steps", "must be at least 1, not \(m)") }
        if warmupSteps < 0 { throw fail("warmup_steps", "must not be negative") }
        if !(maxGradientNorm > 0) { throw fail("max_grad_norm", "must be positive, not \(maxGradientNorm)") }
        if !(weightDecay >= 0) { throw fail("weight_decay", "must not be negative") }
        for (key, n) in [("logging_steps", loggingSteps), ("eval_steps", evaluationSteps), ("save_steps", saveSteps)] where n < 1 {
            throw fail(key, "must be at least 1, not \(n)")
        }
        if let b = blockSize, b < 4 { throw fail("block_size", "must be at least 4, not \(b)") }
    }
}

/// A training configuration that cannot be used: the file (when read from one), the key and why.
public struct TrainingConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String?
    public var key: String?
    public var message: String

    public init(path: String? = nil, key: String? = nil, _ message: String) {
        self.path = path
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = path.map { "\($0): " } ?? ""
        if let key { text += "key '\(key)': " }
        return text + message
    }
}
