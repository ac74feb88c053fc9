import Foundation
import XCTest
@testable import Compression

/// archive.zip was written by CPython's zipfile; archive.json holds zlib's CRC-32, the size and the byte sum of
/// each entry's contents.
final class ZipArchiveTests: XCTestCase {
    struct Expected: Decodable {
        var crc32: UInt32
        var size: Int
        var byteSum: Int
    }

    func testEntriesStoredAndDeflated() throws {
        let archive = try ZipArchive(bytes: try Fixtures.bytes("archive.zip"), name: "archive.zip")
        let manifest = try JSONDecoder().decode(
            [String: Expected].self, from: Data(try Fixtures.bytes("archive.json")))
        XCTAssertEqual(archive.entries.map(\.name), ["archive/data.pkl", "archive/data/0", "notes.txt"])
        XCTAssertEqual(archive.entries.map(\.method), [0, 0, 8])
        for (name, expected) in manifest {
            let contents = try archive.contents(ofEntryNamed: name)
            XCTAssertEqual(contents.count, expected.size, name)
            XCTAssertEqual(CRC32.checksum(contents), expected.crc32, name)
            XCTAssertEqual(contents.reduce(0) { $0 + Int($1) }, expected.byteSum, name)
        }
    }

    func testMissingEntryAndNonZipAreClearErrors() throws {
        let archive = try ZipArchive(bytes: try Fixtures.bytes("archive.zip"), name: "m.bin")
        XCTAssertThrowsError(try archive.contents(ofEntryNamed: "nope")) { error in
            XCTAssertEqual((error as? CompressionError)?.description, "m.bin: archive has no entry named 'nope'")
        }
        XCTAssertThrowsError(try ZipArchive(bytes: Array(repeating: 7, count: 100), name: "x.bin")) { error in
            XCTAssertEqual((error as? CompressionError)?.description,
                           "x.bin: corrupt data at byte 100: not a zip archive (no end record)")
        }
    }

    func testDamagedEntryFailsItsChecksum() throws {
        var bytes = try Fixtures.bytes("archive.zip")
        let archive = try ZipArchive(bytes: bytes, name: "a.zip")
        let entry = try XCTUnwrap(archive.entry(named: "archive/data/0"))
        bytes[entry.localHeaderOffset + 30 + "archive/data/0".utf8.count + 5] ^= 0xFF
        let damaged = try ZipArchive(bytes: bytes, name: "a.zip")
        XCTAssertThrowsError(try damaged.contents(ofEntryNamed: "archive/data/0")) { error in
            XCTAssertEqual(error as? CompressionError, .checksumMismatch(source: "a.zip:archive/data/0", what: "CRC-32"))
        }
    }

    /// Field values a crafted archive may hold (ZIP64 offsets near 2^63, sizes near 2^64) are errors, never
    /// arithmetic traps or huge allocations.
    func testHugeFieldValuesAreErrors() throws {
        var bytes = try Fixtures.bytes("archive.zip")
        guard let end = (0...(bytes.count - 22)).reversed().first(where: { bytes[$0..<($0 + 4)] == [0x50, 0x4B, 0x05, 0x06] }) else {
            return XCTFail("no end record")
        }
        bytes.replaceSubrange((end - 20)..<(end - 16), with: [0x50, 0x4B, 0x06, 0x07])  // a ZIP64 locator …
        bytes.replaceSubrange((end - 12)..<(end - 4), with: [0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])  // … to 2^63 - 16
        XCTAssertThrowsError(try ZipArchive(bytes: bytes, name: "z.zip")) { error in
            XCTAssertEqual((error as? CompressionError)?.description, "z.zip: corrupt data at byte \(end - 12): field value out of range")
        }
    }

    /// Random byte flips anywhere in the archive: opening and reading every entry either works or throws.
    func testMutatedArchivesNeverCrash() throws {
        let original = try Fixtures.bytes("archive.zip")
        var state: UInt64 = 7
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var failures = 0
        for _ in 0..<2_000 {
            var bytes = original
            for _ in 0...(next() % 4) { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
            do {
                let archive = try ZipArchive(bytes: bytes, name: "m.zip")
                for entry in archive.entries { _ = try archive.contents(of: entry) }
            } catch is CompressionError {
                failures += 1
            }
        }
        XCTAssertGreaterThan(failures, 100)
    }
}
