import Foundation
import TensorIO
import Tensors
import XCTest
@testable import RegressionTransformer

/// `pytorch_model.bin` without Python: the zip + pickle subset of `torch.save`, and what happens with files that
/// are not such checkpoints.
final class TorchCheckpointTests: XCTestCase {
    let binURL = XLNetFixtures.modelFolder.appendingPathComponent("pytorch_model.bin")

    func testReadsEveryTensorOfTheFixture() throws {
        let tensors = try TorchCheckpoint.read(contentsOf: binURL)
        let reference = try SafeTensorsFile(contentsOf: XLNetFixtures.modelFolder.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(Set(tensors.map(\.name)), Set(reference.names + ["lm_loss.weight"]))
        for (name, t) in tensors where name != "lm_loss.weight" {
            let r = try reference.tensor(name)
            XCTAssertEqual(t.shape, r.shape, name)
            XCTAssertEqual(t.scalars, r.scalars, name)
        }
    }

    func testRejectsWhatIsNotACheckpoint() throws {
        let bytes = [UInt8](try Data(contentsOf: binURL))
        XCTAssertThrowsError(try TorchCheckpoint.read(bytes: Array("hello".utf8), path: "x.bin")) {
            XCTAssertTrue("\($0)".contains("x.bin: not a PyTorch checkpoint"), "\($0)")
        }
        XCTAssertThrowsError(try TorchCheckpoint.read(bytes: [0x80, 0x02, 0x8A, 0x0A], path: "old.bin")) {
            XCTAssertTrue("\($0)".contains("legacy"), "\($0)")
        }
        // Truncated archives and corrupted pickles are errors, never crashes.
        for cut in [100, bytes.count / 2, bytes.count - 10] {
            XCTAssertThrowsError(try TorchCheckpoint.read(bytes: Array(bytes[0..<cut]), path: "cut.bin"))
        }
        var corrupted = bytes
        let pickle = try XCTUnwrap(find(Array("data.pklPK".utf8), in: bytes) ?? find(Array("data.pkl".utf8), in: bytes))
        for i in (pickle + 60)..<(pickle + 80) { corrupted[i] ^= 0xFF }
        XCTAssertThrowsError(try TorchCheckpoint.read(bytes: corrupted, path: "corrupt.bin"))
    }

    func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    /// Opcodes beyond the fixture's: LONG1 (negative), BINFLOAT, lists, STACK_GLOBAL-free protocol-2 calls.
    func testUnpicklerValues() throws {
        // (-2, 1.5, [1, 2]) as pickle protocol 2: PROTO 2, MARK, LONG1 1 0xFE, BINFLOAT 1.5, EMPTY_LIST, MARK,
        // BININT1 1, BININT1 2, APPENDS, TUPLE, STOP
        var program: [UInt8] = [0x80, 0x02, 0x28, 0x8A, 0x01, 0xFE, 0x47]
        withUnsafeBytes(of: (1.5).bitPattern.bigEndian) { program += $0 }
        program += [0x5D, 0x28, 0x4B, 0x01, 0x4B, 0x02, 0x65, 0x74, 0x2E]
        var u = Unpickler(bytes: program, path: "p")
        guard case .tuple(let items) = try u.load(), items.count == 3, case .int(-2) = items[0], case .float(1.5) = items[1],
              case .list(let list) = items[2], list.count == 2 else {
            return XCTFail("unexpected value")
        }
        var bad = Unpickler(bytes: [0x80, 0x02, 0x01], path: "p")
        XCTAssertThrowsError(try bad.load()) { XCTAssertTrue("\($0)".contains("pickle byte 2: unsupported pickle opcode 0x1"), "\($0)") }
    }
}
