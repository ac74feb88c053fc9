import XCTest
@testable import RegressionTransformer

/// The worked examples of spec/rt-reference.md §1.8 (ids verified there against the shipped vocabularies).
final class WorkedExampleTests: XCTestCase {
    let smiles = RTTokenizer(language: .smiles)
    let selfies = RTTokenizer(language: .selfies)

    func testExample1SELFIESWithSmallMolecules() throws {
        let text = "<qed>0.3936|[C][Br]"
        for tokenizer in [smiles, selfies] {
            XCTAssertEqual(try tokenizer.tokenize(text), toks("<qed> _0_0_ _._ _3_-1_ _9_-2_ _3_-3_ _6_-4_ | [C] [Br]"))
            let encoder = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: tokenizer)
            XCTAssertEqual(try encoder.encode(text, addSpecialTokens: false), ids("16 32 25 65 144 67 107 15 164 169"))
            XCTAssertEqual(try encoder.encode(text), ids("12 16 32 25 65 144 67 107 15 164 169 13"))
        }
    }

    func testExample2SMILESTextWithSELFIESVocabularyMapsAtomsToUnknown() throws {
        let text = "<qed>0.3936|CBr"
        XCTAssertEqual(try smiles.tokenize(text), toks("<qed> _0_0_ _._ _3_-1_ _9_-2_ _3_-3_ _6_-4_ | C Br"))
        // The original's behaviour, reproduced in faithful mode …
        let faithful = RTEncoder(
            vocabulary: TextFixtures.smallMolecules, tokenizer: RTTokenizer(language: .smiles, mode: .faithful))
        XCTAssertEqual(try faithful.encode(text), ids("12 16 32 25 65 144 67 107 15 11 11 13"))
        // … and on request in strict mode.
        let allowing = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: smiles, allowsUnknownTokens: true)
        XCTAssertEqual(try allowing.encode(text), ids("12 16 32 25 65 144 67 107 15 11 11 13"))
        // By default an unknown token is an error that says what is wrong.
        let strict = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: smiles)
        XCTAssertThrowsError(try strict.encode(text)) { error in
            let error = error as! TokenizationError
            XCTAssertEqual(error.kind, .unknownToken)
            XCTAssertEqual(error.column, 13)
            XCTAssertTrue(error.description.contains("'C'"), error.description)
            XCTAssertTrue(error.description.contains("SELFIES"), error.description)
        }
    }

    func testExample3SignAndIntegerPart() throws {
        let text = "<esol>-3.53|[C][C][Branch1_1][C][O]"
        XCTAssertEqual(
            try smiles.tokenize(text),
            toks("<esol> _-_ _3_0_ _._ _5_-1_ _3_-2_ | [C] [C] [Branch1_1] [C] [O]"))
        let encoder = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: selfies)
        XCTAssertEqual(try encoder.encode(text), ids("12 21 1 71 25 91 66 15 164 164 163 164 170 13"))
    }

    func testExample4TwoPropertiesAndDot() throws {
        let text = "<logp>12.5|<scs>3.1|[C][=C][F].[C]"
        let expected = toks("<logp> _1_1_ _2_0_ _._ _5_-1_ | <scs> _3_0_ _._ _1_-1_ | [C] [=C] [F] . [C]")
        XCTAssertEqual(try smiles.tokenize(text), expected)
        XCTAssertEqual(try selfies.tokenize(text), expected)
        let encoder = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: selfies)
        XCTAssertEqual(
            try encoder.encode(text), [12] + ids("17 46 58 25 91 15 20 71 25 39 15 164 159 172 503 164") + [13])
    }

    func testExample5AminoAcidsOddLengthPadsWithTheRealPadID() throws {
        let text = "<stab>0.66|GSQEV"
        let tokenizer = RTTokenizer(language: .aminoAcids)
        XCTAssertEqual(try tokenizer.tokenize(text), toks("<stab> _0_0_ _._ _6_-1_ _6_-2_ | G S Q E V"))
        let proteins = TextFixtures.proteins
        XCTAssertEqual(proteins.specialIDs.pad, 1)
        XCTAssertEqual(proteins.tokens[0], "")
        let encoder = RTEncoder(vocabulary: proteins, tokenizer: tokenizer)
        XCTAssertEqual(try encoder.encode(text, addSpecialTokens: false), ids("11 33 26 105 106 16 162 174 172 160 177"))
        XCTAssertEqual(try encoder.encode(text), ids("13 11 33 26 105 106 16 162 174 172 160 177 1 14"))
    }

    func testExample6ReactionWithTheSMILESRegexAndTheReactionLanguages() throws {
        let text = "<yield>0.52|[C][C].[O]>>[C]"
        let expected = toks("<yield> _0_0_ _._ _5_-1_ _2_-2_ | [C] [C] . [O] >> [C]")
        for language in [SequenceLanguage.smiles, .reactionSMILES, .reactionSELFIES] {
            let tokenizer = RTTokenizer(language: language)
            XCTAssertEqual(try tokenizer.tokenize(text), expected, "\(language)")
            let encoder = RTEncoder(vocabulary: TextFixtures.reactions, tokenizer: tokenizer)
            XCTAssertEqual(
                try encoder.encode(text, addSpecialTokens: false), ids("10 32 25 91 53 15 164 164 503 170 714 164"))
        }
    }

    func testExample7EdgeCases() throws {
        let faithful = RTTokenizer(language: .smiles, mode: .faithful)
        let vocabulary = TextFixtures.smallMolecules
        // `.5` has no leading digit: the original drops the whole property.
        XCTAssertEqual(try faithful.tokenize("<qed>.5|[C]"), toks("| [C]"))
        XCTAssertThrowsError(try smiles.tokenize("<qed>.5|[C]")) { error in
            XCTAssertEqual((error as! TokenizationError).kind, .malformedNumber)
            XCTAssertTrue("\(error)".contains("0.5"), "\(error)")
        }
        // A 7th decimal is not in the vocabulary: [UNK] in the original, an error by default.
        let seventh = "<qed>0.1234560|[C]"
        XCTAssertEqual(try faithful.tokenize(seventh).dropFirst(9).first, "_0_-7_")
        let faithfulEncoder = RTEncoder(vocabulary: vocabulary, tokenizer: faithful)
        XCTAssertEqual(try faithfulEncoder.encode(seventh)[10], vocabulary.specialIDs.unknown)
        XCTAssertThrowsError(try RTEncoder(vocabulary: vocabulary, tokenizer: smiles).encode(seventh)) { error in
            XCTAssertEqual((error as! TokenizationError).kind, .unknownToken)
            XCTAssertTrue("\(error)".contains("_0_-7_"), "\(error)")
        }
        // 11 tokens: [PAD] (id 0 in this vocabulary) before [SEP].
        let encoded = try RTEncoder(vocabulary: vocabulary, tokenizer: smiles).encode("<qed>0.123456|[C]")
        XCTAssertEqual(encoded.count, 14)
        XCTAssertEqual(Array(encoded.suffix(3)), [164, 0, 13])
    }

    /// The sixth decimal `0` (`_0_-6_`) is missing from the shipped vocabularies (§1.5).
    func testSixthDecimalZeroIsMissingFromShippedVocabularies() throws {
        XCTAssertNil(TextFixtures.smallMolecules.id(of: NumberToken.digit(0, order: -6)))
        XCTAssertNotNil(TextFixtures.smallMolecules.id(of: NumberToken.digit(1, order: -6)))
        XCTAssertEqual(TextFixtures.smallMolecules.id(of: "_0_-0_"), 26)
    }
}
