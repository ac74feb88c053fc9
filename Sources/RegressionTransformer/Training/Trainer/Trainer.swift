import Foundation
import Tensors

/// What one optimizer step did.
public struct StepReport: Sendable {
    /// Optimizer steps done, this one included.
    public var step: Int
    public var objective: TrainingObjective
    /// This step's losses (averaged over its micro-batches): `loss` (what was minimised), and per part `pp`,
    /// `cg`, `sc`, `plm`.
    public var losses: [String: Double]
    /// The learning rate the step used.
    public var learningRate: Double
    /// The global gradient norm before clipping.
    public var gradientNorm: Double
    /// Non-padding tokens and padded positions (`B·L`) of the step's main batches.
    public var tokens: Int
    public var positions: Int
}

/// A training run failed for a reason that is not bad input (e.g. the loss diverged).
public struct TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The RT's trainer (docs/training.md §9): objectives per micro-batch, gradient accumulation, AdamW with
/// HuggingFace's update and linear warmup/decay, global-norm clipping at `max_grad_norm`.
///
/// One optimizer step = `gradient_accumulation_steps` micro-batches, each of `batchSize` samples taken in the
/// epoch's shuffled order (the last micro-batch of an epoch may be smaller; accumulation runs across epoch
/// boundaries). Per micro-batch `m` with objective from `ObjectiveSchedule`:
///
/// * property prediction / PLM / `gen_only`: collate, forward (dropout on), HF's mean loss, backward;
/// * generation in alternating mode: collate, forward, `L_CG` (`ObjectiveLosses.generationLoss`), backward; with
///   `cc_loss`, the greedy generation fills the masks, the property collator masks the primer's digits again, a
///   second forward (dropout on) gives `L_SC`, and `α·L_SC` is back-propagated — through that second pass only:
///   the generation is a constant (`argmax`), so the first pass gets gradient from `L_CG` alone (docs/training.md §7).
///
/// Each micro-batch's loss is divided by the accumulation count before backward. Then: clip the global gradient
/// norm, `AdamW.step` at `lr · factor(t)` (`LinearWarmupDecay`, `t` = steps done), zero the gradients.
///
/// All randomness comes from `RunRandomness` and the counters in `state`, so `state` + weights + optimizer
/// moments are a complete checkpoint: N steps, save, resume, N steps is bit-identical to 2N steps.
public final class Trainer {
    public let model: XLNetModel
    public let vocabulary: Vocabulary
    public let configuration: TrainingConfiguration
    public let training: TokenizedDataset
    public let validation: TokenizedDataset?
    public let optimizer: AdamW
    public let learningRateSchedule: LinearWarmupDecay
    public let objectives: ObjectiveSchedule
    public internal(set) var state: TrainerState
    let randomness: RunRandomness
    let propertyCollator: PropertyCollator?
    let generationCollator: (any Collator)?
    let plmCollator: PLMCollator?
    let selfConsistencyCollator: PropertyCollator?
    let numberTokenLoss: NumberTokenLoss?
    private var epochOrder: (epoch: Int, order: [Int])?

    /// - Throws: `TrainingConfigurationError` / `CollatorError` when the configuration does not fit the
    ///   vocabulary (e.g. a property token it lacks), `TrainingError` for an empty training set.
    public init(model: XLNetModel, vocabulary: Vocabulary, configuration: TrainingConfiguration,
                training: TokenizedDataset, validation: TokenizedDataset? = nil) throws {
        try configuration.validate()
        guard training.count > 0 else { throw TrainingError("the training data has no samples") }
        guard vocabulary.count == model.configuration.vocabularySize else {
            throw TrainingError("the vocabulary has \(vocabulary.count) tokens, the model \(model.configuration.vocabularySize)")
        }
        let c = configuration
        self.model = model
        self.vocabulary = vocabulary
        self.configuration = c
        self.training = training
        self.validation = validation.flatMap { $0.count > 0 ? $0 : nil }
        randomness = RunRandomness(seed: c.seed)
        objectives = ObjectiveSchedule(task: c.task, alternateSteps: c.alternateSteps)
        let usesProperties = c.task == .alternating || c.task == .propertyPrediction
        let usesGeneration = c.task == .alternating || c.task == .generation
        propertyCollator = usesProperties
            ? try PropertyCollator(vocabulary: vocabulary, targets: c.properties.enumerated().map { i, name in
                .init(name: name, count: c.tokensToMask?[i], order: c.maskingOrders?[i]) })
            : nil
        generationCollator = usesGeneration ? try Self.generationCollator(c, vocabulary: vocabulary, training: training) : nil
        plmCollator = c.task == .plm
            ? try PLMCollator(vocabulary: vocabulary, probability: c.plmProbability, maxSpanLength: c.plmMaxSpanLength)
            : nil
        selfConsistencyCollator = c.task == .alternating && c.selfConsistency
            ? try PropertyCollator(vocabulary: vocabulary, properties: c.generationProperties) : nil
        numberTokenLoss = c.numberTokenLoss.map { NumberTokenLoss(kind: $0, weight: c.numberTokenLossWeight, vocabulary: vocabulary) }
        optimizer = AdamW(parameters: model.parameters, configuration: .init(
            learningRate: c.learningRate, beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEpsilon,
            weightDecay: c.weightDecay, variant: .huggingface))
        let micro = (training.count + c.batchSize - 1) / c.batchSize
        let perEpoch = max(1, micro / c.gradientAccumulationSteps)
        let total = c.maxSteps ?? max(1, Int((Double(perEpoch) * c.epochs).rounded(.down)))
        learningRateSchedule = LinearWarmupDecay(baseLearningRate: c.learningRate, warmupSteps: c.warmupSteps,
                                                 totalSteps: total)
        state = TrainerState(totalSteps: total, seed: c.seed,
                             fingerprint: Self.fingerprint(c, vocabulary: vocabulary, training: training,
                                                           validation: self.validation))
    }

    /// The generation collator of the configuration; primer ranges default to the training data's.
    static func generationCollator(_ c: TrainingConfiguration, vocabulary: Vocabulary, training: TokenizedDataset)
        throws -> any Collator
    {
        let g = c.generation
        var sampling: PrimerSampling?
        if g.samplesPrimers {
            var ranges: [String: ClosedRange<Double>] = [:]
            for name in c.generationProperties {
                if let r = g.ranges?[name] {
                    ranges[name] = r
                } else if let s = training.statistics(of: name), s.minimum < s.maximum {
                    ranges[name] = s.minimum...s.maximum
                } else {
                    throw TrainingConfigurationError(key: "cg_collator_params.property_value_ranges",
                                                     "do_sample needs a range for <\(name)>, and the training data has no spread of it")
                }
            }
            sampling = PrimerSampling(ranges: ranges)
        }
        switch g.kind {
        case .vanilla:
            return try GenerationCollator(vocabulary: vocabulary, properties: c.generationProperties,
                                          probability: g.probability, maxSpanLength: g.maxSpanLength, sampling: sampling)
        case .multiEntity:
            return try MultiEntityCollator(vocabulary: vocabulary, properties: c.generationProperties,
                                           probability: g.probability, maxSpanLength: g.maxSpanLength,
                                           sampling: sampling, separatorToken: g.entitySeparator,
                                           entityToMask: g.entityToMask, masksEntitySeparator: g.masksEntitySeparator)
        }
    }

    /// Micro-batches in one pass over the training data.
    public var microBatchesPerEpoch: Int { (training.count + configuration.batchSize - 1) / configuration.batchSize }

    /// Whether the run has trained all its steps.
    public var isFinished: Bool { state.optimizerStep >= state.totalSteps }

    /// Restores a checkpoint's state (weights and optimizer moments are restored separately).
    /// - Throws: `TrainingError` when the state belongs to other data or settings.
    public func restore(_ saved: TrainerState) throws {
        guard saved.fingerprint == state.fingerprint else {
            throw TrainingError("the checkpoint was trained on other data, vocabulary or settings (fingerprint \(saved.fingerprint), this run \(state.fingerprint)); resume with the same data and training config")
        }
        var restored = saved
        restored.totalSteps = state.totalSteps
        state = restored
    }

    // MARK: - Training

    /// Trains one optimizer step.
    /// - Throws: `TrainingError` when the loss or the gradient is not finite; collator errors.
    public func step() throws -> StepReport {
        let c = configuration
        let accumulation = c.gradientAccumulationSteps
        var sums: [String: Double] = [:]
        var tokens = 0, positions = 0
        let objective = objectives.objective(forMicroStep: state.microStep)
        for _ in 0..<accumulation {
            let m = state.microStep
            let samples = nextSamples()
            let result = try microStep(objectives.objective(forMicroStep: m), samples: samples, index: m,
                                       scale: 1 / Float(accumulation))
            for (k, v) in result.losses { sums[k, default: 0] += v / Double(accumulation) }
            tokens += result.tokens
            positions += result.positions
            state.microStep += 1
            state.window.positions += result.positions
            state.window.tokens += result.tokens
            for (k, v) in result.losses { state.window.add(k, v) }
        }
        let norm = model.parameters.clipGradients(maxNorm: c.maxGradientNorm)
        guard norm.isFinite else {
            throw TrainingError("the gradient norm is \(norm) at step \(state.optimizerStep + 1); lower the learning rate or check the data")
        }
        let lr = learningRateSchedule.learningRate(afterSteps: state.optimizerStep)
        optimizer.step(learningRate: lr)
        model.parameters.zeroGradients()
        state.optimizerStep += 1
        state.tokensSeen += tokens
        state.window.steps += 1
        return StepReport(step: state.optimizerStep, objective: objective, losses: sums, learningRate: lr,
                          gradientNorm: norm, tokens: tokens, positions: positions)
    }

    /// The samples of the next micro-batch, advancing the epoch position.
    func nextSamples() -> [ArraySlice<Int32>] {
        let n = training.count, b = configuration.batchSize
        if epochOrder?.epoch != state.epoch { epochOrder = (state.epoch, randomness.order(epoch: state.epoch, count: n)) }
        let order = epochOrder!.order
        let start = state.batchInEpoch * b
        let samples = order[start..<min(start + b, n)].map { training[$0] }
        state.batchInEpoch += 1
        if state.batchInEpoch == microBatchesPerEpoch {
            state.epoch += 1
            state.batchInEpoch = 0
        }
        return samples
    }

    struct MicroResult {
        var losses: [String: Double]
        var tokens: Int
        var positions: Int
    }

    /// Forward and backward of one micro-batch; gradients accumulate in the parameters.
    func microStep(_ objective: TrainingObjective, samples: [ArraySlice<Int32>], index m: Int, scale: Float) throws
        -> MicroResult
    {
        var random = randomness.collation(m)
        let batch: CollatedBatch
        switch objective {
        case .propertyPrediction: batch = try propertyCollator!.collate(samples, random: &random)
        case .plm: batch = try plmCollator!.collate(samples, random: &random)
        case .generation: batch = try generationCollator!.collate(samples, random: &random)
        }
        var losses: [String: Double] = [:]
        let usesGenerationLoss = objective == .generation && configuration.task == .alternating
        let numberLoss = objective == .propertyPrediction ? numberTokenLoss : nil
        // With the Number Token Loss, `pp` stays the cross-entropy alone (comparable with runs without the term),
        // the term is logged as `ntl`, and `loss` has both.
        var parts: (crossEntropy: Double, numberLoss: Double)?
        let first = try pass(batch, index: m, dropoutPass: 0, scale: scale, keepPredictions: selfConsistencyCollator != nil && usesGenerationLoss) { logits, tape in
            if usesGenerationLoss { return try ObjectiveLosses.generationLoss(logits: logits, batch: batch, tape: tape) }
            let crossEntropy = try ObjectiveLosses.meanCrossEntropy(logits: logits, batch: batch, tape: tape)
            guard let numberLoss, let term = try numberLoss.loss(logits: logits, batch: batch, tape: tape) else { return crossEntropy }
            parts = (Double(crossEntropy.scalarValue), Double(term.scalarValue))
            return try tape.add(crossEntropy, tape.scale(term, Float(numberLoss.weight)))
        }
        losses[objective.rawValue] = parts?.crossEntropy ?? first.loss
        if let parts { losses["ntl"] = parts.numberLoss }
        var total = first.loss
        if usesGenerationLoss, let collator = selfConsistencyCollator, let predictions = first.predictions {
            let generated = SelfConsistency.generatedIDs(batch, predictions: predictions, maskID: vocabulary.specialIDs.mask)
            var scRandom = randomness.selfConsistency(m)
            let scBatch = SelfConsistency.batch(generated: generated, like: batch, collator: collator, random: &scRandom)
            let alpha = Float(configuration.selfConsistencyWeight)
            let second = try pass(scBatch, index: m, dropoutPass: 1, scale: scale * alpha, keepPredictions: false) { logits, tape in
                try ObjectiveLosses.selfConsistencyLoss(logits: logits, batch: scBatch, tape: tape)
            }
            losses["sc"] = second.loss
            total += Double(alpha) * second.loss
        }
        losses["loss"] = total
        return MicroResult(losses: losses, tokens: batch.realTokenCount, positions: batch.batchSize * batch.length)
    }

    /// One forward pass with dropout, its loss, and backward of `scale · loss`; returns the loss value and, when
    /// asked, the greedy prediction of every target row (taken before backward).
    func pass(_ batch: CollatedBatch, index m: Int, dropoutPass: UInt64, scale: Float, keepPredictions: Bool,
              loss: (Tensor, Tape) throws -> Tensor) throws -> (loss: Double, predictions: [Int32]?) {
        let tape = Tape()
        guard let logits = try model.targetLogits(batch, tape: tape, dropoutKey: randomness.dropout(m, pass: dropoutPass)) else {
            return (0, keepPredictions ? [] : nil)
        }
        let value = try loss(logits, tape)
        let predictions = keepPredictions ? ObjectiveLosses.argmax(logits) : nil
        let lossValue = Double(value.scalarValue)
        guard lossValue.isFinite else {
            throw TrainingError("the loss is \(lossValue) at step \(state.optimizerStep + 1) (micro-batch \(m)); lower the learning rate or check the data")
        }
        try tape.backward(tape.scale(value, scale))
        return (lossValue, predictions)
    }

    // MARK: - Fingerprint

    /// FNV-1a (64 bit) over the vocabulary, the training and validation ids, and the settings that change what a
    /// step computes (everything but the run length and the logging/evaluation/checkpoint cadence).
    static func fingerprint(_ c: TrainingConfiguration, vocabulary: Vocabulary, training: TokenizedDataset,
                            validation: TokenizedDataset?) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        func mix(_ value: Int64) { withUnsafeBytes(of: value.littleEndian) { $0.forEach(mix) } }
        func mix(_ text: String) { text.utf8.forEach(mix); mix(UInt8(0)) }
        vocabulary.tokens.forEach(mix)
        for dataset in [training, validation ?? TokenizedDataset()] {
            mix(Int64(dataset.count))
            dataset.ids.forEach { mix(Int64($0)) }
            dataset.offsets.forEach { mix(Int64($0)) }
        }
        var settings = c
        settings.maxSteps = nil
        settings.epochs = 1
        settings.loggingSteps = 1
        settings.evaluationSteps = 1
        settings.saveSteps = 1
        mix(settings.fileContents)
        return String(h, radix: 16)
    }
}
