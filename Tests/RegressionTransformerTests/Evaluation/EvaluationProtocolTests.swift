import Chemistry
import Foundation
import XCTest
@testable import RegressionTransformer

final class EvaluationProtocolTests: XCTestCase {
    func testLabelledDataFromLinesAndCSV() throws {
        let lines = try LabelledData.read(MemoryLineSource("<qed>0.41|CCO\n\n<logp>-1.5|<scs>3|[C][O]\n<qed>.5|C\nCCO\n",
                                                           name: "data.txt"))
        XCTAssertEqual(lines.samples, [
            LabelledSample(line: 1, sequence: "CCO", values: [("qed", 0.41)]),
            LabelledSample(line: 3, sequence: "[C][O]", values: [("logp", -1.5), ("scs", 3)]),
            LabelledSample(line: 4, sequence: "C", values: [("qed", 0.5)]),
            LabelledSample(line: 5, sequence: "CCO", values: []),
        ])
        XCTAssertTrue(lines.errors.isEmpty)
        let csv = try LabelledData.read(MemoryLineSource("smiles,qed,logp\nCCO,0.40680,-0.0014\nCC,x,1\n", name: "d.csv"),
                                        csv: CSVOptions(textColumn: "smiles"))
        XCTAssertEqual(csv.samples, [LabelledSample(line: 2, sequence: "CCO", values: [("logp", -0.0014), ("qed", 0.4068)])])
        XCTAssertEqual(csv.errors.map(\.line), [3])
    }

    func testRegressionProtocol() throws {
        let filler = StubFiller(vocabulary: TextFixtures.smallMolecules, values: { _ in PredictionTests.slot })
        let model = try InferenceFixtures.qedModel(filler)
        var random = ScriptedRandom(integers: [])
        let samples = [LabelledSample(line: 1, sequence: "CCO", values: [("qed", 0.8)]),
                       LabelledSample(line: 2, sequence: "C1CC", values: [("qed", 0.5)]),
                       LabelledSample(line: 3, sequence: "CBr", values: [("qed", 0.9)]),
                       LabelledSample(line: 4, sequence: "CC", values: [("logp", 1)])]
        let evaluation = try model.evaluateRegression(samples, random: &random)
        XCTAssertEqual(evaluation.count, 1)
        let e = evaluation[0]
        XCTAssertEqual(e.rows.map(\.line), [1, 2, 3])
        XCTAssertEqual(e.rows.map(\.prediction), [0.812, nil, 0.812])
        XCTAssertEqual(e.summary.count, 2)
        XCTAssertEqual(e.summary.failed, 1)
        XCTAssertEqual(e.summary.rmse!, ((0.012 * 0.012 + 0.088 * 0.088) / 2).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(e.summary.pearson, .undefined(.secondConstant))
        XCTAssertThrowsError(try model.evaluateRegression([samples[3]], random: &random))
    }

    /// Seed CCCO (`[C][C][C][O]`), primers 0.3 and 0.7. Span masking (p = 0.4, spans ≤ 7) with the draws
    /// span 1 at 0 (draws 0, 0), then span 1 at 3 (draws 0, 1) masks tokens 0 and 3 for both primers. The stub fills
    /// masks with [O] when the primer is 0.7 (its tokens contain _7_-1_) and with [N] otherwise: NCCN and OCCO.
    func testGenerationProtocol() throws {
        let filler = StubFiller(vocabulary: TextFixtures.smallMolecules, values: { _ in GenerationTests.half },
                                sequence: { $0.contains("_7_-1_") ? ["[O]": 1] : ["[N]": 1] })
        let model = try InferenceFixtures.qedModel(filler)
        var random = ScriptedRandom(integers: [0, 0, 0, 1])
        let seeds = [LabelledSample(line: 1, sequence: "CCCO", values: [("qed", 0.4)]),
                     LabelledSample(line: 2, sequence: "C1CC", values: [])]
        let ncc = try Molecule(smiles: "NCCN"), occ = try Molecule(smiles: "OCCO")
        let result = try model.evaluateGeneration(seeds, protocol: GenerationProtocol(property: "qed", primers: [0.3, 0.7],
                                                                                     strategy: .greedy),
                                                  trainingSet: [ncc.canonicalSmiles], random: &random)
        XCTAssertEqual(result.sequences, ["[N][C][C][N]", "[O][C][C][O]"])
        XCTAssertEqual(filler.calls[0][0].prefix(8), ["[CLS]", "<qed>", "_0_0_", "_._", "_3_-1_", "_0_-2_", "_0_-3_", "|"])
        XCTAssertEqual(result.records.map(\.canonical), [ncc.canonicalSmiles, occ.canonicalSmiles])
        XCTAssertEqual(result.records.map(\.property), [QED.qed(ncc), QED.qed(occ)])
        XCTAssertEqual(result.skipped.map(\.line), [2])
        let s = result.summary
        XCTAssertEqual(s.validity, 1)
        XCTAssertEqual(s.novelty, 0.5)
        XCTAssertEqual(s.spearmanPerSeed.count, 1)
        XCTAssertEqual(s.meanSpearman, QED.qed(occ) > QED.qed(ncc) ? 1 : -1)
        XCTAssertEqual(s.zeroVarianceFraction, 0)
        let seedCanonical = try Molecule(smiles: "CCCO").canonicalSmiles
        XCTAssertEqual(result.records[0].seed, seedCanonical)
        XCTAssertEqual(result.records[0].similarity, SimilaritySearch(query: try Molecule(smiles: "CCCO")).similarity(ncc))
        XCTAssertEqual(GenerationProtocol.qedPrimers.first, 0.051)
        XCTAssertEqual(GenerationProtocol.qedPrimers.last, 0.951)
        XCTAssertEqual(GenerationProtocol.evenlySpaced(0...1, count: 3), [0, 0.5, 1])
    }
}
