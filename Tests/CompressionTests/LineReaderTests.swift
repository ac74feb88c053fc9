import Foundation
import XCTest
@testable import Compression

final class LineReaderTests: XCTestCase {
    func lines(of reader: LineReader) throws -> [String] {
        var out = [String]()
        while let line = try reader.nextLine() { out.append(line) }
        return out
    }

    func expectedLines() throws -> [String] {
        // text.txt has "\r\n" on some lines and no final newline.
        // Split the bytes, not the String: Swift treats "\r\n" as one Character.
        try Fixtures.bytes("text.txt")
            .split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self) }
    }

    func testPlainAndGzipFilesGiveTheSameLines() throws {
        let expected = try expectedLines()
        XCTAssertEqual(expected.count, 3000)
        XCTAssertEqual(try lines(of: LineReader(path: Fixtures.path("text.txt"))), expected)
        XCTAssertEqual(try lines(of: LineReader(path: Fixtures.path("text.level9.gz"))), expected)
        XCTAssertEqual(try lines(of: LineReader(path: Fixtures.path("text.multimember.gz"))), expected)
    }

    func testLinesSpanningChunksAndLineNumbers() throws {
        let text = "a\n\nbb\r\nccc\nlast"
        let source = GzipReaderTests.SmallChunks(Array(text.utf8), size: 2)
        let reader = LineReader(source: source)
        var seen = [(Int, String)]()
        while let line = try reader.nextLine() { seen.append((reader.lineNumber, line)) }
        XCTAssertEqual(seen.map(\.1), ["a", "", "bb", "ccc", "last"])
        XCTAssertEqual(seen.map(\.0), [1, 2, 3, 4, 5])
    }

    /// Lines up to the maximum pass (a `\r\n` end does not count), longer ones are an error naming the line —
    /// within one chunk, across chunks, and for a last line without a newline.
    func testLinesLongerThanTheMaximumAreErrors() throws {
        for chunk in [2, 3, 64] {
            func read(_ text: String) throws -> [String] {
                try lines(of: LineReader(source: GzipReaderTests.SmallChunks(Array(text.utf8), size: chunk), maximumLineLength: 4))
            }
            XCTAssertEqual(try read("abcd\r\nab\nabcd"), ["abcd", "ab", "abcd"], "chunk \(chunk)")
            for text in ["ab\nabcde\nx", "ab\nabcde\r\n", "ab\r\nabcde", "ab\nabcdefghijklmnop"] {
                XCTAssertThrowsError(try read(text), "chunk \(chunk): \(text)") { error in
                    XCTAssertEqual(error as? CompressionError, .lineTooLong(source: "small-chunks", line: 2, limit: 4), "chunk \(chunk): \(text)")
                    XCTAssertEqual("\(error)", "small-chunks:2: line longer than 4 bytes (not a text file?)")
                }
            }
        }
    }

    func testTrailingNewlineDoesNotMakeAnEmptyLastLine() throws {
        let reader = LineReader(source: MemoryByteSource(Array("x\ny\n".utf8)))
        XCTAssertEqual(try lines(of: reader), ["x", "y"])
        XCTAssertEqual(try lines(of: LineReader(source: MemoryByteSource([]))), [])
    }

    func testInvalidUTF8NamesTheLine() {
        let bytes: [UInt8] = Array("ok\n".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let reader = LineReader(source: MemoryByteSource(bytes, name: "data.txt"))
        XCTAssertEqual(try reader.nextLine(), "ok")
        XCTAssertThrowsError(try reader.nextLine()) { error in
            XCTAssertEqual((error as? CompressionError)?.description, "data.txt:2: line is not valid UTF-8 text")
        }
    }

    func testMissingFileAndDirectoryAreClearErrors() {
        XCTAssertThrowsError(try LineReader(path: "/no/such/file.txt")) { error in
            XCTAssertEqual((error as? CompressionError)?.description,
                           "/no/such/file.txt: cannot open: No such file or directory")
        }
        XCTAssertThrowsError(try LineReader(path: Fixtures.directory.path)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
    }

    /// The real 200k-molecule MOSES file (4.5 MB gzip, 15 MB of text) from ../shared/data.
    func testSharedMosesFileStreams() throws {
        let path = Fixtures.shared.appendingPathComponent("data/moses/moses_train_qed_200k.csv.gz").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(path) is not present (../shared is beside the repository in CI only)")
        }
        let reader = try LineReader(path: path)
        XCTAssertEqual(try reader.nextLine(), "smiles,logp,qed,sa,plogp")
        XCTAssertEqual(try reader.nextLine(), "O=C(NC1CC1)c1cc(NC(=O)C2CC=CCC2)ccc1Cl,3.527,0.8344,2.57,0.957")
        var last = ""
        while let line = try reader.nextLine() { last = line }
        XCTAssertEqual(reader.lineNumber, 200_001)
        XCTAssertEqual(last, "COc1ccc(OC)c(S(=O)(=O)N2CCCC(C)CC2)c1,2.5145,0.8569,2.3023,-0.7878")
    }
}
