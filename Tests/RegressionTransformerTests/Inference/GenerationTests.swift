import Chemistry
import Foundation
import XCTest
@testable import RegressionTransformer

/// `InferenceModel.generate` on a stub model over the shipped SELFIES vocabulary. Seed `CCCO` = `[C][C][C][O]`.
/// Sequence masks are filled from `fill` (greedy: its most probable token); the model "predicts" QED 0.500 for any
/// sequence containing `[N]` and 0.900 otherwise, so the 20 % tolerance around a goal of 0.5 (±0.2) accepts exactly
/// the molecules with nitrogen.
final class GenerationTests: XCTestCase {
    static func slot(_ digits: [String]) -> [[String: Double]] { digits.map { [$0: 1] } }
    static let half = slot(["_0_0_", "_._", "_5_-1_", "_0_-2_", "_0_-3_"])
    static let high = slot(["_0_0_", "_._", "_9_-1_", "_0_-2_", "_0_-3_"])

    func model(fill: String) throws -> (InferenceModel, StubFiller) {
        let filler = StubFiller(vocabulary: TextFixtures.smallMolecules,
                                values: { $0.contains("[N]") ? Self.half : Self.high },
                                sequence: { _ in [fill: 0.7, "[Br]": 0.2, "[S]": 0.1] })
        return (try InferenceFixtures.qedModel(filler), filler)
    }

    func request(_ source: GenerationRequest.Source = .seed("CCCO"), goal: Double = 0.5, samples: Int = 2,
                 batchSize: Int = 2, maxBatches: Int = 1, masking: MaskingRequest = MaskingRequest(fraction: 0.5))
        -> GenerationRequest
    {
        GenerationRequest(source: source, goals: [("qed", goal)], masking: masking, samples: samples,
                          strategy: .greedy, batchSize: batchSize, maxBatches: maxBatches)
    }

    func testAcceptedMoleculesWithTheirPropertiesAndSimilarity() throws {
        let (model, filler) = try model(fill: "[N]")
        // Row 0 masks tokens {0, 1} (draws 0, 0), row 1 tokens {0, 3} (draws 3, 2: swap(0,3), swap(1,3)).
        var random = ScriptedRandom(integers: [0, 0, 3, 2])
        let result = try model.generate(request(), random: &random)
        XCTAssertEqual(result.accepted.map(\.sequence), ["[N][N][C][O]", "[N][C][C][N]"])
        XCTAssertEqual(result.accepted.map(\.smiles), ["NNCO", "NCCN"])
        XCTAssertEqual(result.accepted.map { $0.predicted.map(\.value) }, [[0.5], [0.5]])
        XCTAssertEqual(result.generated, 2)
        XCTAssertTrue(result.rejected.isEmpty)
        XCTAssertEqual(result.seedCanonical, try Molecule(smiles: "CCCO").canonicalSmiles)
        let nnco = try Molecule(smiles: "NNCO")
        XCTAssertEqual(result.accepted[0].oracle.map(\.name), ["qed"])
        XCTAssertEqual(result.accepted[0].oracle[0].value, QED.qed(nnco))
        XCTAssertEqual(result.accepted[0].similarity,
                       SimilaritySearch(query: try Molecule(smiles: "CCCO")).similarity(nnco))
        XCTAssertEqual(result.accepted[0].canonical, nnco.canonicalSmiles)
        // The generation rows carry the primer 0.500 in d.ddd, and the self-consistency rows mask the value.
        XCTAssertEqual(filler.calls[0][0], ["[CLS]", "<qed>", "_0_0_", "_._", "_5_-1_", "_0_-2_", "_0_-3_", "|",
                                            "[MASK]", "[MASK]", "[C]", "[O]", "[PAD]", "[SEP]"])
        XCTAssertEqual(filler.calls[1][0], ["[CLS]", "<qed>"] + Array(repeating: "[MASK]", count: 5)
                       + ["|", "[N]", "[N]", "[C]", "[O]", "[PAD]", "[SEP]"])
    }

    func testSeedDuplicatesAndToleranceAreRejectedWithAReason() throws {
        var random = ScriptedRandom(integers: [0, 0, 3, 2])
        let seedOnly = try model(fill: "[C]").0.generate(request(), random: &random)
        // Filling with [C]: row 0 rebuilds the seed, row 1 (tokens 0 and 3) gives CCCC, which has no nitrogen.
        XCTAssertTrue(seedOnly.accepted.isEmpty)
        XCTAssertEqual(seedOnly.rejected.map(\.smiles), ["CCCO", "CCCC"])
        XCTAssertEqual(seedOnly.rejected.map(\.status), [.seed, .outsideTolerance])
        XCTAssertEqual(seedOnly.counts, [.seed: 1, .outsideTolerance: 1])

        random = ScriptedRandom(integers: [0, 0, 3, 2])
        let oxygen = try model(fill: "[O]").0.generate(request(), random: &random)
        XCTAssertEqual(oxygen.rejected.map(\.smiles), ["OOCO", "OCCO"])
        XCTAssertEqual(oxygen.rejected.map(\.status), [.outsideTolerance, .outsideTolerance])
        XCTAssertEqual(oxygen.rejected.map { $0.predicted.map(\.value) }, [[0.9], [0.9]])

        var lenient = request()
        lenient.tolerance = nil
        random = ScriptedRandom(integers: [0, 0, 3, 2])
        XCTAssertEqual(try model(fill: "[O]").0.generate(lenient, random: &random).accepted.count, 2)

        // The same mask twice: the second NNCO is a duplicate; one batch more than needed is not run.
        random = ScriptedRandom(integers: [0, 0, 0, 0])
        let twice = try model(fill: "[N]").0.generate(request(samples: 2, batchSize: 1, maxBatches: 2), random: &random)
        XCTAssertEqual(twice.accepted.map(\.smiles), ["NNCO"])
        XCTAssertEqual(twice.rejected.map(\.status), [.duplicate])
    }

    func testKeptSubstructuresStayAndSurplusIsReported() throws {
        // Keep C–O (atoms 2, 3): only tokens 0 and 1 may be masked, and with fraction 1 both are.
        var random = ScriptedRandom(integers: [0, 0, 0, 0])
        let keep = MaskingRequest(fraction: 1, substructuresToKeep: ["CO"])
        let result = try model(fill: "[N]").0.generate(request(samples: 1, masking: keep), random: &random)
        XCTAssertEqual(result.accepted.map(\.smiles), ["NNCO"])
        XCTAssertEqual(result.rejected.map(\.status), [.duplicate])
    }

    func testMaskedLineUsesItsOwnMasksAndValues() throws {
        let (model, filler) = try model(fill: "[N]")
        var random = ScriptedRandom(integers: [])
        let result = try model.generate(request(.maskedLine("<qed>0.5|[C][MASK][C][O]"), samples: 2, maxBatches: 3),
                                        random: &random)
        XCTAssertEqual(result.accepted.map(\.smiles), ["CNCO"])
        XCTAssertNil(result.accepted[0].similarity)
        XCTAssertEqual(result.rejected.map(\.status), [.duplicate, .duplicate])
        XCTAssertEqual(filler.calls[0].count, 1)  // greedy with fixed masks: one row per pass
        XCTAssertThrowsError(try model.generate(request(.maskedLine("<qed>[MASK][MASK][MASK][MASK][MASK]|[C][MASK]")),
                                                random: &random)) { error in
            XCTAssertTrue("\(error)".contains("masks both"), "\(error)")
        }
        XCTAssertThrowsError(try model.generate(request(.maskedLine("<qed>0.5|[C][O]")), random: &random))
    }

    /// Sequential filling: one pass per mask, left to right, each pass seeing the tokens chosen before. The stub
    /// prefers `[N]` while the row has no `[N]` and `[O]` once it has one, so the parallel order (one pass, nothing
    /// chosen yet) fills both masks with `[N]` and the sequential order gives `[N]` then `[O]`.
    func testSequentialFillingSeesEarlierChoices() throws {
        let filler = StubFiller(vocabulary: TextFixtures.smallMolecules, values: { _ in Self.high },
                                sequence: { $0.contains("[N]") ? ["[O]": 0.9, "[N]": 0.1] : ["[N]": 0.9, "[O]": 0.1] })
        let model = try InferenceFixtures.qedModel(filler)
        var random = ScriptedRandom(integers: [])
        var masked = request(.maskedLine("<qed>0.9|[C][MASK][C][MASK]"), samples: 1)
        masked.tolerance = nil
        XCTAssertEqual(try model.generate(masked, random: &random).accepted.map(\.sequence), ["[C][N][C][N]"])
        XCTAssertEqual(filler.calls.count, 2)  // one fill pass, one self-consistency pass
        masked.order = .sequential
        filler.calls = []
        XCTAssertEqual(try model.generate(masked, random: &random).accepted.map(\.sequence), ["[C][N][C][O]"])
        XCTAssertEqual(filler.calls.count, 3)  // two fill passes, one self-consistency pass
        XCTAssertEqual(filler.calls[1][0][8...10], ["[C]", "[N]", "[C]"])
        XCTAssertEqual(filler.calls[1][0][11], "[MASK]")
        // Beam search has no sequential order.
        masked.strategy = .beam(width: 2)
        XCTAssertThrowsError(try model.generate(masked, random: &random)) { error in
            XCTAssertTrue("\(error)".contains("beam search fills all masks at once"), "\(error)")
        }
    }

    func testGoalsAreCheckedAgainstTheModel() throws {
        let (model, _) = try model(fill: "[N]")
        var random = ScriptedRandom(integers: [0, 0, 3, 2])
        func failure(_ r: GenerationRequest) -> String {
            do {
                _ = try model.generate(r, random: &random)
                return "no error"
            } catch { return "\(error)" }
        }
        var unknown = request()
        unknown.goals = [("qed", 0.5), ("logp", 2)]
        XCTAssertTrue(failure(unknown).contains("unknown property 'logp'"))
        var none = request()
        none.goals = []
        XCTAssertTrue(failure(none).contains("missing: qed"))
        XCTAssertTrue(failure(request(goal: 1.5)).contains("--allow-extrapolation"))
        XCTAssertTrue(failure(request(.seed("C1CC"))).contains("not a valid molecule"))
        var extrapolate = request(goal: 1.5)
        extrapolate.allowExtrapolation = true
        extrapolate.tolerance = nil
        random = ScriptedRandom(integers: [0, 0, 3, 2])
        let result = try model.generate(extrapolate, random: &random)
        XCTAssertEqual(result.warnings.count, 1)
        XCTAssertTrue(result.warnings[0].contains("outside the training range"))
    }
}
