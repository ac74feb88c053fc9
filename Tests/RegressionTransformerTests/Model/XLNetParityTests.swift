import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

/// Parity with HuggingFace `XLNetLMHeadModel` (torch 2.15, transformers 5.24) on the committed fixture:
/// logits within 1e-4 absolute, loss within 1e-5 relative, every parameter gradient within 1e-3 of the tensor's
/// largest gradient — loading the weights from both `model.safetensors` and `pytorch_model.bin`.
final class XLNetParityTests: XCTestCase {
    func model(_ format: ModelFolder.WeightsFormat) throws -> XLNetModel {
        try ModelFolder(url: XLNetFixtures.modelFolder).loadModel(from: format)
    }

    /// Case a (identity target mapping) and the per-layer streams, from both weight formats.
    func testLogitsAndLossIdentityMapping() throws {
        let expected = try XLNetFixtures.floats("a.logits")
        let expectedLoss = try XLNetFixtures.floats("a.loss")[0]
        for format in [ModelFolder.WeightsFormat.safetensors, .pytorch] {
            let model = try model(format)
            let (batch, labels) = try XLNetFixtures.batchA()
            let tape = Tape(recording: false)
            let out = try model.forward(batch, tape: tape, recordingHiddenStates: true)
            for k in 0...3 {  // streams entering layer k (k = 3: the output)
                let stacked = out.hiddenStates[k].scalars
                let n = XLNetFixtures.batchSize * XLNetFixtures.length * 64
                Compare.assertClose(Array(stacked[0..<n]), try XLNetFixtures.floats("a.hidden.content.\(k)"),
                                    absolute: 1e-4, "\(format) content stream entering layer \(k)")
                Compare.assertClose(Array(stacked[n...]), try XLNetFixtures.floats("a.hidden.query.\(k)"),
                                    absolute: 1e-4, "\(format) query stream entering layer \(k)")
            }
            let logits = try XCTUnwrap(out.logits)
            XCTAssertEqual(logits.shape, [72, 507])
            Compare.assertClose(logits.scalars, expected, absolute: 1e-4, "\(format) logits (case a)")
            let loss = try model.loss(logits: logits, labels: labels, tape: tape).scalarValue
            XCTAssertEqual(Double(loss), Double(expectedLoss), accuracy: 1e-5 * Double(expectedLoss), "\(format) loss (case a)")
        }
    }

    /// Only the labelled positions in the query stream (the fast path) gives case a's logits at those rows.
    func testTargetsOnlyMatchIdentityMapping() throws {
        let model = XLNetFixtures.modelFromSafetensors
        let (batch, labels) = try XLNetFixtures.batchA(allPositions: false)
        XCTAssertEqual(batch.targetCount, 14)
        let out = try model.forward(batch, tape: Tape(recording: false))
        let logits = try XCTUnwrap(out.logits).scalars
        let full = try XLNetFixtures.floats("a.logits")
        var expected: [Float] = []
        for (b, i) in out.targetRows { expected += full[((b * 24 + i) * 507)..<((b * 24 + i + 1) * 507)] }
        Compare.assertClose(logits, expected, absolute: 1e-4, "targets-only logits")
        let loss = try model.loss(logits: try XCTUnwrap(out.logits), labels: labels, tape: Tape(recording: false))
        XCTAssertEqual(Double(loss.scalarValue), 9.130194664001465, accuracy: 1e-4)
    }

    /// Case b: a compact target mapping with shuffled slots and non-target rows.
    func testCompactTargetMapping() throws {
        for format in [ModelFolder.WeightsFormat.safetensors, .pytorch] {
            let model = try model(format)
            let (batch, labels) = try XLNetFixtures.batchB()
            let tape = Tape(recording: false)
            let out = try model.forward(batch, tape: tape)
            let logits = try XCTUnwrap(out.logits)
            Compare.assertClose(logits.scalars, try XLNetFixtures.floats("b.logits"), absolute: 1e-4, "\(format) logits (case b)")
            let loss = try model.loss(logits: logits, labels: labels, tape: tape).scalarValue
            let expected = try XLNetFixtures.floats("b.loss")[0]
            XCTAssertEqual(Double(loss), Double(expected), accuracy: 1e-5 * Double(expected), "\(format) loss (case b)")
        }
    }

    /// The `rt embed` case: content stream only, unmasked ids, no permutation mask.
    func testContentStreamEmbedding() throws {
        let model = XLNetFixtures.modelFromSafetensors
        let batch = try XLNetBatch(batchSize: 3, length: 24, ids: XLNetFixtures.ids("inputs.input_ids"),
                                   attentionMask: XLNetFixtures.floats("inputs.attention_mask").map { $0 > 0.5 })
        let tape = Tape(recording: false)
        let out = try model.forward(batch, tape: tape)
        XCTAssertNil(out.logits)
        Compare.assertClose(out.content.scalars, try XLNetFixtures.floats("embed.hidden"), absolute: 1e-4, "embed.hidden")
        Compare.assertClose(try model.lmHead(out.content, tape: tape).scalars, try XLNetFixtures.floats("embed.logits"),
                            absolute: 1e-4, "embed.logits")
    }

    /// The fixture's gradient of the word embedding: torch ran the model on `inputs_embeds` (a leaf), so its
    /// `transformer.word_embedding.weight` gradient holds only the tied LM head's share; the RT computes the
    /// embeddings inside the graph, so the input share `Σ_t d loss / d inputs_embeds[t]` is added at row `ids[t]`.
    /// Cases a and b have the same loss as a function of the inputs (the same 14 labelled targets), so both use
    /// `a.inputs_embeds`.
    func expectedWordEmbeddingGradient(_ case_: String) throws -> [Float] {
        var g = try XLNetFixtures.gradients.tensor("\(case_).\(XLNetParameterName.wordEmbedding)").scalars
        let dx = try XLNetFixtures.gradients.tensor("a.inputs_embeds").scalars
        for (t, id) in try XLNetFixtures.ids("inputs.masked_input_ids").enumerated() {
            for j in 0..<64 { g[Int(id) * 64 + j] += dx[t * 64 + j] }
        }
        return g
    }

    /// d loss / d parameter for all 54 parameters, cases a (identity) and b (compact), both weight formats
    /// for case a.
    func testGradients() throws {
        for (case_, format) in [("a", ModelFolder.WeightsFormat.safetensors), ("a", .pytorch), ("b", .safetensors)] {
            let model = try model(format)
            let (batch, labels) = case_ == "a" ? try XLNetFixtures.batchA() : try XLNetFixtures.batchB()
            let tape = Tape()
            let out = try model.forward(batch, tape: tape)
            let loss = try model.loss(logits: try XCTUnwrap(out.logits), labels: labels, tape: tape)
            try tape.backward(loss)
            var checked = 0
            for name in model.parameters.names {
                let expected = name == XLNetParameterName.wordEmbedding ? try expectedWordEmbeddingGradient(case_)
                    : try XLNetFixtures.gradients.tensor("\(case_).\(name)").scalars
                let actual = try model.parameters.gradient(name)?.scalars ?? [Float](repeating: 0, count: expected.count)
                if expected.allSatisfy({ $0 == 0 }) {
                    XCTAssertTrue(actual.allSatisfy { $0 == 0 }, "\(case_) \(format): \(name) should get no gradient")
                } else {
                    let error = Compare.relativeToScale(actual, expected)
                    XCTAssertLessThanOrEqual(error, 1e-3, "\(case_) \(format): gradient of \(name), error \(error)")
                }
                checked += 1
            }
            XCTAssertEqual(checked, 54)
        }
    }
}

/// `XLNetModel.embed` (what `rt embed` prints) against the fixture's `embed.mean`, for any batching.
final class XLNetEmbeddingTests: XCTestCase {
    func testMeanHiddenStateMatchesReferenceForAnyBatchSize() throws {
        let model = XLNetFixtures.modelFromSafetensors
        let ids = try XLNetFixtures.ids("inputs.input_ids")
        let sequences = (0..<3).map { b -> [Int32] in
            let row = Array(ids[(b * 24)..<((b + 1) * 24)])
            let sep = row.firstIndex(of: 13)!  // [SEP]
            return Array(row[...sep])
        }
        let expected = try XLNetFixtures.floats("embed.mean")
        var previous: [Float]?
        for batchSize in [1, 2, 3] {
            let e = try model.embed(sequences, padID: 0, perToken: true, batchSize: batchSize)
            let means = e.flatMap(\.mean)
            Compare.assertClose(means, expected, absolute: 1e-4, "embed.mean, batch size \(batchSize)")
            XCTAssertEqual(e.map { $0.hidden!.count }, sequences.map(\.count))
            if let previous { Compare.assertClose(means, previous, absolute: 1e-5, "batching changes nothing") }
            previous = means
        }
    }
}
