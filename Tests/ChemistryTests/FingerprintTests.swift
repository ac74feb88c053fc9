import Compression
import XCTest
@testable import Chemistry

/// Morgan radius-2 fingerprints (unfolded ids + counts, 2048-bit folding) and Tanimoto similarity against RDKit
/// 2026.9.1's `rdFingerprintGenerator` (`*.props.csv.gz`): ids and counts identical on every molecule (full lists
/// for the edge cases and RT examples, a CRC-32 of the list elsewhere); Tanimoto to the previous row exact.
final class FingerprintTests: XCTestCase {
    static func sparseText(_ fp: MorganFingerprint) -> String {
        zip(fp.ids, fp.counts).map { "\($0):\($1)" }.joined(separator: " ")
    }

    static func check(_ set: PropertyGolden) -> Agreement {
        var a = Agreement()
        var previous: MorganFingerprint?
        for e in set.valid {
            let fp = e.properties!.morgan
            let text = Self.sparseText(fp)
            if let full = e.row["morgan"], !full.isEmpty { a.check("morgan", text, full, context: e.context) }
            a.check("morgan_crc", String(CRC32.checksum(Array(text.utf8))), e.row["morgan_crc"] ?? "", context: e.context)
            if let previous {
                let bits = Tanimoto.similarity(previous.bits(), fp.bits())
                a.check("tanimoto_prev", bits, e.double("tanimoto_prev"), tolerance: 0, context: e.context)
                let counts = Tanimoto.similarity(previous, fp)
                a.check("tanimoto_count_prev", counts, e.double("tanimoto_count_prev"), tolerance: 0, context: e.context)
            }
            previous = fp
        }
        return a
    }

    func testCuratedSetsMatchRDKit() throws {
        for set in try PropertyGolden.curated() {
            let a = Self.check(set)
            XCTAssertGreaterThan(a.total["morgan_crc"] ?? 0, 0)
            for column in a.total.keys.sorted() {
                XCTAssertEqual(a.mismatches(column), 0, "\(set.name) \(column)\n\(a.summary)")
            }
        }
    }

    func testFuzzSetMatchesRDKit() throws {
        let a = Self.check(try PropertyGolden.fuzz())
        // Fingerprints depend only on the graph, H counts, charges, isotopes and ring flags: no residuals expected.
        for column in a.total.keys.sorted() { XCTAssertEqual(a.mismatches(column), 0, "fuzz \(column)\n\(a.summary)") }
    }

    func testBitsAndSimilarity() throws {
        let benzene = MorganFingerprint(try Molecule(smiles: "c1ccccc1"))
        // RDKit: {98513984: 6, 2763854213: 6, 3218693969: 6}, on-bits [389, 1088, 1873].
        XCTAssertEqual(benzene.ids, [98_513_984, 2_763_854_213, 3_218_693_969])
        XCTAssertEqual(benzene.counts, [6, 6, 6])
        XCTAssertEqual(benzene.bits().onBits, [389, 1088, 1873])
        let toluene = MorganFingerprint(try Molecule(smiles: "Cc1ccccc1"))
        XCTAssertEqual(Tanimoto.similarity(benzene.bits(), benzene.bits()), 1)
        XCTAssertEqual(Tanimoto.similarity(BitFingerprint(size: 2048), BitFingerprint(size: 2048)), 0)
        let t = Tanimoto.similarity(benzene.bits(), toluene.bits())
        XCTAssertEqual(t, Tanimoto.similarity(toluene.bits(), benzene.bits()))
        XCTAssertGreaterThan(t, 0)
        XCTAssertLessThan(t, 1)
        XCTAssertEqual(BitFingerprint(size: 100, onBits: [3, 99, 150]).onBits, [3, 99])
    }
}
