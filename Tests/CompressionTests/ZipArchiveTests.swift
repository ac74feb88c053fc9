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
}
