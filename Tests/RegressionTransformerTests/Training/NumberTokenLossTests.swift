import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

/// The Number Token Loss against torch (Fixtures/number_token_loss, scripts/fixtures/number_token_loss_fixtures.py:
/// the paper's formulation — full softmax, digit probabilities renormalised — with autograd gradients), its
/// training-config keys, and its place in a property-prediction step.
final class NumberTokenLossTests: XCTestCase {
    static let fixture: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/number_token_loss/number_token_loss.json")
        let object = (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any]
        return object?["ntl"] as? [String: Any] ?? [:]
    }()

    /// One sample whose every position is a target, labelled with the fixture's labels.
    func batch(labels: [Int32]) -> CollatedBatch {
        let n = labels.count
        return CollatedBatch(batchSize: 1, length: n, inputIDs: [Int32](repeating: 1, count: n), labels: labels,
                             attentionMask: [Bool](repeating: true, count: n),
                             permutationMask: [Bool](repeating: false, count: n * n))
    }

    func testBothKindsMatchTorch() throws {
        let f = Self.fixture
        let vocabulary = try Vocabulary(tokens: try XCTUnwrap(f["vocabulary"] as? [String]))
        let labels = try XCTUnwrap(f["labels"] as? [String]).map { try XCTUnwrap(vocabulary.id(of: $0)) }
        let shape = Shape(try XCTUnwrap(f["shape"] as? [Int]))
        let values = try XCTUnwrap(f["logits"] as? [Double]).map(Float.init)
        for kind in NumberTokenLoss.Kind.allCases {
            let expected = try XCTUnwrap(f[kind.rawValue] as? [String: Any])
            let logits = try Tensor(values, shape: shape).requiringGradient()
            let tape = Tape()
            let loss = try XCTUnwrap(try NumberTokenLoss(kind: kind, weight: 0.3, vocabulary: vocabulary)
                .loss(logits: logits, batch: batch(labels: labels), tape: tape))
            XCTAssertEqual(Double(loss.scalarValue), try XCTUnwrap(expected["loss"] as? Double), accuracy: 2e-6, "\(kind)")
            try tape.backward(loss)
            let gradient = try XCTUnwrap(logits.gradient?.scalars)
            let torch = try XCTUnwrap(expected["gradient"] as? [Double])
            let worst = zip(gradient, torch).map { abs(Double($0) - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-6, "\(kind) gradient")
        }
    }

    func testNoDigitTargetsGiveNoTerm() throws {
        let vocabulary = TextFixtures.smallMolecules
        let symbol = try XCTUnwrap(vocabulary.id(of: "[C]")), point = try XCTUnwrap(vocabulary.id(of: "_._"))
        let logits = Tensor.zeros([2, vocabulary.count])
        let loss = NumberTokenLoss(kind: .wasserstein, weight: 1, vocabulary: vocabulary)
        XCTAssertNil(try loss.loss(logits: logits, batch: batch(labels: [symbol, point]), tape: Tape()))
    }

    func testConfigurationKeys() throws {
        let json = #"{"task": "proponly", "property_tokens": ["<qed>"], "number_token_loss": "mse", "number_token_loss_weight": 0.5}"#
        let c = try TrainingConfiguration(json: JSONValue.parseObject(Data(json.utf8), path: "tc.json"), path: "tc.json")
        XCTAssertEqual(c.numberTokenLoss, .mse)
        XCTAssertEqual(c.numberTokenLossWeight, 0.5)
        // written back only when used, read back the same
        XCTAssertEqual(c.json["number_token_loss"], .string("mse"))
        XCTAssertEqual(try TrainingConfiguration(json: c.json), c)
        XCTAssertNil(TrainingConfiguration().json["number_token_loss"])
        let none = #"{"task": "proponly", "property_tokens": ["<qed>"], "number_token_loss": "none"}"#
        XCTAssertNil(try TrainingConfiguration(json: JSONValue.parseObject(Data(none.utf8), path: "tc.json")).numberTokenLoss)

        func failure(_ text: String) -> String {
            do {
                let c = try TrainingConfiguration(json: JSONValue.parseObject(Data(text.utf8), path: "tc.json"), path: "tc.json")
                try c.validate()
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(failure(#"{"task": "proponly", "property_tokens": ["<qed>"], "number_token_loss": "l1"}"#)
            .contains("unknown loss 'l1'"))
        XCTAssertTrue(failure(#"{"task": "plm", "number_token_loss": "wasserstein"}"#).contains("number_token_loss"))
        XCTAssertTrue(failure(#"{"task": "proponly", "property_tokens": ["<qed>"], "number_token_loss": "mse", "number_token_loss_weight": -1}"#)
            .contains("number_token_loss_weight"))
    }

    /// In a property-prediction step the trainer adds λ·NTL to the cross-entropy: the logged `loss` is
    /// `pp + λ·ntl`, `pp` and `ntl` are the two losses of the step's batch computed on their own, and the step's
    /// gradient is ∇CE + λ·∇NTL (the term is torch-checked above). Generation steps have no term.
    func testAPropertyStepAddsTheWeightedTermToLossAndGradient() throws {
        let lines = SyntheticTask.lines(count: 8, seed: 11)
        let vocabulary = try SyntheticTask.vocabulary(lines)
        let data = try SyntheticTask.dataset(lines, vocabulary: vocabulary)
        let model = try SyntheticTask.model(vocabulary: vocabulary, layers: 1, dimension: 16, dropout: 0, seed: 3)
        var c = SyntheticTask.trainingConfiguration(steps: 1, batchSize: 8)
        c.numberTokenLoss = .wasserstein
        c.numberTokenLossWeight = 0.5
        let trainer = try Trainer(model: model, vocabulary: vocabulary, configuration: c, training: data)
        let samples = (0..<data.count).map { data[$0] }
        let params = model.parameters

        params.zeroGradients()
        let step = try trainer.microStep(.propertyPrediction, samples: samples, index: 0, scale: 1)
        let combined = params.flatGradients.scalars
        let pp = try XCTUnwrap(step.losses["pp"]), ntl = try XCTUnwrap(step.losses["ntl"])
        XCTAssertEqual(try XCTUnwrap(step.losses["loss"]), pp + 0.5 * ntl, accuracy: 1e-6 * (pp + ntl))  // summed in float32
        XCTAssertGreaterThan(ntl, 0)

        // The two terms of the same batch, each on its own tape.
        var random = trainer.randomness.collation(0)
        let batch = try trainer.propertyCollator!.collate(samples, random: &random)
        func gradient(_ loss: (Tensor, Tape) throws -> Tensor) throws -> (value: Double, gradient: [Float]) {
            params.zeroGradients()
            let tape = Tape()
            let logits = try XCTUnwrap(try model.targetLogits(batch, tape: tape, dropoutKey: trainer.randomness.dropout(0, pass: 0)))
            let value = try loss(logits, tape)
            try tape.backward(value)
            return (Double(value.scalarValue), params.flatGradients.scalars)
        }
        let crossEntropy = try gradient { try ObjectiveLosses.meanCrossEntropy(logits: $0, batch: batch, tape: $1) }
        let term = try gradient { logits, tape in
            try XCTUnwrap(try NumberTokenLoss(kind: .wasserstein, weight: 1, vocabulary: vocabulary)
                .loss(logits: logits, batch: batch, tape: tape))
        }
        XCTAssertEqual(crossEntropy.value, pp, accuracy: 1e-6)
        XCTAssertEqual(term.value, ntl, accuracy: 1e-6)
        let scale = combined.map { abs($0) }.max() ?? 0
        XCTAssertGreaterThan(term.gradient.map { abs($0) }.max() ?? 0, 1e-3 * scale, "the term must move the weights")
        let worst = (0..<combined.count).map { abs(combined[$0] - crossEntropy.gradient[$0] - 0.5 * term.gradient[$0]) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-5 * scale)

        params.zeroGradients()
        let generation = try trainer.microStep(.generation, samples: samples, index: 4, scale: 1)
        XCTAssertNil(generation.losses["ntl"])
    }
}
