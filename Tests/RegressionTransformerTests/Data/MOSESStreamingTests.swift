import XCTest
@testable import RegressionTransformer

/// The one test that reads the 1.58 M-line MOSES file: streamed from gzip line by line (never held whole),
/// every SMILES accepted by the strict tokenizer, and the token count equal to the original regex's
/// (56,047,284 tokens, computed with Python `re.findall`, which also covers every character of every line).
final class MOSESStreamingTests: XCTestCase {
    func testStreamsAndTokenizesEveryMOSESTrainingSMILES() throws {
        guard let data = TextFixtures.sharedData else { throw XCTSkip("../shared/data is not present") }
        let source = try LineSources.open(data.appendingPathComponent("moses/moses_train.csv.gz").path)
        let tokenizer = RTTokenizer(language: .smiles)
        var scratch = RawTokens()
        var lines = 0, tokens = 0, failures: [String] = []
        while let _ = try source.withNextLine({ line -> Void in
            if source.lineNumber == 1 {
                XCTAssertEqual(String(decoding: line, as: UTF8.self), "SMILES")
                return
            }
            lines += 1
            do throws(TokenizationError) {
                tokens += try tokenizer.tokenCount(of: line, scratch: &scratch)
            } catch {
                if failures.count < 5 { failures.append("line \(source.lineNumber): \(error)") }
            }
        }) {}
        XCTAssertEqual(failures, [])
        XCTAssertEqual(lines, 1_584_663)
        XCTAssertEqual(tokens, 56_047_284)
    }
}
