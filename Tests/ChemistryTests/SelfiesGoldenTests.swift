import XCTest
@testable import Chemistry

/// SELFIES 1.0.4 strings against the selfies 1.0.4 package: encoder on the input SMILES and on RDKit's canonical
/// SMILES, decoder on the encoder's output, and (fuzz set) decoder on random/mutated SELFIES. Exact strings; an
/// empty golden cell means selfies returned None or raised.
final class SelfiesGoldenTests: XCTestCase {
    static func encoded(_ s: String) -> String { (try? SelfiesEncoder.encode(s)) ?? "" }
    static func decoded(_ s: String) -> String { (try? SelfiesDecoder.decode(s)) ?? "" }

    func check(_ name: String) throws -> Agreement {
        let file = try GoldenFile(name)
        var a = Agreement()
        for row in file.rows {
            let ctx = "\(name)#\(row["idx"] ?? "?") \(row["input"] ?? "")"
            if let sel = row["selfies_in"], !sel.isEmpty {
                a.check("decoder(selfies_in)", Self.decoded(sel), row["input"] ?? "", context: "\(ctx) \(sel)")
            }
            a.check("selfies1", Self.encoded(row["input"] ?? ""), row["selfies1"] ?? "", context: ctx)
            if let enc = row["selfies1"], !enc.isEmpty {
                a.check("selfies1_decoded", Self.decoded(enc), row["selfies1_decoded"] ?? "", context: ctx)
            }
            if let can = row["can_smiles"], !can.isEmpty {
                a.check("selfies1_from_can", Self.encoded(can), row["selfies1_from_can"] ?? "", context: ctx)
            }
        }
        if ProcessInfo.processInfo.environment["RT_CHEM_REPORT"] != nil { print("== \(name)\n\(a.summary)") }
        return a
    }

    func testCuratedSetsExact() throws {
        for name in GoldenFile.curated {
            let a = try check(name)
            for col in a.total.keys { XCTAssertEqual(a.mismatches(col), 0, "\(name) \(col)\n\(a.summary)") }
        }
    }

    func testFuzzSetExact() throws {
        let a = try check(GoldenFile.fuzz)
        for col in a.total.keys { XCTAssertEqual(a.mismatches(col), 0, "fuzz \(col)\n\(a.summary)") }
    }

    func testSmallExamples() throws {
        XCTAssertEqual(try SelfiesEncoder.encode("C=CF"), "[C][=C][F]")
        XCTAssertEqual(try SelfiesDecoder.decode("[C][=C][F]"), "C=CF")
        XCTAssertEqual(try SelfiesEncoder.encode("c1ccccc1"), "[C][=C][C][=C][C][=C][Ring1][Branch1_2]")
        XCTAssertEqual(try SelfiesDecoder.decode("[C][=C][C][=C][C][=C][Ring1][Branch1_2]"), "C1=CC=CC=C1")
        XCTAssertEqual(try SelfiesDecoder.decode("[C][Branch1_1][C][F][Cl]"), "C(F)Cl")
        XCTAssertEqual(try SelfiesDecoder.decode("[C]..[C]"), "C.C")
        XCTAssertThrowsError(try SelfiesEncoder.encode("*C"))
        XCTAssertThrowsError(try SelfiesDecoder.decode("[C]x[C]"))
    }
}
