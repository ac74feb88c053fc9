import XCTest
@testable import Chemistry

/// QED, its eight properties, Crippen logP/MR and atom types, TPSA, molecular weight and the Lipinski counts
/// against RDKit 2026.9.1 (`*.props.csv.gz`). Curated sets: integers and Crippen types identical, floats within
/// 1e-9 on every molecule. Fuzz set (decoded random SELFIES): ≥ 99.5 % of QED values within 1e-9; residuals
/// listed in `knownResiduals`.
final class DescriptorGoldenTests: XCTestCase {
    static let tolerance = 1e-9

    static func compare(_ e: PropertyGolden.Entry, _ m: Molecule, into a: inout Agreement) {
        let ctx = e.context
        let p = e.properties!
        let q = p.qedProperties
        a.check("qed", p.qed, e.double("qed"), tolerance: tolerance, context: ctx)
        a.check("mw", p.molecularWeight, e.double("mw"), tolerance: tolerance, context: ctx)
        a.check("logp", p.logP, e.double("logp"), tolerance: tolerance, context: ctx)
        a.check("mr", p.molarRefractivity, e.double("mr"), tolerance: tolerance, context: ctx)
        a.check("tpsa", p.tpsa, e.double("tpsa"), tolerance: tolerance, context: ctx)
        a.check("hba", q.hba, e.int("hba"), context: ctx)
        a.check("hbd", q.hbd, e.int("hbd"), context: ctx)
        a.check("rotb", q.rotb, e.int("rotb"), context: ctx)
        a.check("arom", q.arom, e.int("arom"), context: ctx)
        a.check("alerts", q.alerts, e.int("alerts"), context: ctx)
        a.check("alerts_idx", QED.matchedAlerts(m).map(String.init).joined(separator: ";"), e.row["alerts_idx"] ?? "",
                context: ctx)
        let target = SubstructureTarget(m)
        a.check("rotb_nonstrict", Lipinski.rotatableBonds(target, strict: false), e.int("rotb_nonstrict"), context: ctx)
        a.check("hba_rdkit", Lipinski.hydrogenBondAcceptors(target), e.int("hba_rdkit"), context: ctx)
        a.check("lipinski_hba", Lipinski.lipinskiAcceptors(m), e.int("lipinski_hba"), context: ctx)
        a.check("lipinski_hbd", Lipinski.lipinskiDonors(m), e.int("lipinski_hbd"), context: ctx)
        let types = Crippen.contributions(m).map { $0.type.isEmpty ? "-" : $0.type }.joined(separator: " ")
        a.check("crippen_types", types, e.row["crippen_types"] ?? "", context: ctx)
    }

    func testCuratedSetsMatchRDKit() throws {
        for set in try PropertyGolden.curated() {
            var a = Agreement()
            for e in set.valid { Self.compare(e, e.molecule!, into: &a) }
            if ProcessInfo.processInfo.environment["RT_CHEM_REPORT"] != nil { print("== \(set.name)\n\(a.summary)") }
            XCTAssertGreaterThan(a.total["qed"] ?? 0, 0, set.name)
            for column in a.total.keys.sorted() {
                XCTAssertEqual(a.mismatches(column), 0, "\(set.name) \(column)\n\(a.summary)")
            }
        }
    }

    /// Fuzz rows where we knowingly differ from RDKit, with the reason.
    static let knownResiduals: [Int: String] = [
        1853: "CC[Dy][SH-][Co+2]CC: RDKit's organometallic clean-up makes S->Dy dative, ours S->Co (choice between two "
            + "metals follows our canonical ranks, not RDKit's atom order): one more strict rotatable bond, QED 0.5493 vs 0.5375",
    ]

    func testFuzzSetQEDAgrees() throws {
        let set = try PropertyGolden.fuzz()
        var a = Agreement()
        for e in set.valid where Self.knownResiduals[e.int("idx") ?? -1] == nil { Self.compare(e, e.molecule!, into: &a) }
        if ProcessInfo.processInfo.environment["RT_CHEM_REPORT"] != nil { print("== fuzz\n\(a.summary)") }
        XCTAssertGreaterThan(a.total["qed"] ?? 0, 4500)
        XCTAssertGreaterThanOrEqual(a.rate("qed"), 0.995, a.summary)
        for column in a.total.keys.sorted() {
            XCTAssertEqual(a.mismatches(column), 0, "fuzz \(column)\n\(a.summary)")
        }
    }

    /// Report on an extra, uncommitted props file (`RT_CHEM_PROPS_EXTRA=/path/x.props.csv.gz`, written by
    /// `scripts/chem/props_golden.py`), e.g. a 20,000-molecule fuzz run; skipped without the variable.
    func testExtraPropsFileReport() throws {
        guard let path = ProcessInfo.processInfo.environment["RT_CHEM_PROPS_EXTRA"] else {
            throw XCTSkip("set RT_CHEM_PROPS_EXTRA to compare an extra props file")
        }
        let set = try PropertyGolden(path)
        var a = Agreement()
        for e in set.valid { Self.compare(e, e.molecule!, into: &a) }
        let sa = SAScoreTests.check(set).agreement
        let fp = FingerprintTests.check(set)
        print("== \(path): \(set.valid.count) valid molecules\n\(a.summary)\n\(sa.summary)\n\(fp.summary)")
        XCTAssertGreaterThanOrEqual(a.rate("qed"), 0.995)
    }

    func testWorkedExamples() throws {
        // Aspirin, values from RDKit 2026.9.1.
        let aspirin = try Molecule(smiles: "CC(=O)Oc1ccccc1C(=O)O")
        let p = QED.properties(aspirin)
        XCTAssertEqual(p.hba, 4)
        XCTAssertEqual(p.hbd, 1)
        XCTAssertEqual(p.rotb, 2)
        XCTAssertEqual(p.arom, 1)
        XCTAssertEqual(p.alerts, 2)
        XCTAssertEqual(p.mw, 180.15899999999996, accuracy: 1e-12)
        XCTAssertEqual(p.alogp, 1.3101, accuracy: 1e-12)
        XCTAssertEqual(p.psa, 63.6, accuracy: 1e-12)
        XCTAssertEqual(QED.qed(aspirin), 0.5501217966938848, accuracy: 1e-12)
        XCTAssertEqual(QED.matchedAlerts(aspirin), [52, 104])
        // Constants come from qed.json exactly.
        XCTAssertEqual(QED.sigmoids[0].a, 2.817065973)
        XCTAssertEqual(QED.sigmoids[7].dmax, 417.72531400000003, accuracy: 1e-9)
        XCTAssertEqual(QED.Weights.mean.values, [0.66, 0.46, 0.05, 0.61, 0.06, 0.65, 0.48, 0.95])
        XCTAssertEqual(Crippen.table.patterns.count, 110)
        XCTAssertEqual(QED.alertPatterns.count, 116)
        XCTAssertTrue(QED.score(p, weights: .custom([1, 2])).isNaN)
        XCTAssertEqual(QED.score(p, weights: .custom(QED.Weights.mean.values)), QED.qed(aspirin))
        // RDKit QED.qed(m, w=QED.WEIGHT_MAX) and w=QED.WEIGHT_NONE.
        XCTAssertEqual(QED.qed(aspirin, weights: .max), 0.49146289874883387, accuracy: 1e-12)
        XCTAssertEqual(QED.qed(aspirin, weights: .none), 0.6734029196324833, accuracy: 1e-12)
    }
}
