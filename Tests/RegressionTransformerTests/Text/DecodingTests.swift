import XCTest
@testable import RegressionTransformer

/// ids → tokens, filling predictions in, tokens → (sequence, properties) (spec §1.7), and sample layouts.
final class DecodingTests: XCTestCase {
    let vocabulary = TextFixtures.smallMolecules

    private func encoded(_ tokens: String) throws -> [Int32] {
        try toks(tokens).map { try XCTUnwrap(vocabulary.id(of: $0), $0) }
    }

    /// §10: `aggregate_tokens([CLS] <qed> _0_0_ _._ _4_-1_ | [C] [O] [SEP] [PAD])` → (`[C][O]`, {qed: 0.4}).
    func testAggregateVector() throws {
        let sample = vocabulary.decodeSample(try encoded("[CLS] <qed> _0_0_ _._ _4_-1_ | [C] [O] [SEP] [PAD]"))
        XCTAssertEqual(sample.sequence, "[C][O]")
        XCTAssertEqual(sample.properties, [DecodedProperty(
            name: "qed", tokens: toks("_0_0_ _._ _4_-1_"), value: 0.4, lenientValue: 0.4)])
        XCTAssertEqual(sample.value(of: "qed"), 0.4)
    }

    func testDecodingFixesTheOriginalsAggregationBugs() throws {
        // Multi-property: the sequence is what follows the last `|`.
        let multi = vocabulary.decodeSample(try encoded("[CLS] <logp> _1_0_ | <scs> _-_ _2_0_ | [C] <PAD> [O] [SEP]"))
        XCTAssertEqual(multi.sequence, "[C]<PAD>[O]")
        XCTAssertEqual(multi.properties.map(\.name), ["logp", "scs"])
        XCTAssertEqual(multi.properties.map(\.value), [1, -2])
        // No [SEP]: nothing is dropped.
        XCTAssertEqual(vocabulary.decodeSample(try encoded("<qed> _0_0_ | [C] [O]")).sequence, "[C][O]")
        // Unreadable values are nil, not −1; the lenient reading ignores digit orders.
        let bad = vocabulary.decodeSample(try encoded("[CLS] <esol> _3_-2_ _._ | [C] [SEP]"))
        XCTAssertNil(bad.properties[0].value)
        XCTAssertEqual(bad.properties[0].lenientValue, 3.0)
        let garbage = vocabulary.decodeSample(try encoded("[CLS] <esol> [C] _1_0_ | [C] [SEP]"))
        XCTAssertNil(garbage.properties[0].value)
        XCTAssertNil(garbage.properties[0].lenientValue)
        // Ids outside the vocabulary read as [UNK].
        XCTAssertEqual(vocabulary.decodeSample([12, 16, 32, 15, 164, -100, 13]).sequenceTokens, ["[C]", "[UNK]"])
    }

    func testTokensForIDs() throws {
        XCTAssertEqual(try vocabulary.tokens(for: [12, 16, 15, 164, 13]), toks("[CLS] <qed> | [C] [SEP]"))
        XCTAssertThrowsError(try vocabulary.tokens(for: [12, -100])) { error in
            XCTAssertTrue("\(error)".contains("-100"), "\(error)")
        }
    }

    func testFillingMasksAndRestoringLabels() throws {
        let mask = vocabulary.specialIDs.mask
        let input: [Int32] = [12, 16, mask, 25, mask, 15, 164, 13]
        let predictions: [Int32] = [0, 0, 32, 0, 65, 0, 0, 0]
        XCTAssertEqual(vocabulary.fillingMasks(in: input, with: predictions), [12, 16, 32, 25, 65, 15, 164, 13])
        let labels: [Int32] = [-100, -100, 32, -100, 91, -100, -100, -100]
        XCTAssertEqual(vocabulary.restoringLabels(in: input, labels: labels), [12, 16, 32, 25, 91, 15, 164, 13])
    }

    func testSampleLayout() throws {
        let encoder = RTEncoder(vocabulary: vocabulary, tokenizer: RTTokenizer(language: .selfies))
        let ids = try encoder.encode("<logp>12.5|<scs>3.1|[C][=C][F].[C][O]") + [0, 0]  // batch padding
        let layout = SampleLayout(ids: ids, vocabulary: vocabulary)
        XCTAssertEqual(layout.content, 1..<18)  // the even-length [PAD] and [SEP] are not content
        XCTAssertEqual(layout.separators, [6, 11])
        XCTAssertEqual(layout.properties, [
            PropertySpan(name: "logp", tag: 1, value: 2..<6, separator: 6),
            PropertySpan(name: "scs", tag: 7, value: 8..<11, separator: 11),
        ])
        XCTAssertEqual(layout.sequence, 12..<18)
        XCTAssertEqual(vocabulary.numberLayout(of: ids[layout.properties[0].value])?.description, "dd.d")
        XCTAssertEqual(layout.entities(in: ids, separatedBy: [503]), [12..<15, 16..<18])
        // A bare sequence has no properties.
        let bare = SampleLayout(ids: try encoder.encode("[C][O]"), vocabulary: vocabulary)
        XCTAssertEqual(bare.properties, [])
        XCTAssertEqual(bare.sequence, 1..<3)
        // Proteins: [PAD] is 1, and the empty token 0 is content.
        let proteins = RTEncoder(vocabulary: TextFixtures.proteins, tokenizer: RTTokenizer(language: .aminoAcids))
        let protein = try proteins.encode("<stab>0.66|GSQEV")
        XCTAssertEqual(SampleLayout(ids: protein, vocabulary: TextFixtures.proteins).sequence, 7..<12)
    }

    /// Round trips text → ids → text for every line of the original's example file.
    func testRoundTripOfQEDPropertyExample() throws {
        let lines = try TextFixtures.text("qed_property_example.txt").split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 10)
        let tokenizer = RTTokenizer(language: .smiles)
        let sequenceTokens = try lines.flatMap { try tokenizer.parse($0).sequenceTokens }
        let vocabulary = TextFixtures.smallMolecules.appending(sequenceTokens)
        let encoder = RTEncoder(vocabulary: vocabulary, tokenizer: tokenizer)
        for line in lines {
            let ids = try encoder.encode(line)
            let sample = vocabulary.decodeSample(ids)
            let property = try XCTUnwrap(sample.properties.first)
            let written = String(property.tokens.map { NumberToken($0)!.character })
            XCTAssertEqual("<\(property.name)>\(written)|\(sample.sequence)", line)
            let value = Double(line.dropFirst(5).prefix { $0 != "|" })!
            XCTAssertEqual(property.value, value)
        }
    }
}
