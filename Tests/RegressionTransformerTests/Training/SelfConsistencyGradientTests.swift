import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

/// The self-consistency loss back-propagates through its second forward pass only (spec §5.3): the greedy
/// generation of the first pass is a constant.
final class SelfConsistencyGradientTests: XCTestCase {
    func testGradientFlowsOnlyThroughTheSecondPass() throws {
        let lines = SyntheticTask.lines(count: 8, seed: 3)
        let vocabulary = try SyntheticTask.vocabulary(lines)
        let data = try SyntheticTask.dataset(lines, vocabulary: vocabulary)
        // No dropout: both passes are deterministic functions of the parameters.
        let model = try SyntheticTask.model(vocabulary: vocabulary, layers: 2, dimension: 16, dropout: 0, seed: 5)
        var c = SyntheticTask.trainingConfiguration(steps: 1, batchSize: 8)
        c.selfConsistencyWeight = 1
        let trainer = try Trainer(model: model, vocabulary: vocabulary, configuration: c, training: data)
        let samples = (0..<data.count).map { data[$0] }
        let params = model.parameters

        // ∇(L_CG + L_SC) as the trainer computes it.
        params.zeroGradients()
        let result = try trainer.microStep(.generation, samples: samples, index: 0, scale: 1)
        let total = params.flatGradients.scalars
        let lossSC = try XCTUnwrap(result.losses["sc"])
        XCTAssertGreaterThan(lossSC, 0)

        // ∇L_CG alone, from the same generation batch.
        var random = trainer.randomness.collation(0)
        let batch = try trainer.generationCollator!.collate(samples, random: &random)
        params.zeroGradients()
        let tape = Tape()
        let logits = try XCTUnwrap(try model.targetLogits(batch, tape: tape, dropoutKey: trainer.randomness.dropout(0, pass: 0)))
        let lossCG = try ObjectiveLosses.generationLoss(logits: logits, batch: batch, tape: tape)
        XCTAssertEqual(Double(lossCG.scalarValue), result.losses["cg"]!, accuracy: 1e-6)
        try tape.backward(lossCG)
        let cgGradient = params.flatGradients.scalars
        params.zeroGradients()

        // L_SC as a function of the parameters with the generation held fixed.
        let generated = SelfConsistency.generatedIDs(batch, predictions: ObjectiveLosses.argmax(logits),
                                                     maskID: vocabulary.specialIDs.mask)
        var scRandom = trainer.randomness.selfConsistency(0)
        let scBatch = SelfConsistency.batch(generated: generated, like: batch,
                                            collator: trainer.selfConsistencyCollator!, random: &scRandom)
        func selfConsistencyLoss() throws -> Double {
            let t = Tape(recording: false)
            let z = try XCTUnwrap(try model.targetLogits(scBatch, tape: t, dropoutKey: nil))
            return Double(try ObjectiveLosses.selfConsistencyLoss(logits: z, batch: scBatch, tape: t).scalarValue)
        }
        XCTAssertEqual(try selfConsistencyLoss(), lossSC, accuracy: 1e-6)

        // ∇L_SC = ∇total − ∇L_CG must equal the finite differences of the fixed-generation L_SC.
        var checked = 0
        for name in [XLNetParameterName.lmBias, XLNetParameterName.wordEmbedding,
                     XLNetParameterName.layer(1, "ff.layer_2.weight"), XLNetParameterName.layer(0, "rel_attn.q")] {
            let index = try XCTUnwrap(params.specs.firstIndex { $0.name == name })
            let offset = params.offsets[index]
            let t = try params.tensor(name)
            let sc = (0..<t.count).map { Double(total[offset + $0] - cgGradient[offset + $0]) }
            for j in (0..<t.count).sorted(by: { abs(sc[$0]) > abs(sc[$1]) }).prefix(3) {
                let v = t.unsafePointer[j]
                let h: Float = 1e-2
                t.unsafePointer[j] = v + h
                let up = try selfConsistencyLoss()
                t.unsafePointer[j] = v - h
                let down = try selfConsistencyLoss()
                t.unsafePointer[j] = v
                let numeric = (up - down) / Double(2 * h)
                XCTAssertEqual(sc[j], numeric, accuracy: max(2e-3 * abs(numeric), 2e-5), "\(name)[\(j)]")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 12)
    }
}
