import XCTest
@testable import RegressionTransformer

/// Tokenizer behaviour beyond the worked examples: the regexes' edge cases (spec §1.3, §1.4, §10), strict-mode
/// errors, and `[MASK]` inference inputs (spec §4.6).
final class TokenizerTests: XCTestCase {
    let strictSMILES = RTTokenizer(language: .smiles)
    let faithfulSMILES = RTTokenizer(language: .smiles, mode: .faithful)

    private func kind(_ body: @autoclosure () throws -> Any) -> TokenizationError.Kind? {
        do {
            _ = try body()
            return nil
        } catch let error as TokenizationError {
            return error.kind
        } catch {
            return nil
        }
    }

    // MARK: Property tokenizer (§1.3)

    func testPropertyRegexVectors() throws {
        for tokenizer in [strictSMILES, faithfulSMILES] {
            XCTAssertEqual(try tokenizer.tokenize("<qed>-0.5|C"), toks("<qed> _-_ _0_0_ _._ _5_-1_ | C"))
            XCTAssertEqual(try tokenizer.tokenize("<qed>5.|C"), toks("<qed> _5_0_ _._ | C"))
            XCTAssertEqual(try tokenizer.tokenize("<qed>+12|C"), toks("<qed> _+_ _1_1_ _2_0_ | C"))
            XCTAssertEqual(try tokenizer.tokenize("<molwt>123456|C"),
                           toks("<molwt> _1_5_ _2_4_ _3_3_ _4_2_ _5_1_ _6_0_ | C"))
            // Whitespace around the block and between tag and value is allowed by the regex.
            XCTAssertEqual(try tokenizer.tokenize(" <qed> 0.5 |C"), toks("<qed> _0_0_ _._ _5_-1_ | C"))
        }
        // Scientific notation is silently truncated by the original …
        XCTAssertEqual(try faithfulSMILES.tokenize("<qed>1e-05|C"), toks("<qed> _1_0_ | C"))
        // … and an error here.
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>1e-05|C")), .malformedNumber)
        // Trailing garbage is ignored by `re.match` …
        XCTAssertEqual(try faithfulSMILES.tokenize("<qed>0.5abc|C"), toks("<qed> _0_0_ _._ _5_-1_ | C"))
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>0.5abc|C")), .malformedNumber)
        XCTAssertEqual(try faithfulSMILES.tokenize("<qed>1.2.3|C"), toks("<qed> _1_0_ _._ _2_-1_ | C"))
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>1.2.3|C")), .malformedNumber)
        // No tag, empty block, no value, a space between sign and digits: no tokens in the original.
        XCTAssertEqual(try faithfulSMILES.tokenize("qed0.5|C"), toks("| C"))
        XCTAssertEqual(try faithfulSMILES.tokenize("|C"), toks("| C"))
        XCTAssertEqual(try faithfulSMILES.tokenize("<qed>|C"), toks("| C"))
        XCTAssertEqual(try faithfulSMILES.tokenize("<qed>- 1|C"), toks("| C"))
        XCTAssertEqual(try faithfulSMILES.tokenize("<q-d>1|C"), toks("| C"))
        XCTAssertEqual(kind(try strictSMILES.tokenize("qed0.5|C")), .missingPropertyName)
        XCTAssertEqual(kind(try strictSMILES.tokenize("|C")), .missingPropertyName)
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>|C")), .missingValue)
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>- 1|C")), .malformedNumber)
        XCTAssertEqual(kind(try strictSMILES.tokenize("<q-d>1|C")), .missingPropertyName)
    }

    func testStructureOfMultiPropertyLine() throws {
        let parsed = try strictSMILES.parse("<logp>-1.5|<scs>3|CCO")
        XCTAssertEqual(parsed.properties, [
            PropertySpan(name: "logp", tag: 0, value: 1..<5, separator: 5),
            PropertySpan(name: "scs", tag: 6, value: 7..<8, separator: 8),
        ])
        XCTAssertEqual(parsed.sequence, 9..<12)
        XCTAssertEqual(Array(parsed.sequenceTokens), ["C", "C", "O"])
        XCTAssertEqual(parsed.properties[0].token, "<logp>")
    }

    func testBareSequenceHasNoProperties() throws {
        let parsed = try strictSMILES.parse("CCO")
        XCTAssertEqual(parsed.tokens, ["C", "C", "O"])
        XCTAssertEqual(parsed.properties, [])
        XCTAssertEqual(parsed.sequence, 0..<3)
    }

    func testEmptyInputs() throws {
        XCTAssertEqual(kind(try strictSMILES.tokenize("")), .emptyLine)
        XCTAssertEqual(kind(try strictSMILES.tokenize("  \t")), .emptyLine)
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>0.5|")), .emptySequence)
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>0.5|  ")), .emptySequence)
        // The original gives [] for blank text, and just the specials once encoded.
        XCTAssertEqual(try faithfulSMILES.tokenize("   "), [])
        XCTAssertEqual(try faithfulSMILES.tokenize("<qed>0.5|"), toks("<qed> _0_0_ _._ _5_-1_ |"))
        let encoder = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: faithfulSMILES)
        XCTAssertEqual(try encoder.encode(" "), [12, 13])
    }

    func testUnknownPropertyNameIsAnErrorWithTheVocabulary() throws {
        let encoder = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: RTTokenizer(language: .selfies))
        XCTAssertThrowsError(try encoder.encode("<QED>0.5|[C]")) { error in
            XCTAssertEqual((error as! TokenizationError).kind, .unknownToken)
            XCTAssertTrue("\(error)".contains("<QED>"), "\(error)")
        }
    }

    // MARK: SMILES regex (§1.4)

    func testSMILESRegexExample() throws {
        XCTAssertEqual(
            try strictSMILES.tokenize("CC(=O)Nc1ccc(Cl)cc1[C@@H]%12Br"),
            toks("C C ( = O ) N c 1 c c c ( Cl ) c c 1 [C@@H] %12 Br"))
    }

    func testSMILESRegexAlternatives() throws {
        XCTAssertEqual(try strictSMILES.tokenize("C%(123)C"), toks("C %(123) C"))
        XCTAssertEqual(try strictSMILES.tokenize("CC>>O"), toks("C C >> O"))
        XCTAssertEqual(try strictSMILES.tokenize("CC>O>N"), toks("C C > O > N"))
        XCTAssertEqual(try strictSMILES.tokenize("B.Br.C.Cl"), toks("B . Br . C . Cl"))
        XCTAssertEqual(try strictSMILES.tokenize("[Na+].[Cl-]"), toks("[Na+] . [Cl-]"))
        XCTAssertEqual(try strictSMILES.tokenize("c1ccccc1/C=C\\O*$~?@:#"),
                       toks("c 1 c c c c c 1 / C = C \\ O * $ ~ ? @ : #"))
        // Characters that start no alternative are skipped by `re.findall` …
        XCTAssertEqual(try faithfulSMILES.tokenize("CCH K a<C"), toks("C C C"))
        XCTAssertEqual(try faithfulSMILES.tokenize("C%1C"), toks("C 1 C"))
        XCTAssertEqual(try faithfulSMILES.tokenize("C%(12)"), toks("C ( 1 2 )"))
        XCTAssertEqual(try faithfulSMILES.tokenize("C[]C"), toks("C C"))
        XCTAssertEqual(try faithfulSMILES.tokenize("C[CC"), toks("C C C"))
        XCTAssertEqual(try faithfulSMILES.tokenize("[C[O]"), toks("[C[O]"))
        // … and errors in strict mode, with the column.
        XCTAssertThrowsError(try strictSMILES.tokenize("<qed>0.5|CCH")) { error in
            let error = error as! TokenizationError
            XCTAssertEqual(error.kind, .invalidCharacter)
            XCTAssertEqual(error.column, 12)
            XCTAssertTrue(error.description.contains("'H'"), error.description)
        }
        XCTAssertEqual(kind(try strictSMILES.tokenize("C C")), .invalidCharacter)
        XCTAssertEqual(kind(try strictSMILES.tokenize("C%1C")), .invalidCharacter)
        XCTAssertEqual(kind(try strictSMILES.tokenize("C[]C")), .invalidCharacter)
        XCTAssertEqual(kind(try strictSMILES.tokenize("C[CC")), .unclosedBracket)
        XCTAssertEqual(kind(try strictSMILES.tokenize("Cé")), .invalidCharacter)
    }

    func testSMILESRegexSplitsWellFormedSELFIESIntoSymbols() throws {
        XCTAssertEqual(
            try strictSMILES.tokenize("[C][=C][Branch1_1][C][Expl=Ring1].[N+expl]"),
            toks("[C] [=C] [Branch1_1] [C] [Expl=Ring1] . [N+expl]"))
    }

    // MARK: SELFIES (§1.4, selfies 1.0.4 split_selfies)

    func testSplitSELFIESRules() throws {
        let strict = RTTokenizer(language: .selfies)
        let faithful = RTTokenizer(language: .selfies, mode: .faithful)
        XCTAssertEqual(try strict.tokenize("[C][=C][F].[C]"), toks("[C] [=C] [F] . [C]"))
        XCTAssertEqual(try faithful.tokenize("[C]x[O]"), toks("[C] x[O]"))
        XCTAssertEqual(try faithful.tokenize("ab[C][O]"), toks("[C] [O]"))
        XCTAssertEqual(try faithful.tokenize("[C]..[O]"), toks("[C] . .[O]"))
        XCTAssertEqual(try faithful.tokenize("CCO"), [])
        XCTAssertEqual(kind(try strict.tokenize("[C]x[O]")), .invalidCharacter)
        XCTAssertEqual(kind(try strict.tokenize("ab[C][O]")), .invalidCharacter)
        XCTAssertEqual(kind(try strict.tokenize("[C]..[O]")), .invalidCharacter)
        XCTAssertEqual(kind(try strict.tokenize("[C].")), .invalidCharacter)
        XCTAssertEqual(kind(try strict.tokenize("CCO")), .invalidCharacter)
        XCTAssertEqual(kind(try strict.tokenize("[C[O]")), .unclosedBracket)
        // selfies 1.0.4 never returns on these; both modes report them.
        for tokenizer in [strict, faithful] {
            XCTAssertEqual(kind(try tokenizer.tokenize("<qed>0.5|[C][O")), .unclosedBracket)
            XCTAssertEqual(kind(try tokenizer.tokenize("[C]xy")), .invalidCharacter)
        }
    }

    func testReactionSELFIESWithEnergySeparatorAndDot() throws {
        let tokenizer = RTTokenizer(language: .reactionSELFIES)
        XCTAssertEqual(try tokenizer.tokenize("[C][O]<energy>[N]>>[C][N]"), toks("[C] [O] <energy> [N] >> [C] [N]"))
        XCTAssertEqual(try tokenizer.tokenize("[C].[O]>>[C]"), toks("[C] . [O] >> [C]"))
        XCTAssertEqual(kind(try tokenizer.tokenize("[C].[O]")), .malformedReaction)
        XCTAssertEqual(kind(try tokenizer.tokenize("[C]>>[O]>>[N]")), .malformedReaction)
        XCTAssertEqual(kind(try tokenizer.tokenize(">>[O]")), .malformedReaction)
        let smiles = RTTokenizer(language: .reactionSMILES)
        XCTAssertEqual(try smiles.tokenize("CC<energy>O>>CO"), toks("C C <energy> O >> C O"))
        XCTAssertEqual(try smiles.tokenize("Clc1ccccn1.Cc1ccc(N)cc1>>Cc1ccc(Nc2ccccn2)cc1").count, 43)
        // Outside the reaction languages `<energy>` is not a token (the original's SMILES regex gives `n >`).
        XCTAssertEqual(try faithfulSMILES.tokenize("C<energy>C"), toks("C n > C"))
    }

    // MARK: Amino acids

    func testAminoAcids() throws {
        let strict = RTTokenizer(language: .aminoAcids)
        let faithful = RTTokenizer(language: .aminoAcids, mode: .faithful)
        XCTAssertEqual(try strict.tokenize("<stab>1.1|MKTAYIAKQR"), toks("<stab> _1_0_ _._ _1_-1_ | M K T A Y I A K Q R"))
        XCTAssertThrowsError(try strict.tokenize("<stab>1.1|GSqEV")) { error in
            let error = error as! TokenizationError
            XCTAssertEqual(error.kind, .invalidCharacter)
            XCTAssertEqual(error.column, 13)
            XCTAssertTrue(error.description.contains("lower-case"), error.description)
        }
        XCTAssertEqual(kind(try strict.tokenize("GS1EV")), .invalidCharacter)
        XCTAssertEqual(try faithful.tokenize("gs é"), ["g", "s", " ", "é"])
    }

    // MARK: [MASK] inference inputs (§4.6, GT4SD)

    func testMaskedPropertyValueForPrediction() throws {
        let text = "<qed>[MASK][MASK][MASK][MASK][MASK]|[C][O]"
        for tokenizer in [strictSMILES, faithfulSMILES, RTTokenizer(language: .selfies)] {
            let parsed = try tokenizer.parse(text)
            XCTAssertEqual(parsed.tokens, toks("<qed> [MASK] [MASK] [MASK] [MASK] [MASK] | [C] [O]"))
            XCTAssertEqual(parsed.properties, [PropertySpan(name: "qed", tag: 0, value: 1..<6, separator: 6)])
        }
        let encoder = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: RTTokenizer(language: .selfies))
        // 9 tokens: even-length padding once, for the whole line (GT4SD InferenceBertTokenizer).
        XCTAssertEqual(try encoder.encode(text), ids("12 16 14 14 14 14 14 15 164 170 0 13"))
        // Whitespace next to special tokens is ignored, as in HF's special-token split.
        XCTAssertEqual(try strictSMILES.tokenize("<qed> [MASK] [MASK] |[C]"), toks("<qed> [MASK] [MASK] | [C]"))
        // Multi-property prediction.
        XCTAssertEqual(try strictSMILES.tokenize("<logp>[MASK][MASK]|<scs>[MASK]|[C]"),
                       toks("<logp> [MASK] [MASK] | <scs> [MASK] | [C]"))
    }

    func testMaskedSequenceForGeneration() throws {
        XCTAssertEqual(
            try strictSMILES.tokenize("<esol>-3.534|[Br][C][MASK][MASK][=C]"),
            toks("<esol> _-_ _3_0_ _._ _5_-1_ _3_-2_ _4_-3_ | [Br] [C] [MASK] [MASK] [=C]"))
        XCTAssertEqual(
            try RTTokenizer(language: .selfies).tokenize("<qed>0.5|[C][MASK][O]"),
            toks("<qed> _0_0_ _._ _5_-1_ | [C] [MASK] [O]"))
        XCTAssertEqual(
            try RTTokenizer(language: .aminoAcids).tokenize("<stab>1.1234|TTIKNG[MASK][MASK]YTV"),
            toks("<stab> _1_0_ _._ _1_-1_ _2_-2_ _3_-3_ _4_-4_ | T T I K N G [MASK] [MASK] Y T V"))
        XCTAssertEqual(try strictSMILES.tokenize("CC[MASK]O"), toks("C C [MASK] O"))
        XCTAssertEqual(try strictSMILES.tokenize("<qed>0.5|[MASK][MASK]"), toks("<qed> _0_0_ _._ _5_-1_ | [MASK] [MASK]"))
    }

    func testMisplacedSpecialTokens() throws {
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>0.5|C[SEP]C")), .misplacedSpecialToken)
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>0.5|[CLS]C")), .misplacedSpecialToken)
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>0.[MASK]|C")), .misplacedSpecialToken)
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>[MASK]5|C")), .misplacedSpecialToken)
        XCTAssertEqual(kind(try faithfulSMILES.tokenize("[MASK]|C")), .misplacedSpecialToken)
        XCTAssertEqual(kind(try strictSMILES.tokenize("<qed>[MASK][PAD]|C")), .misplacedSpecialToken)
        // Faithful mode keeps special tokens inside the sequence as tokens.
        XCTAssertEqual(try faithfulSMILES.tokenize("C[SEP]C"), toks("C [SEP] C"))
        XCTAssertEqual(try strictSMILES.tokenize("C[UNK]C"), toks("C [UNK] C"))
    }
}
