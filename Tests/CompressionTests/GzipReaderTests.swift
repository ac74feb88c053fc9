import XCTest
@testable import Compression

/// Golden files made by scripts/fixtures/make_compression_fixtures.py with CPython's zlib.
final class GzipReaderTests: XCTestCase {
    /// Splits a byte source into chunks of `size`, to exercise every boundary case of the readers.
    final class SmallChunks: ByteSource {
        let name = "small-chunks"
        var bytes: ArraySlice<UInt8>
        let size: Int
        init(_ bytes: [UInt8], size: Int) {
            self.bytes = bytes[...]
            self.size = size
        }
        func nextChunk() throws -> [UInt8]? {
            guard !bytes.isEmpty else { return nil }
            let chunk = Array(bytes.prefix(size))
            bytes = bytes.dropFirst(size)
            return chunk
        }
    }

    func decompress(_ source: ByteSource, chunkSize: Int = 1 << 20) throws -> [UInt8] {
        let reader = GzipReader(source: source, chunkSize: chunkSize)
        var out = [UInt8]()
        while let chunk = try reader.nextChunk() {
            XCTAssertFalse(chunk.isEmpty)
            out += chunk
        }
        return out
    }

    func testEveryBlockKindDecodesToTheOriginal() throws {
        let expected = try Fixtures.bytes("text.txt")
        for name in ["text.level9.gz", "text.stored.gz", "text.fixed.gz", "text.rle.gz", "text.multimember.gz"] {
            let gz = try Fixtures.bytes(name)
            XCTAssertEqual(try decompress(MemoryByteSource(gz)), expected, name)
            // Tiny input chunks and a small output chunk force refills and window slides everywhere.
            XCTAssertEqual(try decompress(SmallChunks(gz, size: 7), chunkSize: 1000), expected, name)
        }
    }

    func testBadChecksumIsReported() throws {
        let gz = try Fixtures.bytes("text.badcrc.gz")
        XCTAssertThrowsError(try decompress(MemoryByteSource(gz, name: "bad.gz"))) { error in
            XCTAssertEqual(error as? CompressionError, .checksumMismatch(source: "bad.gz", what: "gzip CRC-32"))
        }
    }

    func testTruncatedFileIsReported() throws {
        let gz = try Fixtures.bytes("text.truncated.gz")
        XCTAssertThrowsError(try decompress(MemoryByteSource(gz, name: "cut.gz"))) { error in
            guard case .truncated(let source, _)? = error as? CompressionError else {
                return XCTFail("expected truncated, got \(error)")
            }
            XCTAssertEqual(source, "cut.gz")
        }
    }

    func testNotGzipIsReported() {
        XCTAssertThrowsError(try decompress(MemoryByteSource(Array("hello world".utf8), name: "x"))) { error in
            XCTAssertEqual((error as? CompressionError)?.description, "x: corrupt data at byte 1: not gzip data (bad magic number)")
        }
    }

    /// Damaged input must give an error or (rarely, if the damage is harmless) the right bytes — never a crash,
    /// a hang or wrong output that passes the checks.
    func testMutatedInputNeverCrashesOrSilentlyCorrupts() throws {
        let gz = try Fixtures.bytes("text.level9.gz")
        let expected = try Fixtures.bytes("text.txt")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var errors = 0
        for _ in 0..<300 {
            var damaged = gz
            for _ in 0..<(1 + next() % 4) {
                damaged[next() % damaged.count] = UInt8(truncatingIfNeeded: next())
            }
            do {
                let output = try decompress(MemoryByteSource(damaged))
                XCTAssertEqual(output, expected)
            } catch is CompressionError {
                errors += 1
            }
        }
        XCTAssertGreaterThan(errors, 250)
    }

    func testFixedCodeTablesAreComplete() {
        XCTAssertFalse(FixedCodes.literals.entries.contains(0))
        XCTAssertEqual(FixedCodes.literals.bits, 9)
        XCTAssertEqual(FixedCodes.distances.bits, 5)
    }

    func testCRC32KnownValues() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)  // the standard check value
        XCTAssertEqual(CRC32.checksum([]), 0)
    }

    func testCRC32OfFixtureMatchesZlib() throws {
        // zlib.crc32 of text.txt, printed by CPython 3.11.7; exercises the 8-byte path and the byte tail.
        XCTAssertEqual(CRC32.checksum(try Fixtures.bytes("text.txt")), 2854158855)
        var crc = CRC32()
        let bytes = try Fixtures.bytes("text.txt")
        for piece in stride(from: 0, to: bytes.count, by: 1001) {
            bytes[piece..<min(piece + 1001, bytes.count)].withUnsafeBufferPointer { crc.update($0) }
        }
        XCTAssertEqual(crc.value, 2854158855)
    }
}
