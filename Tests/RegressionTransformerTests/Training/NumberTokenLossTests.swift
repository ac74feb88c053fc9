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
}
