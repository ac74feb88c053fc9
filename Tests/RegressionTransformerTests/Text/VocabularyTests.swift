import Foundation
import XCTest
@testable import RegressionTransformer

/// Loading the shipped vocabularies unchanged (spec/rt-reference.md §1.5).
final class VocabularyTests: XCTestCase {
    func testShippedVocabulariesSpecialTokenIDs() throws {
        // file, count, [PAD], [UNK], [CLS], [SEP], [MASK], |, _._
        let table: [(Vocabulary, Int, [Int32])] = [
            (TextFixtures.smallMolecules, 507, [0, 11, 12, 13, 14, 15, 25]),
            (TextFixtures.reactions, 861, [0, 11, 12, 13, 14, 15, 25]),
            (TextFixtures.proteins, 509, [1, 12, 13, 14, 15, 16, 26]),
        ]
        for (vocabulary, count, expected) in table {
            XCTAssertEqual(vocabulary.count, count)
            let s = vocabulary.specialIDs
            XCTAssertEqual([s.pad, s.unknown, s.classifier, s.separator, s.mask, s.expressionSeparator],
                           Array(expected.prefix(6)))
            XCTAssertEqual(vocabulary.id(of: NumberToken.point), expected[6])
            XCTAssertEqual(vocabulary.id(of: "_._"), expected[6])
        }
    }

    func testSmallMoleculesLayout() throws {
        let v = TextFixtures.smallMolecules
        XCTAssertEqual(Array(v.tokens[0..<3]), ["[PAD]", "_-_", "_+_"])
        XCTAssertEqual(v.id(of: NumberToken.sign(negative: true)), 1)
        XCTAssertEqual(v.id(of: NumberToken.sign(negative: false)), 2)
        XCTAssertEqual(v.id(of: "<qed>"), 16)
        XCTAssertEqual(v.id(of: "."), 503)
        XCTAssertEqual(v.id(of: "[C]"), 164)
        XCTAssertEqual(v.token(for: 164), "[C]")
        XCTAssertNil(v.token(for: -100))
        XCTAssertNil(v.token(for: 507))
        XCTAssertEqual(v.id(of: NumberToken.digit(3, order: -1)), 65)
        XCTAssertEqual(v.numberToken(for: 65), .digit(3, order: -1))
        XCTAssertNil(v.numberToken(for: 26))  // `_0_-0_` is not a canonical number token
        XCTAssertNil(v.numberToken(for: 164))
        // Digit block 26–154: 12 tokens for digit 0, 13 for each of 1–9.
        let digitTokens = (26...154).map { v.tokens[$0] }
        XCTAssertTrue(digitTokens.allSatisfy { $0.hasPrefix("_") && $0.hasSuffix("_") })
        XCTAssertEqual(v.tagName(for: 16), "qed")
        XCTAssertTrue(v.isTag(6))  // <energy>
        XCTAssertTrue(v.isTag(497))  // the stray <PAD> sequence token
        XCTAssertFalse(v.isTag(164))
    }

    func testReactionsAndProteinsTokens() throws {
        XCTAssertEqual(TextFixtures.reactions.id(of: ">>"), 714)
        XCTAssertEqual(TextFixtures.reactions.id(of: "<yield>"), 10)
        let p = TextFixtures.proteins
        XCTAssertEqual(p.id(of: ""), 0)
        XCTAssertEqual(p.id(of: "<stab>"), 11)
        XCTAssertEqual(p.id(of: "A"), 156)
        XCTAssertEqual(p.id(of: "Z"), 181)
        XCTAssertEqual(p.id(of: "a"), 182)
    }

    func testLineSplittingFollowsPythonReadlines() throws {
        XCTAssertEqual(Vocabulary.lines(of: "a\nb"), ["a", "b"])
        XCTAssertEqual(Vocabulary.lines(of: "a\nb\n"), ["a", "b"])
        XCTAssertEqual(Vocabulary.lines(of: "\na\n\nb"), ["", "a", "", "b"])
        XCTAssertEqual(Vocabulary.lines(of: "a\r\nb\rc\n"), ["a", "b", "c"])
        XCTAssertEqual(Vocabulary.lines(of: "a\n\n"), ["a", ""])
        XCTAssertEqual(Vocabulary.lines(of: ""), [])
    }

    func testMissingSpecialTokensAndDuplicatesAreErrors() throws {
        let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "|"]
        XCTAssertNoThrow(try Vocabulary(tokens: specials))
        XCTAssertThrowsError(try Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "C"])) { error in
            XCTAssertTrue("\(error)".contains("[MASK] |"), "\(error)")
        }
        XCTAssertThrowsError(try Vocabulary(tokens: specials + ["C", "O", "C"])) { error in
            XCTAssertTrue("\(error)".contains("'C'"), "\(error)")
            XCTAssertTrue("\(error)".contains("lines 7 and 9"), "\(error)")
        }
        XCTAssertThrowsError(try Vocabulary(contentsOfFile: "/nonexistent/vocab.txt")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/vocab.txt"), "\(error)")
        }
    }

    func testWriteReadRoundTripKeepsEmptyTokensAndIDs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("vocab.txt").path
        try TextFixtures.proteins.write(toFile: path)
        let reread = try Vocabulary(contentsOfFile: path)
        XCTAssertEqual(reread, TextFixtures.proteins)
        XCTAssertEqual(reread.specialIDs.pad, 1)
    }

    func testAppendingKeepsOldIDs() throws {
        let v = TextFixtures.smallMolecules
        let extended = v.appending(["<newprop>", "[C]", "[Xe]"])
        XCTAssertEqual(extended.count, v.count + 2)
        XCTAssertEqual(Array(extended.tokens.prefix(v.count)), v.tokens)
        XCTAssertEqual(extended.id(of: "<newprop>"), 507)
        XCTAssertEqual(extended.id(of: "[Xe]"), 508)
        XCTAssertEqual(extended.id(of: "[C]"), 164)
    }

    func testLookupOfEveryShippedTokenByBytes() throws {
        for vocabulary in [TextFixtures.smallMolecules, TextFixtures.reactions, TextFixtures.proteins] {
            for (id, token) in vocabulary.tokens.enumerated() {
                XCTAssertEqual(vocabulary.id(of: token), Int32(id), token)
            }
            XCTAssertNil(vocabulary.id(of: "not-a-token"))
        }
    }
}
