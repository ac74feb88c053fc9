import XCTest
@testable import RegressionTransformer

/// Number tokens → values (spec §1.7), number layouts (the grammar of a number slot) and primers (§9.7).
final class NumberTests: XCTestCase {
    func testNumberTokenText() {
        XCTAssertEqual(NumberToken("_3_-1_"), .digit(3, order: -1))
        XCTAssertEqual(NumberToken("_9_5_"), .digit(9, order: 5))
        XCTAssertEqual(NumberToken("_-_"), .sign(negative: true))
        XCTAssertEqual(NumberToken("_+_"), .sign(negative: false))
        XCTAssertEqual(NumberToken("_._"), .point)
        XCTAssertEqual(NumberToken.digit(0, order: 0).text, "_0_0_")
        XCTAssertEqual(NumberToken.digit(5, order: -2).text, "_5_-2_")
        for text in ["_7_-0_", "_a_1_", "_1_01_", "_1__", "__", "_1_1", "1_1_", "_12_1_", "[C]", "_"] {
            XCTAssertNil(NumberToken(text), text)
        }
    }

    /// The six vectors of §1.7, with nil where the original returns −1.
    func testLenientValueVectors() {
        XCTAssertEqual(NumberDecoding.lenientValue(of: toks("_0_0_ _._ _9_-1_ _3_-2_ _1_-3_")), 0.931)
        XCTAssertEqual(NumberDecoding.lenientValue(of: toks("_-_ _3_0_ _._ _5_-1_ _3_-2_")), -3.53)
        XCTAssertNil(NumberDecoding.lenientValue(of: toks("_0_0_ _._ _._ _5_-2_")))
        XCTAssertEqual(NumberDecoding.lenientValue(of: toks("_3_-2_ _._")), 3.0)
        XCTAssertNil(NumberDecoding.lenientValue(of: [String]()))
        XCTAssertEqual(NumberDecoding.lenientValue(of: toks("_+_ _1_0_")), 1.0)
        XCTAssertEqual(NumberDecoding.lenientValue(of: toks("_._ _5_-1_")), 0.5)
        XCTAssertNil(NumberDecoding.lenientValue(of: toks("_-_")))
        XCTAssertNil(NumberDecoding.lenientValue(of: ["C"]))
    }

    func testGrammarCheckedValue() {
        XCTAssertEqual(NumberDecoding.value(of: toks("_0_0_ _._ _9_-1_ _3_-2_ _1_-3_")), 0.931)
        XCTAssertEqual(NumberDecoding.value(of: toks("_-_ _3_0_ _._ _5_-1_ _3_-2_")), -3.53)
        XCTAssertEqual(NumberDecoding.value(of: toks("_+_ _1_0_")), 1.0)
        XCTAssertEqual(NumberDecoding.value(of: toks("_1_1_ _2_0_ _._ _5_-1_")), 12.5)
        XCTAssertEqual(NumberDecoding.value(of: toks("_5_0_ _._")), 5.0)
        // Digits at the wrong order, misplaced points, missing digits: not a number.
        XCTAssertNil(NumberDecoding.value(of: toks("_3_-2_ _._")))
        XCTAssertNil(NumberDecoding.value(of: toks("_0_0_ _._ _._ _5_-2_")))
        XCTAssertNil(NumberDecoding.value(of: toks("_0_0_ _._ _5_-2_")))
        XCTAssertNil(NumberDecoding.value(of: toks("_1_0_ _2_0_")))
        XCTAssertNil(NumberDecoding.value(of: toks("_3_0_ _-_")))
        XCTAssertNil(NumberDecoding.value(of: toks("_-_")))
        XCTAssertNil(NumberDecoding.value(of: [String]()))
        XCTAssertNil(NumberDecoding.value(of: toks("_0_0_ [MASK]")))
    }

    func testLayoutOfTokensAndPositions() throws {
        let layout = try XCTUnwrap(NumberLayout(tokens: toks("_-_ _3_0_ _._ _5_-1_ _3_-2_").map { NumberToken($0)! }))
        XCTAssertEqual(layout, NumberLayout(hasSign: true, integerDigits: 1, fractionDigits: 2))
        XCTAssertEqual(layout.description, "±d.dd")
        XCTAssertEqual(layout.tokenCount, 5)
        XCTAssertEqual(layout.positions, [.sign, .digit(order: 0), .point, .digit(order: -1), .digit(order: -2)])
        XCTAssertEqual(NumberLayout(pattern: "±d.dd"), layout)
        XCTAssertEqual(NumberLayout(pattern: "-d.dd"), layout)
        XCTAssertEqual(NumberLayout(pattern: "dd")?.positions, [.digit(order: 1), .digit(order: 0)])
        XCTAssertEqual(NumberLayout(pattern: "d.")?.positions, [.digit(order: 0), .point])
        XCTAssertNil(NumberLayout(pattern: ".dd"))
        XCTAssertNil(NumberLayout(pattern: "dxd"))
        XCTAssertNil(NumberLayout(integerDigits: 0))
        XCTAssertEqual(NumberPosition.digit(order: -1).allowedTokens.count, 10)
        XCTAssertEqual(TextFixtures.smallMolecules.ids(allowedAt: .sign), [1, 2])
        XCTAssertEqual(TextFixtures.smallMolecules.ids(allowedAt: .point), [25])
        // `_0_-6_` is missing from the shipped vocabulary.
        XCTAssertEqual(TextFixtures.smallMolecules.ids(allowedAt: .digit(order: -6)).count, 9)
        XCTAssertEqual(TextFixtures.smallMolecules.ids(allowedAt: .digit(order: -1)).count, 10)
    }

    func testCandidateLayoutsForAMaskedSlot() {
        XCTAssertEqual(NumberLayout.candidates(tokenCount: 5).map(\.description),
                       ["d.ddd", "dd.dd", "ddd.d", "ddddd", "±d.dd", "±dd.d", "±dddd"])
        XCTAssertEqual(NumberLayout.candidates(tokenCount: 2, sign: .unsigned).map(\.description), ["dd"])
        XCTAssertEqual(NumberLayout.candidates(tokenCount: 1).map(\.description), ["d"])
        XCTAssertEqual(NumberLayout.candidates(tokenCount: 0), [])
    }

    func testFormattingIntoALayout() throws {
        func written(_ value: Double, _ pattern: String) throws -> String {
            try NumberLayout(pattern: pattern)!.tokens(for: value).map(\.text).joined(separator: " ")
        }
        XCTAssertEqual(try written(0.75, "d.ddd"), "_0_0_ _._ _7_-1_ _5_-2_ _0_-3_")
        XCTAssertEqual(try written(0.051, "d.ddd"), "_0_0_ _._ _0_-1_ _5_-2_ _1_-3_")
        XCTAssertEqual(try written(0.9996, "d.ddd"), "_1_0_ _._ _0_-1_ _0_-2_ _0_-3_")
        XCTAssertEqual(try written(0.42, "±d.dd"), "_+_ _0_0_ _._ _4_-1_ _2_-2_")
        XCTAssertEqual(try written(-3.534, "±d.dd"), "_-_ _3_0_ _._ _5_-1_ _3_-2_")
        XCTAssertEqual(try written(-0.001, "±d.dd"), "_+_ _0_0_ _._ _0_-1_ _0_-2_")
        XCTAssertEqual(try written(5, "dd.d"), "_0_1_ _5_0_ _._ _0_-1_")
        XCTAssertEqual(try written(12.5, "dd"), "_1_1_ _2_0_")  // ties to even on the binary value
        XCTAssertEqual(try written(13.5, "dd"), "_1_1_ _4_0_")
        XCTAssertThrowsError(try written(12.3, "d.ddd"))
        XCTAssertThrowsError(try written(9.9996, "d.ddd"))
        XCTAssertThrowsError(try written(-0.5, "d.ddd"))
        XCTAssertThrowsError(try written(.nan, "d.ddd"))
        XCTAssertThrowsError(try written(.infinity, "d.ddd"))
        // Whatever fits reads back as the rounded value.
        let layout = NumberLayout(pattern: "±dd.ddd")!
        for value in [-12.3456, 0.0, 3.14159, 99.9994, -0.0004] {
            let tokens = try layout.tokens(for: value)
            XCTAssertEqual(layout.value(of: tokens)!, (value * 1000).rounded(.toNearestOrEven) / 1000, accuracy: 1e-12)
        }
    }

    func testPrimingReplacesTheValueInTheSameLayout() throws {
        let vocabulary = TextFixtures.smallMolecules
        let encoder = RTEncoder(vocabulary: vocabulary, tokenizer: RTTokenizer(language: .selfies))
        let input = try encoder.encode("<qed>0.3936|[C][O]")
        let layout = SampleLayout(ids: input, vocabulary: vocabulary)
        let property = try XCTUnwrap(layout.property(named: "qed"))
        let primed = try vocabulary.priming(input, property: property, with: 0.051)
        XCTAssertEqual(try vocabulary.tokens(for: primed),
                       toks("[CLS] <qed> _0_0_ _._ _0_-1_ _5_-2_ _1_-3_ _0_-4_ | [C] [O] [SEP]"))
        // A masked slot needs its layout.
        let masked = try encoder.encode("<qed>[MASK][MASK][MASK][MASK][MASK]|[C][O]")
        let slot = try XCTUnwrap(SampleLayout(ids: masked, vocabulary: vocabulary).property(named: "qed"))
        XCTAssertThrowsError(try vocabulary.priming(masked, property: slot, with: 0.5))
        XCTAssertThrowsError(try vocabulary.priming(masked, property: slot, with: 0.5, layout: NumberLayout(pattern: "d.dd")))
        let filled = try vocabulary.priming(masked, property: slot, with: 0.7, layout: NumberLayout(pattern: "d.ddd"))
        XCTAssertEqual(vocabulary.decodeSample(filled).value(of: "qed"), 0.7)
        // A token the vocabulary lacks is an error, not a silent [UNK].
        XCTAssertThrowsError(try vocabulary.ids(for: 0.12345, in: NumberLayout(pattern: "d.dddddd")!)) { error in
            XCTAssertTrue("\(error)".contains("_0_-6_"), "\(error)")
        }
    }

    /// §10: the primer string the original tokenizes for `0.051`.
    func testPrimingSliceVector() throws {
        let encoder = RTEncoder(
            vocabulary: TextFixtures.smallMolecules, tokenizer: RTTokenizer(language: .smiles, mode: .faithful))
        let encoded = try encoder.encode("<qed>0.051|")
        XCTAssertEqual(try TextFixtures.smallMolecules.tokens(for: encoded),
                       toks("[CLS] <qed> _0_0_ _._ _0_-1_ _5_-2_ _1_-3_ | [PAD] [SEP]"))
        XCTAssertEqual(try TextFixtures.smallMolecules.tokens(for: encoded[2..<(encoded.count - 2)]),
                       toks("_0_0_ _._ _0_-1_ _5_-2_ _1_-3_ |"))
    }
}

final class InferenceTextTests: XCTestCase {
    func testPredictionAndPrimedLines() throws {
        let line = InferenceText.predictionLine(sequence: "[C][O]", properties: [("qed", 5)])
        XCTAssertEqual(line, "<qed>[MASK][MASK][MASK][MASK][MASK]|[C][O]")
        XCTAssertEqual(
            InferenceText.predictionLine(sequence: "CCO", properties: [("logp", 2), ("scs", 1)]),
            "<logp>[MASK][MASK]|<scs>[MASK]|CCO")
        XCTAssertEqual(try RTTokenizer(language: .selfies).parse(line).properties.first?.value, 1..<6)
        let primed = try InferenceText.primedLine(
            sequence: "[C][MASK][O]", properties: [("esol", -3.534, NumberLayout(pattern: "±d.dd")!)])
        XCTAssertEqual(primed, "<esol>-3.53|[C][MASK][O]")
        XCTAssertEqual(try InferenceText.primedLine(sequence: "C", properties: [("esol", 0.5, NumberLayout(pattern: "±d.d")!)]),
                       "<esol>+0.5|C")
        XCTAssertThrowsError(try InferenceText.primedLine(sequence: "C", properties: [("qed", 12, NumberLayout(pattern: "d.dd")!)]))
    }
}
