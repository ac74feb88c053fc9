import Compression
import XCTest

/// `UTF8Validation` agrees with the standard library's decoder on what is UTF-8, and points at the right byte.
final class UTF8ValidationTests: XCTestCase {
    func offset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidByte(in: $0) }
    }

    func testKnownSequences() {
        XCTAssertNil(offset([]))
        XCTAssertNil(offset(Array("CCO [C][=C] <qed>0.5|é ∑ 𝄞".utf8)))
        XCTAssertEqual(offset([0x43, 0x43, 0xFF, 0x4F]), 2)           // never a UTF-8 byte
        XCTAssertEqual(offset([0x43, 0xC3]), 1)                       // truncated two-byte sequence
        XCTAssertEqual(offset([0xC0, 0x80]), 0)                       // overlong NUL
        XCTAssertEqual(offset([0xE0, 0x80, 0x80]), 0)                 // overlong three-byte form
        XCTAssertEqual(offset([0xED, 0xA0, 0x80]), 0)                 // surrogate U+D800
        XCTAssertEqual(offset([0xF4, 0x90, 0x80, 0x80]), 0)           // above U+10FFFF
        XCTAssertEqual(offset([0x41, 0xE2, 0x88, 0x41]), 1)           // bad continuation byte
        XCTAssertEqual(offset([0x80]), 0)                             // lone continuation byte
        XCTAssertNil(offset([0xF4, 0x8F, 0xBF, 0xBF]))                // U+10FFFF itself
        let problem = [UInt8]([0x43, 0x43, 0xFF]).withUnsafeBufferPointer { UTF8Validation.problem(in: $0) }
        XCTAssertEqual(problem, "not valid UTF-8 text (byte 0xFF at column 3)")
        let position = [UInt8]([0x0A]).withUnsafeBufferPointer { UTF8Validation.problem(in: $0, position: "position") }
        XCTAssertNil(position)
    }

    /// Random byte strings drawn mostly from UTF-8's building blocks: valid exactly when the standard library
    /// decodes them, and the reported offset starts the longest valid prefix.
    func testAgreesWithTheStandardLibrary() {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let pieces: [[UInt8]] = [[0x41], [0xC3, 0xA9], [0xE2, 0x88, 0x91], [0xF0, 0x9D, 0x84, 0x9E], [0x80], [0xC3],
                                 [0xE2, 0x88], [0xED, 0xA0, 0x80], [0xF4, 0x90], [0xFF], [0xC1, 0xBF], [0xEF, 0xBF, 0xBF]]
        var invalid = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(next() % 6) { bytes += pieces[Int(next() % UInt64(pieces.count))] }
            let valid = bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) } != nil
            let found = offset(bytes)
            XCTAssertEqual(found == nil, valid, "\(bytes)")
            if let found {
                invalid += 1
                XCTAssertNotNil(String(validating: bytes[..<found], as: UTF8.self), "\(bytes) at \(found)")
                XCTAssertNil(String(validating: bytes[..<min(bytes.count, found + 4)], as: UTF8.self), "\(bytes) at \(found)")
            }
        }
        XCTAssertGreaterThan(invalid, 5_000)
    }
}
