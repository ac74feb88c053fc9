import TensorIO
import Foundation
import XCTest
@testable import Tensors

/// `DurableFile`: replacements are whole (old or new content, no temporary left behind) and failures name the file.
final class DurableFileTests: XCTestCase {
    func testWriteReplacesAndLeavesNoTemporaryFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-durable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("weights.bin")
        try DurableFile.write(Data([1, 2, 3]), to: file)
        XCTAssertEqual(try Data(contentsOf: file), Data([1, 2, 3]))
        let big = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try DurableFile.write(big, to: file)
        XCTAssertEqual(try Data(contentsOf: file), big)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["weights.bin"])
        try DurableFile.syncTree(folder)
    }

    func testFailuresNameTheFile() {
        let missing = URL(fileURLWithPath: "/no/such/folder/model.safetensors")
        XCTAssertThrowsError(try DurableFile.write(Data([0]), to: missing)) { error in
            XCTAssertTrue("\(error)".hasPrefix("/no/such/folder/.model.safetensors."), "\(error)")
            XCTAssertTrue("\(error)".contains("cannot create (No such file or directory)"), "\(error)")
        }
    }
}
