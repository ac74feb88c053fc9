import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

/// The real XLNet path on a tiny fixed model whose output is known by hand: one layer, every weight zero (initializer
/// range 0), layer norms the identity at 0. The query stream starts at `mask_emb` = 0, attention and feed-forward
/// add 0, and LayerNorm(0) = 0, so the logits at every masked position are exactly the LM bias.
final class XLNetMaskFillerTests: XCTestCase {
    static func tinyModel(bias: [String: Float], vocabulary: Vocabulary = TextFixtures.smallMolecules) throws -> XLNetModel {
        let configuration = XLNetConfiguration(vocabularySize: vocabulary.count, modelDimension: 8, layerCount: 1,
                                               headCount: 2, innerDimension: 16, dropout: 0, initializerRange: 0,
                                               language: .selfies)
        let model = try XLNetModel(configuration: configuration, vocabulary: vocabulary, seed: 1)
        let b = try model.parameters.tensor(XLNetParameterName.lmBias).unsafePointer
        for (token, value) in bias { b[Int(vocabulary.id(of: token)!)] = value }
        return model
    }

    static let bias: [String: Float] = ["_0_0_": 5, "_._": 5, "_8_-1_": 5, "_1_-2_": 5, "_2_-3_": 5, "[N]": 4]

    func testLogitsAreTheBiasAtEveryMaskedPosition() throws {
        let vocabulary = TextFixtures.smallMolecules
        let filler = XLNetMaskFiller(model: try Self.tinyModel(bias: Self.bias), vocabulary: vocabulary, batchSize: 8)
        let encoder = RTEncoder(vocabulary: vocabulary, tokenizer: RTTokenizer(language: .selfies))
        let rows = [try encoder.encode("<qed>[MASK][MASK]|[C][MASK]"), try encoder.encode("<qed>0.5|[C][C][C][MASK][O]")]
        let d = try filler.distributions(for: rows, temperature: 1)
        XCTAssertEqual(d.map(\.count), [3, 1])
        // softmax(bias): 5 tokens at 5, [N] at 4, the other 501 at 0.
        let z = 5 * exp(5.0) + exp(4.0) + Double(vocabulary.count - 6)
        for row in d {
            for position in row {
                XCTAssertEqual(position.probability(of: vocabulary.id(of: "_._")!), exp(5) / z, accuracy: 1e-6)
                XCTAssertEqual(position.probability(of: vocabulary.id(of: "[N]")!), exp(4) / z, accuracy: 1e-6)
                XCTAssertEqual(position.probability(of: vocabulary.id(of: "[C]")!), 1 / z, accuracy: 1e-7)
            }
        }
        XCTAssertEqual(try filler.distributions(for: [try encoder.encode("<qed>0.5|[C]")], temperature: 1).map(\.count), [0])
    }

    /// Greedy within `d.ddd` picks the boosted digit of each order: 0.812. In the grammar each digit position has
    /// q(best) = e⁵ / (e⁵ + 9), q(other) = 1 / (e⁵ + 9), so E[d] = (b e⁵ + Σ_{d≠b} d) / (e⁵ + 9).
    func testPredictionThroughTheNetworkAndAModelFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-tiny-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inference = InferenceConfiguration(properties: [.init(token: "<qed>", range: 0...1, maskLength: 5)])
        try ModelFolder.write(try Self.tinyModel(bias: Self.bias), vocabulary: TextFixtures.smallMolecules,
                              inference: inference, to: folder)
        let model = try InferenceModel(folder: try ModelFolder(url: folder))
        XCTAssertEqual(model.language, .selfies)
        var random = SeededCollatorRandom(seed: 1)
        let p = try model.predict(["CCO", "c1ccccc1"], options: PredictionOptions(allowsExtrapolation: true),
                                  random: &random).map { try $0.get() }
        XCTAssertEqual(p.map { $0.value(of: "qed") }, [0.812, 0.812])
        let e5 = exp(5.0)
        func expected(_ best: Double) -> Double { (best * e5 + (45 - best)) / (e5 + 9) }
        let mean = expected(0) + expected(8) / 10 + expected(1) / 100 + expected(2) / 1000
        XCTAssertEqual(p[0].properties[0].uncertainty!.mean, mean, accuracy: 1e-6)
        XCTAssertGreaterThan(mean, 1)  // so by default it is clamped to the range's top
        let clamped = try model.predict(["CCO"], random: &random)[0].get().properties[0]
        XCTAssertEqual(clamped.uncertainty!.mean, 1)
        XCTAssertTrue(clamped.clamped)

        // Generation fills every sequence mask with [N] (the most probable sequence token).
        var g = GenerationRequest(source: .seed("CCCO"), goals: [("qed", 0.5)], masking: MaskingRequest(fraction: 0.5),
                                  samples: 1, strategy: .greedy, tolerance: nil, batchSize: 1, maxBatches: 1)
        g.minimumSizeRatio = 0
        var scripted = ScriptedRandom(integers: [0, 0])
        let result = try model.generate(g, random: &scripted)
        XCTAssertEqual(result.accepted.map(\.smiles), ["NNCO"])
        XCTAssertEqual(result.accepted[0].predicted.map(\.value), [0.812])
    }
}
