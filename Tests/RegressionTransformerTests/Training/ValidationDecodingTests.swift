import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

/// In-training validation decodes a masked value in the property's number grammar, as `rt predict` does, not in
/// the layout of the true value (which would hand the model the sign and the number of integer digits).
final class ValidationDecodingTests: XCTestCase {
    func testValuesAreDecodedInThePropertyGrammarNotTheTruthsLayout() throws {
        // Values in [−1.25, 3.5]: a 4-token slot may be d.dd or −d.d.
        let lines = ["<p>-1.25|CCO", "<p>3.50|CCN", "<p>2.75|CO", "<p>0.50|CN"]
        let vocabulary = try SyntheticTask.vocabulary(lines)
        let training = try SyntheticTask.dataset(lines, vocabulary: vocabulary)
        let model = try SyntheticTask.model(vocabulary: vocabulary)
        let trainer = try Trainer(model: model, vocabulary: vocabulary,
                                  configuration: SyntheticTask.trainingConfiguration(steps: 1), training: training,
                                  validation: training)
        func id(_ token: String) throws -> Int32 { try XCTUnwrap(vocabulary.id(of: token), token) }
        // The truth 2.75 (d.dd); the model is sure of '−', '1', '.', '5' at the four positions: −1.5 (−d.d).
        let truth = try ["_2_0_", "_._", "_7_-1_", "_5_-2_"].map(id)
        let favourite = try ["_-_", "_1_0_", "_._", "_5_-1_"].map(id)
        let v = vocabulary.count
        var logits = [Float](repeating: 0, count: 4 * v)
        for (row, token) in favourite.enumerated() { logits[row * v + Int(token)] = 10 }
        let mask = vocabulary.specialIDs.mask
        let batch = CollatedBatch(batchSize: 1, length: 4, inputIDs: [Int32](repeating: mask, count: 4), labels: truth,
                                  attentionMask: [Bool](repeating: true, count: 4),
                                  permutationMask: [Bool](repeating: false, count: 16))
        var slots: [Int: NumberSlot] = [:]
        let decoded = trainer.decodeNumbers(batch, logits: try Tensor(logits, shape: Shape([4, v])), property: "p",
                                                slots: &slots)
        XCTAssertEqual(decoded.count, 1)
        XCTAssertEqual(decoded[0].truth, 2.75)
        // Decoding in the truth's layout d.dd would have read a digit at the sign position and '.' only at the
        // second: 0.??, never a negative number.
        XCTAssertEqual(decoded[0].prediction, -1.5)
        XCTAssertEqual(ValidationReport().decoding, "greedy in the property grammar")
    }
}
