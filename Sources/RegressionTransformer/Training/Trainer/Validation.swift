import Foundation
import Tensors

/// What one validation pass measured.
public struct ValidationReport: Equatable, Sendable {
    /// Property prediction per property (name without brackets): the value decoded from the masked digits
    /// against the truth.
    public var properties: [String: RegressionMetrics] = [:]
    /// How the values were decoded: `greedy in the property grammar` (`Trainer.validate`).
    public var decoding = ValidationReport.grammarDecoding
    public static let grammarDecoding = "greedy in the property grammar"
    /// Validation losses by objective key: `pp` (HF's mean CE on the property batches), `cg` (`L_CG`, or the mean
    /// CE in `gen_only` mode), `sc` (`L_SC`), `plm`.
    public var losses: [String: Double] = [:]

    public init() {}
}

/// Validation during training (docs/training.md §11, fixed).
///
/// Property prediction, per property: the validation samples in file order, in batches of `batchSize`; all value
/// tokens of that property masked (the other properties stay visible); one forward pass without dropout and
/// with the numerical encodings (the original's in-training evaluator ran without them, docs/training.md §11); each masked
/// slot decoded greedily **in the property's number grammar**, exactly as `rt predict` decodes: a `NumberSlot` of
/// as many tokens as were masked, over every layout that fits the training data's value range (sign or none, any
/// number of integer digits), the model choosing between them. The true value's own layout is never consulted (it
/// would hand the model the sign and the number of integer digits: harmless for QED in [0, 1], optimistic for
/// ESOL, logP or yields). Every prediction is a number (the original decodes over the whole vocabulary and scores
/// unparseable output as −1, docs/inference.md §3.2). Metrics: `RegressionMetrics`; `ValidationReport.decoding` names the rule.
///
/// Losses: the same objective losses as in training on the validation samples (`pp` from the batches above;
/// `cg` and `sc` from the generation collator; `plm`). Masks and factorisation orders come from one fixed stream
/// (`RunRandomness.evaluation()`), so every validation of a run sees the same masks and curves are comparable.
extension Trainer {
    public func validate() throws -> ValidationReport {
        guard let data = validation else { return ValidationReport() }
        var report = ValidationReport()
        var random = randomness.evaluation()
        let c = configuration
        let batches = stride(from: 0, to: data.count, by: c.batchSize).map { start in
            (start..<min(start + c.batchSize, data.count)).map { data[$0] }
        }
        if c.task == .alternating || c.task == .propertyPrediction {
            var lossSum = 0.0, lossCount = 0
            for name in c.properties {
                let collator = try PropertyCollator(vocabulary: vocabulary, properties: [name])
                var labels: [Double] = [], predictions: [Double] = []
                var slots: [Int: NumberSlot] = [:]
                for samples in batches {
                    let batch = try collator.collate(samples, random: &random)
                    guard let logits = try model.targetLogits(batch, tape: Tape(recording: false), dropoutKey: nil) else { continue }
                    let loss = try ObjectiveLosses.meanCrossEntropy(logits: logits, batch: batch, tape: Tape(recording: false))
                    lossSum += Double(loss.scalarValue) * Double(batch.targetCount)
                    lossCount += batch.targetCount
                    for (truth, predicted) in decodeNumbers(batch, logits: logits, property: name, slots: &slots) {
                        labels.append(truth)
                        predictions.append(predicted)
                    }
                }
                if !labels.isEmpty { report.properties[name] = RegressionMetrics(labels: labels, predictions: predictions) }
            }
            if lossCount > 0 { report.losses["pp"] = lossSum / Double(lossCount) }
        }
        if let collator = generationCollator ?? plmCollator.map({ $0 as any Collator }) {
            var sums: [String: Double] = [:]
            var count = 0
            let key = c.task == .plm ? "plm" : "cg"
            for samples in batches {
                let batch = try collator.collate(samples, random: &random)
                guard let logits = try model.targetLogits(batch, tape: Tape(recording: false), dropoutKey: nil) else { continue }
                let tape = Tape(recording: false)
                let loss = try c.task == .alternating
                    ? ObjectiveLosses.generationLoss(logits: logits, batch: batch, tape: tape)
                    : ObjectiveLosses.meanCrossEntropy(logits: logits, batch: batch, tape: tape)
                sums[key, default: 0] += Double(loss.scalarValue) * Double(samples.count)
                if let sc = selfConsistencyCollator {
                    let generated = SelfConsistency.generatedIDs(batch, predictions: ObjectiveLosses.argmax(logits),
                                                                 maskID: vocabulary.specialIDs.mask)
                    let scBatch = SelfConsistency.batch(generated: generated, like: batch, collator: sc, random: &random)
                    if let scLogits = try model.targetLogits(scBatch, tape: Tape(recording: false), dropoutKey: nil) {
                        let scLoss = try ObjectiveLosses.selfConsistencyLoss(logits: scLogits, batch: scBatch, tape: tape)
                        sums["sc", default: 0] += Double(scLoss.scalarValue) * Double(samples.count)
                    }
                }
                count += samples.count
            }
            for (k, v) in sums { report.losses[k] = v / Double(max(count, 1)) }
        }
        return report
    }

    /// For every sample of a property batch: the true value and the greedy prediction in the property's grammar
    /// (`NumberSlot` of the masked token count over the training data's range; slots cached by token count).
    func decodeNumbers(_ batch: CollatedBatch, logits: Tensor, property: String,
                       slots: inout [Int: NumberSlot]) -> [(truth: Double, prediction: Double)] {
        let rows = batch.targetRows
        let v = logits.shape.last
        let range = training.statistics(of: property).map { $0.minimum...$0.maximum }
        var result: [(Double, Double)] = []
        var start = 0
        while start < rows.count {
            var end = start
            while end < rows.count && rows[end].sample == rows[start].sample { end += 1 }
            let labels = rows[start..<end].map { Int32($0.label) }
            defer { start = end }
            guard let truth = PropertyCollator.value(labels[...], vocabulary) else { continue }
            let slot: NumberSlot
            if let cached = slots[labels.count] {
                slot = cached
            } else {
                do { slot = try NumberSlot(tokenCount: labels.count, valueRange: range, vocabulary: vocabulary) } catch {
                    continue  // no layout of this length fits the vocabulary: the value cannot be predicted
                }
                slots[labels.count] = slot
            }
            let distributions = logits.withUnsafeBufferPointer { z in
                (start..<end).map { row in TokenDistribution(logits: z[(row * v)..<((row + 1) * v)]) }
            }
            let prediction = slot.greedy(distributions).value
            guard prediction.isFinite else { continue }
            result.append((truth, prediction))
        }
        return result
    }
}
