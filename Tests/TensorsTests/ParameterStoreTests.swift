import TensorIO
import Foundation
import XCTest
@testable import Tensors

final class ParameterStoreTests: XCTestCase {
    func makeStore() throws -> ParameterStore {
        try ParameterStore([ParameterSpec("layer.weight", [3, 5]), ParameterSpec("layer.bias", [3]),
                            ParameterSpec("table", [4, 2], trainable: false)])
    }

    func testFlatLayoutAndViews() throws {
        let s = try makeStore()
        XCTAssertEqual(s.offsets, [0, 16, 32])
        XCTAssertEqual(s.flatCount, 48)
        XCTAssertEqual(s.parameterCount, 26)
        XCTAssertEqual(s.trainableCount, 18)
        let w = try s.tensor("layer.weight")
        XCTAssertTrue(w.storage === s.flatValues.storage)
        XCTAssertEqual(w.shape, [3, 5])
        XCTAssertThrowsError(try s.tensor("nope")) { e in XCTAssertTrue("\(e)".contains("'nope'"), "\(e)") }
        XCTAssertThrowsError(try ParameterStore([ParameterSpec("a", [1]), ParameterSpec("a", [2])]))
    }

    /// Backward writes into the flat gradient buffer; gradients accumulate until zeroGradients().
    func testBackwardAccumulatesIntoFlatGradients() throws {
        let s = try makeStore()
        var g = SeededGenerator(seed: 1)
        try s.assign("layer.weight", Tensor.randomNormal([3, 5], using: &g))
        let x = Tensor.randomNormal([2, 5], using: &g)
        func lossAndBackward() throws {
            let tape = Tape()
            let y = try tape.linear(x, weight: s.tensor("layer.weight"), bias: s.tensor("layer.bias"))
            try tape.backward(tape.sum(y))
        }
        try lossAndBackward()
        let first = try s.gradient("layer.bias")!.scalars
        XCTAssertEqual(first, [2, 2, 2])  // d Σy / db = number of rows
        try lossAndBackward()
        XCTAssertEqual(try s.gradient("layer.bias")!.scalars, [4, 4, 4])
        s.zeroGradients()
        XCTAssertEqual(s.flatGradients.scalars, [Float](repeating: 0, count: s.flatCount))
        XCTAssertEqual(try s.tensor("layer.bias").gradient?.scalars, [0, 0, 0])
    }

    func testSaveAndLoadRoundTrip() throws {
        let s = try makeStore()
        var g = SeededGenerator(seed: 2)
        for name in s.names { try s.assign(name, Tensor.randomNormal(try s.tensor(name).shape, using: &g)) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("params-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try s.save(to: url, metadata: ["format": "pt"])
        let file = try SafeTensorsFile(contentsOf: url)
        XCTAssertEqual(file.names.sorted(), s.names.sorted())
        XCTAssertEqual(file.metadata, ["format": "pt"])
        let t = try makeStore()
        XCTAssertEqual(try t.load(from: file).sorted(), s.names.sorted())
        for name in s.names { XCTAssertEqual(try t.tensor(name).scalars, try s.tensor(name).scalars) }
    }

    func testLoadErrorsNameFileAndTensor() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensorsWriter.write([("layer.weight", Tensor.zeros([5, 3])), ("layer.bias", Tensor.zeros([3]))], to: url)
        let s = try makeStore()
        XCTAssertThrowsError(try s.load(contentsOf: url)) { e in
            XCTAssertTrue("\(e)".contains(url.path) && "\(e)".contains("'table' is missing"), "\(e)")
        }
        XCTAssertThrowsError(try s.load(contentsOf: url, strict: false)) { e in
            XCTAssertTrue("\(e)".contains("'layer.weight' has shape [5, 3] but the parameter is [3, 5]"), "\(e)")
        }
        try SafeTensorsWriter.write([("layer.bias", Tensor.ones([3])), ("extra", Tensor.zeros([1]))], to: url)
        XCTAssertEqual(try s.load(contentsOf: url, strict: false), ["layer.bias"])
        XCTAssertEqual(try s.tensor("layer.bias").scalars, [1, 1, 1])
        XCTAssertThrowsError(try s.load(contentsOf: url)) { e in XCTAssertTrue("\(e)".contains("is missing") || "\(e)".contains("'extra'"), "\(e)") }
    }
}
