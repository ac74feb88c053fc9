import Foundation
import XCTest

/// The shipped model (`models/qed`) end to end, found the way a user's `rt` finds it (no `--model`, `RT_MODEL`
/// unset): the README's main command and predictions for a few drugs, with exact expected outputs. Decoding is
/// deterministic for a seed, and the outputs are the same with either GEMM backend and any thread count, so a
/// change here means the model files or the inference changed. After models/qed changes, rewrite the expected values
/// with `scripts/shipped_model/update_expected_outputs.py` (release build); `models/qed/README.md` has the model's
/// quality.
final class ShippedModelTests: XCTestCase {
    /// `RT_MODEL` empty counts as unset: the lookup goes to models/qed above the built `rt`.
    let environment = ["RT_MODEL": ""]

    static let drugs = """
        CC(=O)Nc1ccc(O)cc1
        CN1C=NC2=C1C(=O)N(C)C(=O)N2C
        CC(C)Cc1ccc(cc1)C(C)C(=O)O
        c1ccccc1
        not a molecule

        """

    /// The original's prediction (`--estimate decoded`: greedy within the number grammar) is a grid value, identical on
    /// every backend, so the whole output is compared.
    func testPredictsQEDOfKnownDrugs() throws {
        let result = try RTCommand.run(["predict", "--estimate", "decoded"], stdin: Self.drugs, environment: environment)
        XCTAssertFalse(result.crashed)
        XCTAssertEqual(result.status, 1, result.stderr)  // one line could not be predicted
        // RDKit QED: paracetamol 0.595, caffeine 0.538, ibuprofen 0.822, benzene 0.443.
        XCTAssertEqual(result.stdout, """
            input,qed,error
            CC(=O)Nc1ccc(O)cc1,0.768,
            CN1C=NC2=C1C(=O)N(C)C(=O)N2C,0.775,
            CC(C)Cc1ccc(cc1)C(C)C(=O)O,0.75,
            c1ccccc1,0.465,
            not a molecule,,'not a molecule' is not a valid molecule: parse: unexpected character 't' at position 3

            """)
        XCTAssertEqual(result.stderr, "1 of 5 inputs could not be predicted (see the error column) (first: stdin:5: "
                       + "'not a molecule' is not a valid molecule: parse: unexpected character 't' at position 3)\n")
    }

    /// The default estimate, the mean of the model's value distribution: the GEMM backends (and batch shapes) round
    /// differently from the 7th digit on, so values are compared to 1e-6.
    func testPredictsTheMeanByDefault() throws {
        let result = try RTCommand.run(["predict"], stdin: Self.drugs, environment: environment)
        XCTAssertEqual(result.status, 1, result.stderr)
        let rows = result.lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows.count, 5)
        XCTAssertEqual(rows.map { $0[0] }, Self.drugs.split(separator: "\n").map(String.init))
        for (row, expected) in zip(rows, [0.7259999507, 0.7343556651, 0.753476799, 0.4720092321]) {
            XCTAssertEqual(try XCTUnwrap(Double(row[1])), expected, accuracy: 1e-6, row[0])
        }
        XCTAssertEqual(rows[4][1], "")
    }

    func testUncertaintyOfAPrediction() throws {
        let result = try RTCommand.run(["predict", "--uncertainty"], stdin: "CC(=O)Nc1ccc(O)cc1\n", environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.lines.first, "input,qed,qed_mean,qed_sd,qed_low,qed_high,error")
        let cells = try XCTUnwrap(result.lines.last).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(cells.count, 7)
        XCTAssertEqual(cells[0], "CC(=O)Nc1ccc(O)cc1")
        // the value is the mean; mean and sd to 1e-6 (backends round differently in the 7th digit)
        XCTAssertEqual(try XCTUnwrap(Double(cells[1])), 0.7259999616, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(Double(cells[2])), 0.7259999616, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(Double(cells[3])), 0.06250861868, accuracy: 1e-6)
        XCTAssertEqual(Array(cells[4...]), ["0.623", "0.796", ""])
    }

    /// The README's main command.
    func testMainCommandGeneratesFromASeedWithAQEDGoal() throws {
        let result = try RTCommand.run(["generate", "--from", "CC(=O)Nc1ccc(O)cc1", "--goal", "qed=0.9", "--samples", "10",
                                        "--random-seed", "7"], environment: environment)
        XCTAssertFalse(result.crashed)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            smiles,valid,similarity,qed_predicted,qed_oracle,sequence,status
            CC(=O)Nc1ccc(F)cc1,true,0.64,0.76,0.6542396201,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][F][C][=C][Ring1][Branch1_3],accepted
            CC(=O)Nc1ccc(Cl)cc1,true,0.64,0.79,0.6869443649,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][Cl][C][=C][Ring1][Branch1_3],accepted
            CC(=O)NC=C1C=C(O)C=C1,true,0.2857142857,0.768,0.5873840321,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][O][C][=C][Ring1][Branch1_2],accepted
            NC(=O)Nc1ccc(Br)cc1,true,0.3666666667,0.788,0.7383128146,[N][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][Br][C][=C][Ring1][Branch1_3],accepted
            CC(=O)Nc1ccc(C)cc1,true,0.6666666667,0.78,0.649285896,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][C][C][=C][Ring1][Branch1_3],accepted
            CC(=O)NC=1C=CCC=CC=1,true,0.3235294118,0.768,0.6013894462,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][C][Branch1_1][O][C][=C][Ring1][Branch1_3],accepted
            NC(=O)Cc1ccc(O)cc1,true,0.3333333333,0.768,0.6429850468,[N][C][Branch1_2][C][=O][C][C][=C][C][=C][Branch1_1][C][O][C][=C][Ring1][Branch1_3],accepted
            CC(=O)Nc1ccc(Br)cc1,true,0.64,0.89,0.7634923556,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][Br][C][=C][Ring1][Branch1_3],accepted
            CC(C)Nc1ccc(O)cc1,true,0.5,0.76,0.6350165123,[C][C][Branch1_1][C][C][N][C][=C][C][=C][Branch1_1][C][O][C][=C][Ring1][Branch1_3],accepted
            COC1=CC=C(C1)NC(C)=O,true,0.3142857143,0.86,0.6407766126,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][Ring1][O][C][=C][Ring1][Branch1_3],accepted

            """)
        XCTAssertEqual(result.stderr,
                       "generated 60 sequences: 10 accepted, 38 seed, 7 duplicate, 4 outside-tolerance, 1 surplus\n")
    }
}
