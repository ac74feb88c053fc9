import Foundation
import XCTest
@testable import RegressionTransformer
@testable import Tensors

/// Mixed precision (`Gemm.setPrecision(.bf16)`: every matrix product with bfloat16 operands and float32
/// accumulation, everything else float32; here the attention products too) against the float32 HuggingFace parity
/// fixture. Tolerances, from the bfloat16 rounding of each operand (relative 2⁻⁹) compounding over three layers:
/// logits within 3 % of their largest value, loss within 1 %, every gradient within 5 % of its tensor's largest
/// value and the median tensor within 1.5 % (measured on Zen 4: worst 3.0 %, r_r_bias of layer 0; median 0.95 %).
/// Back in float32, the same model gives the float32 results exactly.
final class XLNetMixedPrecisionTests: XCTestCase {
    override func setUpWithError() throws {
        guard BF16Gemm.isSupported else { throw XCTSkip("this CPU lacks avx512_bf16 (has: \(CPU.features))") }
    }

    override func tearDown() {
        try? Gemm.setPrecision(.float32)
        Gemm.bf16IncludesAttention = false
    }

    func run(_ model: XLNetModel) throws -> (logits: [Float], loss: Float, gradients: [String: [Float]]) {
        let (batch, labels) = try XLNetFixtures.batchA()
        model.parameters.zeroGradients()
        let tape = Tape()
        let out = try model.forward(batch, tape: tape)
        let logits = try XCTUnwrap(out.logits)
        let loss = try model.loss(logits: logits, labels: labels, tape: tape)
        try tape.backward(loss)
        var gradients: [String: [Float]] = [:]
        for name in model.parameters.names { gradients[name] = try model.parameters.gradient(name)?.scalars }
        return (logits.scalars, loss.scalarValue, gradients)
    }

    func testForwardAndBackwardWithinBF16Tolerance() throws {
        let model = try ModelFolder(url: XLNetFixtures.modelFolder).loadModel(from: .safetensors)
        let float32 = try run(model)
        try Gemm.setPrecision(.bf16)
        Gemm.bf16IncludesAttention = true
        let mixed = try run(model)
        try Gemm.setPrecision(.float32)
        Gemm.bf16IncludesAttention = false
        let again = try run(model)

        let expectedLogits = try XLNetFixtures.floats("a.logits")
        let expectedLoss = try XLNetFixtures.floats("a.loss")[0]
        let logitError = Compare.relativeToScale(mixed.logits, expectedLogits)
        XCTAssertLessThan(logitError, 0.03, "bf16 logits")
        XCTAssertGreaterThan(logitError, 0, "bf16 products should not give the float32 logits bit for bit")
        XCTAssertEqual(Double(mixed.loss), Double(expectedLoss), accuracy: 0.01 * Double(expectedLoss))
        var errors: [Double] = []
        for (name, g) in float32.gradients {
            guard let m = mixed.gradients[name], g.contains(where: { $0 != 0 }) else { continue }
            let e = Compare.relativeToScale(m, g)
            XCTAssertLessThan(e, 0.05, "bf16 gradient of \(name)")
            errors.append(e)
        }
        XCTAssertGreaterThan(errors.count, 40)
        XCTAssertLessThan(errors.sorted()[errors.count / 2], 0.015, "median gradient error")
        XCTAssertEqual(again.logits, float32.logits, "float32 after bf16 must be float32 again")
        XCTAssertEqual(again.loss, float32.loss)
    }

    /// The precision setting round-trips (the error for a CPU without avx512_bf16 cannot be provoked here).
    func testPrecisionSetting() throws {
        XCTAssertNoThrow(try Gemm.setPrecision(.bf16))
        XCTAssertEqual(Gemm.precision, .bf16)
        try Gemm.setPrecision(.float32)
        XCTAssertEqual(Gemm.precision, .float32)
    }
}
