import Compression
import Foundation
import XCTest
@testable import Chemistry

/// The property labels of the shared training data (`../shared/data/moses/moses_train_qed_200k.csv.gz`: RDKit
/// 2026.09.1 QED, Crippen logP, SA and penalised logP, rounded to 4 decimals) recomputed in Swift on every 40th
/// row (5,000 molecules). Skipped when the shared data folder is not next to the repository.
final class DataLabelTests: XCTestCase {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/moses/moses_train_qed_200k.csv.gz").path

    func testMosesLabelsAreReproduced() throws {
        guard FileManager.default.fileExists(atPath: Self.path) else { throw XCTSkip("no \(Self.path)") }
        let reader = try LineReader(path: Self.path)
        XCTAssertEqual(try reader.nextLine(), "smiles,logp,qed,sa,plogp")
        var checked = 0
        var a = Agreement()
        var k = 0
        while let line = try reader.nextLine() {
            defer { k += 1 }
            guard k % 40 == 0 else { continue }
            let f = line.split(separator: ",").map(String.init)
            guard f.count == 5 else { XCTFail("bad line \(k + 2): \(line)"); continue }
            let m = try Molecule(smiles: f[0])
            let p = MoleculeProperties(m)
            let ctx = "line \(k + 2) \(f[0])"
            // Labels are rounded to 4 decimals: agreement means |ours - label| <= 0.5e-4 (+ float slack).
            a.check("qed", p.qed, Double(f[2]), tolerance: 0.5e-4 + 1e-12, context: ctx)
            a.check("logp", p.logP, Double(f[1]), tolerance: 0.5e-4 + 1e-12, context: ctx)
            a.check("sa", p.sa, Double(f[3]), tolerance: 0.5e-4 + 1e-12, context: ctx)
            a.check("plogp", p.penalizedLogP, Double(f[4]), tolerance: 0.5e-4 + 1e-12, context: ctx)
            checked += 1
        }
        XCTAssertEqual(checked, 5000)
        if ProcessInfo.processInfo.environment["RT_CHEM_REPORT"] != nil { print("== moses labels\n\(a.summary)") }
        for column in a.total.keys.sorted() { XCTAssertEqual(a.mismatches(column), 0, "\(column)\n\(a.summary)") }
    }
}
