import Compression
import Foundation
import XCTest
@testable import Chemistry

/// The property labels of the shared training data (RDKit 2026.09.1 QED, Crippen logP, SA and penalised logP,
/// rounded to 4 decimals) recomputed in Swift: every 80th row of `moses/moses_train_qed_200k.csv.gz` (2,500
/// molecules) and every 20th of `zinc_jtvae/zinc_jtvae_valid_props.csv.gz` (1,223). Skipped when the shared data
/// folder is not next to the repository.
final class DataLabelTests: XCTestCase {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")

    func testMosesLabelsAreReproduced() throws {
        try check("moses/moses_train_qed_200k.csv.gz", every: 80, expected: 2500)
    }

    func testZincLabelsAreReproduced() throws {
        try check("zinc_jtvae/zinc_jtvae_valid_props.csv.gz", every: 20, expected: 1223)
    }

    func check(_ file: String, every step: Int, expected: Int) throws {
        let path = Self.data.appendingPathComponent(file).path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no \(path)") }
        let reader = try LineReader(path: path)
        XCTAssertEqual(try reader.nextLine(), "smiles,logp,qed,sa,plogp")
        var a = Agreement()
        var k = 0, checked = 0
        while let line = try reader.nextLine() {
            defer { k += 1 }
            guard k % step == 0 else { continue }
            let f = line.split(separator: ",").map(String.init)
            guard f.count == 5 else { XCTFail("\(file):\(k + 2): bad line \(line)"); continue }
            let p = MoleculeProperties(try Molecule(smiles: f[0]))
            let ctx = "\(file):\(k + 2) \(f[0])"
            // Labels are rounded to 4 decimals: agreement means |ours - label| <= 0.5e-4 (+ float slack).
            let tolerance = 0.5e-4 + 1e-12
            a.check("qed", p.qed, Double(f[2]), tolerance: tolerance, context: ctx)
            a.check("logp", p.logP, Double(f[1]), tolerance: tolerance, context: ctx)
            a.check("sa", p.sa, Double(f[3]), tolerance: tolerance, context: ctx)
            a.check("plogp", p.penalizedLogP, Double(f[4]), tolerance: tolerance, context: ctx)
            checked += 1
        }
        XCTAssertEqual(checked, expected)
        if ProcessInfo.processInfo.environment["RT_CHEM_REPORT"] != nil { print("== \(file)\n\(a.summary)") }
        for column in a.total.keys.sorted() { XCTAssertEqual(a.mismatches(column), 0, "\(column)\n\(a.summary)") }
    }
}
