import Foundation
import XCTest

/// `models/base` (pre-training stage 1, see its README): its vocabulary is the original RT's `smallmolecules.txt`
/// with the same ids plus the tokens the pre-training data added, its weights are stored as BF16, and — a
/// regression test pinning this model's own output, to be rewritten when the folder changes — its zero-shot QED
/// for a few drugs with the grid-valued `--estimate decoded`.
final class BaseModelTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let folder = repository.appendingPathComponent("models/base")

    func testVocabularyExtendsTheOriginals() throws {
        let ours = try String(contentsOf: Self.folder.appendingPathComponent("vocab.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let original = try String(contentsOf: Self.repository.appendingPathComponent(
            "Tests/RegressionTransformerTests/Fixtures/text/smallmolecules.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let originalTokens = original.last == "" ? Array(original.dropLast()) : original
        XCTAssertEqual(originalTokens.count, 507)
        XCTAssertEqual(Array(ours.prefix(507)), originalTokens)
        let info = try RTCommand.run(["model", "info", Self.folder.path, "--check"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("XLNet, 6 layers, d_model 256, 16 heads × 16, d_inner 1024"), info.stdout)
        XCTAssertTrue(info.stdout.contains("515 tokens"), info.stdout)
    }

    func testZeroShotQEDRegression() throws {
        let drugs = "CC(=O)Nc1ccc(O)cc1\nCN1C=NC2=C1C(=O)N(C)C(=O)N2C\nCC(C)Cc1ccc(cc1)C(C)C(=O)O\nc1ccccc1\n"
        let result = try RTCommand.run(["predict", "--model", Self.folder.path, "--estimate", "decoded"], stdin: drugs)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            input,qed,error
            CC(=O)Nc1ccc(O)cc1,0.887,
            CN1C=NC2=C1C(=O)N(C)C(=O)N2C,0.807,
            CC(C)Cc1ccc(cc1)C(C)C(=O)O,0.827,
            c1ccccc1,0.839,

            """)
    }
}
