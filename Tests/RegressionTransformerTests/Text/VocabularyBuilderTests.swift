import XCTest
@testable import RegressionTransformer

final class VocabularyBuilderTests: XCTestCase {
    func testLayoutOfANewVocabulary() throws {
        var builder = VocabularyBuilder()
        try builder.add(MemoryLineSource(try TextFixtures.text("qed_property_example.txt"), name: "qed.txt"),
                        tokenizer: RTTokenizer(language: .smiles))
        let vocabulary = try builder.build()
        XCTAssertEqual(builder.lines, 10)
        XCTAssertEqual(Array(vocabulary.tokens[0..<10]),
                       toks("[PAD] [UNK] [CLS] [SEP] [MASK] | _-_ _+_ _._ <qed>"))
        XCTAssertEqual(vocabulary.specialIDs.pad, 0)
        // 12 orders (5 … −6, without −0) × 10 digits.
        XCTAssertEqual(Array(vocabulary.tokens[10..<13]), toks("_0_5_ _1_5_ _2_5_"))
        XCTAssertEqual(vocabulary.tokens[129], "_9_-6_")
        XCTAssertNotNil(vocabulary.id(of: NumberToken.digit(0, order: -6)))
        XCTAssertNil(vocabulary.id(of: "_0_-0_"))
        // Sequence tokens by frequency: C 15, N 5, O 3, S 2, then = and Br once each in order of appearance.
        XCTAssertEqual(Array(vocabulary.tokens[130...]), toks("C N O S = Br"))
    }

    func testDigitsOutsideTheRangeAreAdded() throws {
        var builder = VocabularyBuilder(minimumOrder: -2, maximumOrder: 1)
        try builder.add("<x>123.4567|C", tokenizer: RTTokenizer())
        let vocabulary = try builder.build()
        XCTAssertEqual(vocabulary.count, 6 + 3 + 1 + 40 + 3 + 1)
        for token in toks("_1_2_ _6_-3_ _7_-4_") { XCTAssertNotNil(vocabulary.id(of: token), token) }
        builder.addProperty("extra")
        XCTAssertNotNil(try builder.build().id(of: "<extra>"))
    }

    func testExtendingKeepsEveryExistingID() throws {
        let base = TextFixtures.smallMolecules
        var builder = VocabularyBuilder()
        try builder.add("<newprop>0.5|[C][Xe]CCO", tokenizer: RTTokenizer(language: .smiles))
        let extended = try builder.build(extending: base)
        XCTAssertEqual(Array(extended.tokens.prefix(base.count)), base.tokens)
        XCTAssertEqual(extended.id(of: "<newprop>"), 507)
        XCTAssertNotNil(extended.id(of: "_0_-6_"))  // the missing sixth-decimal zero is added
        XCTAssertEqual(Array(extended.tokens.suffix(3)), toks("C [Xe] O"))
        XCTAssertEqual(extended.id(of: "[C]"), 164)
    }

    func testInvalidLinesFailOrAreSkipped() throws {
        var builder = VocabularyBuilder()
        let text = "<qed>0.5|CCO\n<qed>.5|CC\n"
        XCTAssertThrowsError(try builder.add(MemoryLineSource(text, name: "v.txt"), tokenizer: RTTokenizer())) { error in
            XCTAssertTrue("\(error)".contains("v.txt:2:"), "\(error)")
        }
        XCTAssertEqual(builder.lines, 0)  // nothing counted from a failed file
        let skipped = try builder.add(MemoryLineSource(text, name: "v.txt"), tokenizer: RTTokenizer(),
                                      options: DatasetOptions(skipsInvalidLines: true))
        XCTAssertEqual(skipped, 1)
        XCTAssertEqual(builder.lines, 1)
    }
}
