import Foundation
import TensorIO
import Tensors
import XCTest
@testable import RegressionTransformer

/// The committed PyTorch/HF fixtures of issue 6 (`Fixtures/xlnet_parity`, `Fixtures/xlnet_units`; generator
/// scripts and versions in their READMEs and `scripts/fixtures/`).
enum XLNetFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let parity = directory.appendingPathComponent("xlnet_parity")
    static let modelFolder = parity.appendingPathComponent("model")

    static let reference = try! SafeTensorsFile(contentsOf: parity.appendingPathComponent("reference.safetensors"))
    static let gradients = try! SafeTensorsFile(contentsOf: parity.appendingPathComponent("gradients.safetensors"))

    static func units() throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent("xlnet_units/xlnet_units.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// B = 3, L = 24 as in the fixture.
    static let batchSize = 3, length = 24

    static func ids(_ name: String) throws -> [Int32] { try reference.integers(name).map { Int32($0) } }

    static func floats(_ name: String) throws -> [Float] { try reference.tensor(name).scalars }

    /// The fixture's inputs with the targets of case a (identity mapping: every position).
    static func batchA(allPositions: Bool = true) throws -> (batch: XLNetBatch, labels: [Int]) {
        let labels = try reference.integers("a.labels").map { Int($0) }
        let mask = try floats("inputs.attention_mask").map { $0 > 0.5 }
        let perm = try floats("inputs.perm_mask").map { $0 > 0.5 }
        let ids = try ids("inputs.masked_input_ids")
        if allPositions {
            let batch = try XLNetBatch(batchSize: batchSize, length: length, ids: ids, attentionMask: mask,
                                       permutationMask: perm,
                                       targets: XLNetBatch.allPositions(batchSize: batchSize, length: length))
            return (batch, labels)
        }
        return try XLNetBatch.withTargets(fromLabels: labels, batchSize: batchSize, length: length, ids: ids,
                                          attentionMask: mask, permutationMask: perm)
    }

    /// Case b: compact target mapping, P = 6 rows per sample in the fixture's slot order.
    static func batchB() throws -> (batch: XLNetBatch, labels: [Int]) {
        let positions = try reference.integers("b.target_positions").map { Int($0) }
        let p = positions.count / batchSize
        let targets = (0..<batchSize).map { Array(positions[($0 * p)..<(($0 + 1) * p)]) }
        let batch = try XLNetBatch(batchSize: batchSize, length: length, ids: ids("inputs.masked_input_ids"),
                                   attentionMask: floats("inputs.attention_mask").map { $0 > 0.5 },
                                   permutationMask: floats("inputs.perm_mask").map { $0 > 0.5 }, targets: targets)
        return (batch, try reference.integers("b.labels").map { Int($0) })
    }

    static var modelFromSafetensors: XLNetModel { try! ModelFolder(url: modelFolder).loadModel(from: .safetensors) }
}

/// Comparison helpers with messages that say where the worst element is.
enum Compare {
    static func maxAbs(_ a: [Float], _ b: [Float]) -> (value: Double, index: Int) {
        precondition(a.count == b.count, "lengths \(a.count) and \(b.count) differ")
        var worst = 0.0, at = -1
        for i in a.indices {
            let d = abs(Double(a[i]) - Double(b[i]))
            if d > worst || d.isNaN { worst = d.isNaN ? .infinity : d; at = i }
        }
        return (worst, at)
    }

    /// max |a − b| / max |b|: the error relative to the tensor's scale.
    static func relativeToScale(_ a: [Float], _ b: [Float]) -> Double {
        let scale = b.map { abs(Double($0)) }.max() ?? 0
        return maxAbs(a, b).value / max(scale, 1e-30)
    }

    static func assertClose(_ a: [Float], _ b: [Float], absolute tolerance: Double, _ what: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, "\(what): element counts", file: file, line: line)
        guard a.count == b.count else { return }
        let (worst, at) = maxAbs(a, b)
        XCTAssertLessThanOrEqual(worst, tolerance,
                                 "\(what): max |Δ| \(worst) at \(at) (\(at >= 0 ? a[at] : 0) vs \(at >= 0 ? b[at] : 0))",
                                 file: file, line: line)
    }
}
