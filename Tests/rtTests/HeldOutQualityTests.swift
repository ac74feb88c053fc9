import Foundation
import XCTest

/// Each model folder's README states its quality on molecules it never saw; these tests re-measure it with
/// `rt evaluate regression` on the committed held-out files of `Fixtures/held_out` (see its README) and compare
/// with the numbers written in the READMEs. The tolerance, 5e-4 on RMSE and on Pearson, covers the GEMM backends
/// and thread counts (which round differently from the 7th digit on) and nothing else: a model, tokenizer or
/// decoding change that moves quality shows here.
final class HeldOutQualityTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let heldOut = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/held_out")
    static let tolerance = 5e-4

    struct Quality { var count: Int; var rmse: Double; var pearson: Double }

    func measure(_ model: String, _ file: String, csv: Bool) throws -> Quality {
        var arguments = ["evaluate", "regression", Self.heldOut.appendingPathComponent(file).path,
                         "--model", Self.repository.appendingPathComponent(model).path]
        if csv { arguments += ["--data-format", "csv", "--text-column", "smiles"] }
        let result = try RTCommand.run(arguments)
        XCTAssertFalse(result.crashed)
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let property = try XCTUnwrap((json["properties"] as? [[String: Any]])?.first, result.stdout)
        XCTAssertEqual(property["failed"] as? Int, 0, result.stdout)
        return Quality(count: try XCTUnwrap(property["count"] as? Int), rmse: try XCTUnwrap(property["rmse"] as? Double),
                       pearson: try XCTUnwrap(property["pearson"] as? Double))
    }

    func check(_ q: Quality, count: Int, rmse: Double, pearson: Double, _ what: String) {
        XCTAssertEqual(q.count, count, what)
        XCTAssertEqual(q.rmse, rmse, accuracy: Self.tolerance, what)
        XCTAssertEqual(q.pearson, pearson, accuracy: Self.tolerance, what)
    }

    /// models/qed/README.md: the first 200 molecules of `test_unseen.txt`.
    func testShippedQEDModelOnTheFirst200HeldOutMolecules() throws {
        check(try measure("models/qed", "qed_test_unseen_first200.txt", csv: false),
              count: 200, rmse: 0.0335, pearson: 0.9355, "models/qed")
    }

    /// models/qed-from-base/README.md: the same 200 molecules.
    func testQEDFromBaseOnTheFirst200HeldOutMolecules() throws {
        check(try measure("models/qed-from-base", "qed_test_unseen_first200.txt", csv: false),
              count: 200, rmse: 0.0236, pearson: 0.9681, "models/qed-from-base")
    }

    /// models/esol/README.md: the whole held-out file (ESOL `valid.csv`, 113 molecules).
    func testESOLModelOnItsHeldOutFile() throws {
        check(try measure("models/esol", "esol_valid.csv", csv: true),
              count: 113, rmse: 0.7702, pearson: 0.9178, "models/esol")
    }
}
