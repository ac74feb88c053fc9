import Foundation
import XCTest

/// The shipped model (`models/qed`) end to end, found the way a user's `rt` finds it (no `--model`, `RT_MODEL`
/// unset): the README's main command and predictions for a few drugs, with exact expected outputs. Decoding is
/// deterministic for a seed, and the outputs are the same with either GEMM backend and any thread count, so a
/// change here means the model files or the inference changed. (Expected values written by the release build of
/// the commit that added models/qed; `models/qed/README.md` has the model's quality.)
final class ShippedModelTests: XCTestCase {
    /// `RT_MODEL` empty counts as unset: the lookup goes to models/qed above the built `rt`.
    let environment = ["RT_MODEL": ""]

    func testPredictsQEDOfKnownDrugs() throws {
        let input = """
            CC(=O)Nc1ccc(O)cc1
            CN1C=NC2=C1C(=O)N(C)C(=O)N2C
            CC(C)Cc1ccc(cc1)C(C)C(=O)O
            c1ccccc1
            not a molecule

            """
        let result = try RTCommand.run(["predict"], stdin: input, environment: environment)
        XCTAssertFalse(result.crashed)
        XCTAssertEqual(result.status, 1, result.stderr)  // one line could not be predicted
        // RDKit QED: paracetamol 0.595, caffeine 0.538, ibuprofen 0.822, benzene 0.443.
        XCTAssertEqual(result.stdout, """
            input,qed,error
            CC(=O)Nc1ccc(O)cc1,0.608,
            CN1C=NC2=C1C(=O)N(C)C(=O)N2C,0.708,
            CC(C)Cc1ccc(cc1)C(C)C(=O)O,0.808,
            c1ccccc1,0.488,
            not a molecule,,'not a molecule' is not a valid molecule: parse: unexpected character 't' at position 3

            """)
        XCTAssertEqual(result.stderr, "1 of 5 inputs could not be predicted (see the error column)\n")
    }

    func testUncertaintyOfAPrediction() throws {
        let result = try RTCommand.run(["predict", "--uncertainty"], stdin: "CC(=O)Nc1ccc(O)cc1\n", environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.lines.first, "input,qed,qed_mean,qed_sd,qed_low,qed_high,error")
        let cells = try XCTUnwrap(result.lines.last).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(cells.count, 7)
        XCTAssertEqual(cells[0], "CC(=O)Nc1ccc(O)cc1")
        XCTAssertEqual(cells[1], "0.608")
        // mean and sd of the digit distributions: the GEMM backends round differently in the 7th digit
        XCTAssertEqual(try XCTUnwrap(Double(cells[2])), 0.6444173392, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(Double(cells[3])), 0.124804924, accuracy: 1e-6)
        XCTAssertEqual(Array(cells[4...]), ["0.424", "0.847", ""])
    }

    /// The README's main command.
    func testMainCommandGeneratesFromASeedWithAQEDGoal() throws {
        let result = try RTCommand.run(["generate", "--from", "CC(=O)Nc1ccc(O)cc1", "--goal", "qed=0.9", "--samples", "10",
                                        "--random-seed", "7"], environment: environment)
        XCTAssertFalse(result.crashed)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            smiles,valid,similarity,qed_predicted,qed_oracle,sequence,status
            CC1=CC=C(O)C=CO1,true,0.1428571429,0.748,0.5338282996,[C][C][Branch1_1][C][=O][=C][C][=C][Ring1][=C][Branch1_1][C][O][C][=C][Ring1][Branch1_3],accepted
            CC(=O)N1C=CC=CC=C1,true,0.2,0.748,0.4917366972,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][Branch1_1][C][=C][Expl=Ring1][Branch1_3],accepted
            CC(=O)Cc1ccc(C)cc1,true,0.25,0.748,0.6275238952,[C][C][Branch1_2][C][=O][=C][C][=C][C][=C][Branch1_1][C][C][C][=C][Ring1][Branch1_3],accepted
            C=CC(Br)=CC=C=NC(C)=O,true,0.1219512195,0.748,0.5114520841,[C][C][Branch1_2][C][=O][N][=C][=C][C][=C][Branch1_1][C][Br][C][=C][Ring1][Branch1_3],accepted
            CC(=O)c1ccc(C)cc1,true,0.275862069,0.748,0.5379444707,[C][C][Branch1_2][C][=O][Branch1_1][C][=C][C][=C][Branch1_1][C][=C][C][=C][Ring1][Branch1_3],accepted
            Cc1ccc(cc1)CC(N)=O,true,0.2121212121,0.748,0.6699461864,[N][C][Branch1_2][C][=O][C][C][=C][C][=C][Branch1_1][C][=C][C][=C][Ring1][Branch1_3],accepted
            CC(=O)Nc1ccc(Br)cc1,true,0.64,0.748,0.7634923556,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][Br][C][=C][Ring1][Branch1_3],accepted
            CC(=O)NC=CC=CCCBr,true,0.1842105263,0.748,0.5668661209,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][C][C][Br][C][=C][Ring1][Branch1_3],accepted
            C=CC(C)=CC(C)=O,true,0.1612903226,0.748,0.3903738557,[C][C][Branch1_2][Branch1_1][=O][N][C][=C][C][=C][Branch1_1][C][=C][C][=C][Ring1][Branch1_3],accepted
            CC(=O)NC=CC=C(C)Br,true,0.2058823529,0.748,0.6838425405,[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][C][Br][=C][Ring1][Branch1_3],accepted

            """)
        XCTAssertEqual(result.stderr,
                       "generated 320 sequences: 10 accepted, 15 seed, 86 duplicate, 13 too-small, 196 outside-tolerance\n")
    }
}
