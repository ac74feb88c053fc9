import Foundation
import XCTest
@testable import RegressionTransformer

/// Faithful mode against golden tokenizations from the original's algorithms (Python `re` with the original
/// regexes, selfies 1.0.4 `split_selfies`): MOSES and ChEMBL molecules plus seeded random strings that hit every
/// regex alternative and every skipped character. Generator: scripts/fixtures/text/tokenizer_golden.py.
final class GoldenTokenizerTests: XCTestCase {
    struct Case: Decodable {
        var language: String
        var input: String
        var tokens: [String]?
        var error: Bool?
    }

    func testFaithfulModeMatchesTheOriginal() throws {
        let text = try TextFixtures.text("tokenizer_golden.jsonl")
        let decoder = JSONDecoder()
        var checked = 0, errors = 0
        for line in text.split(separator: "\n") {
            let golden = try decoder.decode(Case.self, from: Data(line.utf8))
            let language = try XCTUnwrap(SequenceLanguage(name: golden.language))
            let tokenizer = RTTokenizer(language: language, mode: .faithful)
            if golden.error == true {
                XCTAssertThrowsError(try tokenizer.tokenize(golden.input), golden.input)
                errors += 1
            } else {
                XCTAssertEqual(try tokenizer.tokenize(golden.input), golden.tokens, "\(golden.language): \(golden.input)")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 6197)
        XCTAssertEqual(errors, 586)
    }

    /// Strict mode never disagrees with the original on input it accepts.
    func testStrictModeAgreesWheneverItAccepts() throws {
        let text = try TextFixtures.text("tokenizer_golden.jsonl")
        var accepted = 0
        for line in text.split(separator: "\n") {
            let golden = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            let tokenizer = RTTokenizer(language: SequenceLanguage(name: golden.language)!, mode: .strict)
            guard let tokens = try? tokenizer.tokenize(golden.input) else { continue }
            XCTAssertEqual(tokens, golden.tokens, golden.input)
            accepted += 1
        }
        XCTAssertGreaterThan(accepted, 2500)  // every real molecule, and the random strings that are well-formed
    }
}
