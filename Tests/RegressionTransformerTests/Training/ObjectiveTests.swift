import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

/// The loss normalisations of spec/rt-reference.md §5.3 on given logits, and the self-consistency batch.
final class ObjectiveTests: XCTestCase {
    /// B = 2, L = 4, V = 3; targets (0, 1) → 2, (1, 2) → 0, (1, 3) → 1.
    func smallBatch(weights: [Float]) -> CollatedBatch {
        var labels = [Int32](repeating: -100, count: 8)
        labels[1] = 2
        labels[6] = 0
        labels[7] = 1
        return CollatedBatch(batchSize: 2, length: 4, inputIDs: [Int32](repeating: 1, count: 8), labels: labels,
                             attentionMask: [Bool](repeating: true, count: 8),
                             permutationMask: [Bool](repeating: false, count: 32), sampleWeights: weights)
    }

    let rows: [[Double]] = [[1, 2, 3], [0, 0, 0], [2, 0, 1]]
    func ce(_ row: [Double], _ label: Int) -> Double { log(row.map(exp).reduce(0, +)) - row[label] }
    var logits: Tensor { try! Tensor(rows.flatMap { $0.map(Float.init) }, shape: [3, 3]).requiringGradient() }

    func testMeanCrossEntropyIsHFsLoss() throws {
        let tape = Tape()
        let loss = try ObjectiveLosses.meanCrossEntropy(logits: logits, batch: smallBatch(weights: [1, 1]), tape: tape)
        let expected = (ce(rows[0], 2) + ce(rows[1], 0) + ce(rows[2], 1)) / 3
        XCTAssertEqual(Double(loss.scalarValue), expected, accuracy: 1e-6)
    }

    func testGenerationLossDividesByThePaddedLengthAndWeightsSamples() throws {
        for weights: [Float] in [[1, 1], [0.5, -0.25], [-1, 0.75]] {
            let tape = Tape()
            let z = logits
            let loss = try ObjectiveLosses.generationLoss(logits: z, batch: smallBatch(weights: weights), tape: tape)
            // (1/B) Σ_b w_b · (1/L) Σ_t CE_bt
            let perSample = [ce(rows[0], 2) / 4, (ce(rows[1], 0) + ce(rows[2], 1)) / 4]
            let expected = (Double(weights[0]) * perSample[0] + Double(weights[1]) * perSample[1]) / 2
            XCTAssertEqual(Double(loss.scalarValue), expected, accuracy: 1e-6, "weights \(weights)")
            try tape.backward(loss)
            // dL/dz_rc = w_b / (B·L) · (softmax(z_r)_c − [c = label_r]).
            let grad = try XCTUnwrap(z.gradient).scalars
            for (r, (row, label, sample)) in [(rows[0], 2, 0), (rows[1], 0, 1), (rows[2], 1, 1)].enumerated() {
                let total = row.map(exp).reduce(0, +)
                for c in 0..<3 {
                    let expectedGrad = Double(weights[sample]) / 8 * (exp(row[c]) / total - (c == label ? 1 : 0))
                    XCTAssertEqual(Double(grad[r * 3 + c]), expectedGrad, accuracy: 1e-6)
                }
            }
        }
    }

    func testSelfConsistencyLossIsTheMeanOverAllPositions() throws {
        let tape = Tape()
        let loss = try ObjectiveLosses.selfConsistencyLoss(logits: logits, batch: smallBatch(weights: [-1, 0.3]), tape: tape)
        // Σ CE / (B·L), sample weights ignored.
        XCTAssertEqual(Double(loss.scalarValue), (ce(rows[0], 2) + ce(rows[1], 0) + ce(rows[2], 1)) / 8, accuracy: 1e-6)
    }

    func testArgmaxTakesTheFirstMaximum() throws {
        let z = try Tensor([0, 3, 3, 1, -1, -2, -1, -5], shape: [2, 4])
        XCTAssertEqual(ObjectiveLosses.argmax(z), [1, 0])
    }

    func testSelfConsistencyBatchAsksForThePrimer() throws {
        let v = TextFixtures.smallMolecules
        // A primed generation batch: <qed>0.7|[C][MASK][MASK]… with the truth 0.3 (do_sample).
        let samples = try TrainingFixtures.encode(["<qed>0.3|[C][C][O][C]"], vocabulary: v)
        let collator = try GenerationCollator(vocabulary: v, properties: ["qed"], probability: 1, maxSpanLength: 2,
                                              sampling: PrimerSampling(ranges: ["qed": 0...1]))
        var random = ScriptedRandom(integers: [1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0], units: [0.3])
        let batch = try collator.collate(samples, random: &random)
        // ids: [CLS] <qed> _0_0_ _._ _7_-1_ | [MASK]×4 [PAD] [SEP]; primer 1 + (0 − 1)·0.3 = 0.7.
        XCTAssertEqual(batch.inputIDs, [12, 16, 32, 25, v.id(of: "_7_-1_")!, 15, 14, 14, 14, 14, 0, 13])
        XCTAssertEqual(batch.targetRows.map(\.position), [6, 7, 8, 9])
        XCTAssertEqual(Double(batch.sampleWeights[0]), 1 - 2 * 0.4, accuracy: 1e-6)
        // The model "generates" [O] [O] [C] [N].
        let predictions = ["[O]", "[O]", "[C]", "[N]"].map { v.id(of: $0)! }
        let generated = SelfConsistency.generatedIDs(batch, predictions: predictions, maskID: v.specialIDs.mask)
        XCTAssertEqual(try v.tokens(for: generated), toks("[CLS] <qed> _0_0_ _._ _7_-1_ | [O] [O] [C] [N] [PAD] [SEP]"))
        var r2 = SeededCollatorRandom(seed: 4)
        let sc = SelfConsistency.batch(generated: generated, like: batch,
                                       collator: try PropertyCollator(vocabulary: v, properties: ["qed"]), random: &r2)
        XCTAssertEqual(sc.targetRows.map(\.position), [2, 3, 4])
        XCTAssertEqual(sc.targetRows.map(\.label), ["_0_0_", "_._", "_7_-1_"].map { Int(v.id(of: $0)!) })
        XCTAssertEqual(sc.attentionMask, (0..<12).map { $0 != 10 })
    }
}
