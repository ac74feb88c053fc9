import Foundation
import TensorIO
import Tensors
import XCTest
@testable import RegressionTransformer

/// The model's own behaviour beyond HF parity: initialisation, determinism of dropout, equivalence of the
/// targets-only query stream with the full form, numerical encodings in both formats, gradients of a tiny
/// model with dropout against finite differences, and input errors.
final class XLNetModelTests: XCTestCase {
    /// A tiny vocabulary with digit tokens (so numerical encodings are non-zero).
    static let vocabulary = try! Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "|", "<qed>", "_._",
                                                     "_0_0_", "_5_-1_", "_3_-2_", "_1_0_", "[C]", "[O]", "[N]", "_-_"])

    static func tinyConfiguration(format: NumericalEncodingConfiguration.Format = .sum, dropout: Double = 0.1,
                                  layers: Int = 2) -> XLNetConfiguration {
        XLNetConfiguration(vocabularySize: vocabulary.count, modelDimension: 8, layerCount: layers, headCount: 2,
                           innerDimension: 12, dropout: dropout,
                           numericalEncodings: NumericalEncodingConfiguration(kind: .float, format: format, dimension: 4, vmax: 10))
    }

    /// Two samples of length 6 with padding, a permutation mask and targets.
    static func tinyBatch(allPositions: Bool = false) throws -> (XLNetBatch, [Int]) {
        let ids: [Int32] = [2, 6, 8, 7, 4, 3,   2, 6, 4, 4, 12, 0]
        let labels = [-100, -100, -100, -100, 9, -100,   -100, -100, 11, 8, -100, -100]
        let mask = ids.map { $0 != 0 }
        var perm = [Bool](repeating: false, count: 2 * 36)
        for (b, i, j) in [(0, 0, 4), (0, 1, 4), (0, 4, 4), (1, 8 - 6, 8 - 6), (1, 9 - 6, 8 - 6), (1, 9 - 6, 9 - 6), (1, 0, 2), (1, 0, 3)] {
            perm[(b * 6 + i) * 6 + j] = true
        }
        if allPositions {
            let batch = try XLNetBatch(batchSize: 2, length: 6, ids: ids, attentionMask: mask, permutationMask: perm,
                                       targets: XLNetBatch.allPositions(batchSize: 2, length: 6))
            return (batch, labels)
        }
        return try XLNetBatch.withTargets(fromLabels: labels, batchSize: 2, length: 6, ids: ids, attentionMask: mask,
                                          permutationMask: perm)
    }

    func testParameterNamesAndCounts() throws {
        let specs = XLNetConfiguration.rtSmall(vocabularySize: 507).parameterSpecs
        XCTAssertEqual(specs.count, 2 + 32 * 17 + 1)
        XCTAssertEqual(XLNetConfiguration.rtSmall(vocabularySize: 507).parameterCount, 27_508_219)  // spec §3.1
        XCTAssertEqual(specs.first?.name, "transformer.word_embedding.weight")
        XCTAssertTrue(specs.contains { $0.name == "transformer.layer.31.rel_attn.r_w_bias" && $0.shape == [16, 16] })
        XCTAssertFalse(specs.contains { $0.name == "lm_loss.weight" })
        let fixtureNames = Set(try SafeTensorsFile(contentsOf: XLNetFixtures.modelFolder.appendingPathComponent("model.safetensors")).names)
        let config = try ModelFolder(url: XLNetFixtures.modelFolder).configuration
        XCTAssertEqual(Set(config.parameterSpecs.map(\.name)), fixtureNames)
        XCTAssertEqual(config.parameterCount, 195_451)
    }

    /// HF's initialisation: N(0, 0.02) weights, zero biases, unit layer-norm weights; one seed, one model.
    func testInitialisation() throws {
        let config = XLNetConfiguration(vocabularySize: 300, modelDimension: 32, layerCount: 2, headCount: 4, innerDimension: 64)
        let a = try XLNetModel(configuration: config, vocabulary: nil, seed: 1)
        let b = try XLNetModel(configuration: config, vocabulary: nil, seed: 1)
        let c = try XLNetModel(configuration: config, vocabulary: nil, seed: 2)
        XCTAssertEqual(a.parameters.flatValues.scalars, b.parameters.flatValues.scalars)
        XCTAssertNotEqual(a.parameters.flatValues.scalars, c.parameters.flatValues.scalars)
        let e = try a.parameters.tensor("transformer.word_embedding.weight").scalars.map(Double.init)
        let mean = e.reduce(0, +) / Double(e.count)
        let std = (e.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(e.count)).squareRoot()
        XCTAssertEqual(std, 0.02, accuracy: 0.001)
        XCTAssertEqual(mean, 0, accuracy: 0.001)
        XCTAssertTrue(try a.parameters.tensor("transformer.layer.1.ff.layer_norm.weight").scalars.allSatisfy { $0 == 1 })
        XCTAssertTrue(try a.parameters.tensor("transformer.layer.1.ff.layer_1.bias").scalars.allSatisfy { $0 == 0 })
        XCTAssertTrue(try a.parameters.tensor("lm_loss.bias").scalars.allSatisfy { $0 == 0 })
        XCTAssertFalse(try a.parameters.tensor("transformer.layer.0.rel_attn.r_w_bias").scalars.allSatisfy { $0 == 0 })
        XCTAssertFalse(try a.parameters.tensor("transformer.mask_emb").scalars.allSatisfy { $0 == 0 })
    }

    /// One dropout key, one result (on any thread count); another key, another result; no key, no dropout.
    func testDropoutIsDeterministic() throws {
        let model = try XLNetModel(configuration: Self.tinyConfiguration(dropout: 0.3), vocabulary: Self.vocabulary, seed: 3)
        let (batch, labels) = try Self.tinyBatch()
        func run(_ key: RandomKey?) throws -> [Float] {
            model.parameters.zeroGradients()
            let tape = Tape()
            let out = try model.forward(batch, tape: tape, dropoutKey: key)
            try tape.backward(try model.loss(logits: out.logits!, labels: labels, tape: tape))
            return out.logits!.scalars + model.parameters.flatGradients.scalars
        }
        let saved = Engine.threads
        defer { Engine.setThreads(saved) }
        Engine.setThreads(1)
        let a = try run(RandomKey(seed: 5, stream: 1))
        Engine.setThreads(2)
        XCTAssertEqual(try run(RandomKey(seed: 5, stream: 1)), a)
        XCTAssertNotEqual(try run(RandomKey(seed: 5, stream: 2)), a)
        let eval1 = try run(nil), eval2 = try run(nil)
        XCTAssertEqual(eval1, eval2)
        XCTAssertNotEqual(eval1, a)
    }

    /// Targets-only and full (identity) query streams give the same logits at the targets and the same gradients.
    func testTargetsOnlyEqualsFullForm() throws {
        let model = try XLNetModel(configuration: Self.tinyConfiguration(), vocabulary: Self.vocabulary, seed: 4)
        func run(_ all: Bool) throws -> (logits: [Float], gradients: [Float]) {
            let (batch, labels) = try Self.tinyBatch(allPositions: all)
            model.parameters.zeroGradients()
            let tape = Tape()
            let out = try model.forward(batch, tape: tape)
            try tape.backward(try model.loss(logits: out.logits!, labels: labels, tape: tape))
            var logits: [Float] = []
            let v = Self.vocabulary.count
            let scalars = out.logits!.scalars
            for (k, (b, i)) in out.targetRows.enumerated() where !all || labels[b * 6 + i] != -100 {
                logits += scalars[(k * v)..<((k + 1) * v)]
            }
            return (logits, model.parameters.flatGradients.scalars)
        }
        let fast = try run(false), full = try run(true)
        Compare.assertClose(fast.logits, full.logits, absolute: 1e-5, "logits")
        XCTAssertLessThan(Compare.relativeToScale(fast.gradients, full.gradients), 1e-5)
    }

    /// Gradients of the whole model (both numerical-encoding formats, dropout on) against finite differences
    /// on a sample of parameter elements.
    func testGradientsAgainstFiniteDifferences() throws {
        for format in [NumericalEncodingConfiguration.Format.sum, .concat] {
            let model = try XLNetModel(configuration: Self.tinyConfiguration(format: format, dropout: 0.2),
                                       vocabulary: Self.vocabulary, seed: 6)
            // Larger weights than HF's 0.02 so that every path matters.
            var g = SeededGenerator(seed: 8)
            let values = model.parameters.flatValues
            let noise = Tensor.randomNormal(values.shape, std: 0.3, using: &g)
            for i in 0..<values.count { values.unsafePointer[i] += noise.unsafePointer[i] }
            let (batch, labels) = try Self.tinyBatch()
            let key = RandomKey(seed: 21)
            func loss(_ tape: Tape) throws -> Tensor {
                let out = try model.forward(batch, tape: tape, dropoutKey: key)
                return try model.loss(logits: out.logits!, labels: labels, tape: tape)
            }
            model.parameters.zeroGradients()
            let tape = Tape()
            try tape.backward(try loss(tape))
            let analytic = model.parameters.flatGradients.scalars
            var worst = 0.0
            var elements: [Int] = []
            model.parameters.forEachRange { spec, range in
                guard spec.trainable else { return }
                for k in stride(from: 0, to: range.count, by: max(1, range.count / 6)) { elements.append(range.lowerBound + k) }
            }
            let p = values.unsafePointer
            for e in elements {
                let v = p[e]
                func central(_ h: Float) throws -> Double {
                    p[e] = v + h; let a = Double(try loss(Tape(recording: false)).scalarValue)
                    p[e] = v - h; let b = Double(try loss(Tape(recording: false)).scalarValue)
                    p[e] = v
                    return (a - b) / Double(2 * h)
                }
                let numeric = (4 * (try central(1e-3)) - (try central(2e-3))) / 3
                worst = max(worst, abs(numeric - Double(analytic[e])))
            }
            XCTAssertLessThan(worst, 2e-3, "\(format): worst |analytic − numeric| over \(elements.count) elements")
        }
    }

    /// 'concat' writes the encodings into the last D channels of the embedding (no gradient reaches those
    /// channels of E); 'sum' adds them.
    func testNumericalEncodingFormats() throws {
        for format in [NumericalEncodingConfiguration.Format.sum, .concat] {
            let model = try XLNetModel(configuration: Self.tinyConfiguration(format: format, dropout: 0, layers: 1),
                                       vocabulary: Self.vocabulary, seed: 9)
            let ne = try XCTUnwrap(model.numericalEncodings)
            XCTAssertEqual(ne.shape, format == .sum ? [16, 8] : [16, 4])
            let ids: [Int32] = [2, 9, 3, 0]  // _5_-1_: v = 0.5, vmax 10 → [0.5, −0.5, 0.1667, …]
            let batch = try XLNetBatch(batchSize: 1, length: 4, ids: ids)
            let tape = Tape()
            let x = try tape.xlnetStreamInputs(ids: ids, wordEmbedding: model.wordEmbedding, numericalEncodings: ne,
                                               format: format, maskEmbedding: model.maskEmbedding, queryRows: 0,
                                               dropout: 0, key: RandomKey(seed: 0))
            let e = model.wordEmbedding.scalars, row = Array(x.scalars[8..<16])
            let code = Array(ne.scalars[(9 * ne.shape[1])..<(10 * ne.shape[1])])
            XCTAssertEqual(code[0], 0.5, accuracy: 1e-7)
            XCTAssertEqual(code[1], -0.5, accuracy: 1e-7)
            if format == .sum {
                for j in 0..<8 { XCTAssertEqual(row[j], e[72 + j] + code[j]) }
            } else {
                XCTAssertEqual(Array(row[0..<4]), Array(e[72..<76]))
                XCTAssertEqual(Array(row[4..<8]), code)
                try tape.backward(from: x, seed: Tensor.ones(x.shape))
                let grad = try model.parameters.gradient("transformer.word_embedding.weight")!.scalars
                XCTAssertEqual(Array(grad[72..<80]), [1, 1, 1, 1, 0, 0, 0, 0])
            }
            _ = batch
        }
    }

    func testVocabularyResize() throws {
        let model = try XLNetModel(configuration: Self.tinyConfiguration(), vocabulary: Self.vocabulary, seed: 10)
        let bigger = Self.vocabulary.appending(["<esol>", "_7_-3_"])
        let resized = try model.resizingVocabulary(from: Self.vocabulary, to: bigger, seed: 1)
        XCTAssertEqual(resized.configuration.vocabularySize, 18)
        let old = model.wordEmbedding.scalars, new = resized.wordEmbedding.scalars
        XCTAssertEqual(Array(new[0..<(16 * 8)]), old)
        XCTAssertFalse(new[(16 * 8)...].allSatisfy { $0 == 0 })
        XCTAssertEqual(Array(resized.lmBias.scalars[16...]), [0, 0])
        XCTAssertEqual(try resized.parameters.tensor("transformer.layer.1.rel_attn.q").scalars,
                       try model.parameters.tensor("transformer.layer.1.rel_attn.q").scalars)
        let ne = try XCTUnwrap(resized.numericalEncodings).scalars
        XCTAssertEqual(ne[17 * 8], 0.007 / 1, accuracy: 1e-7)  // _7_-3_: v = 0.007, ×10/vmax(10)
        let shuffled = try Vocabulary(tokens: Self.vocabulary.tokens.reversed() + ["<x>"])
        XCTAssertThrowsError(try model.resizingVocabulary(from: Self.vocabulary, to: shuffled, seed: 1)) {
            XCTAssertTrue("\($0)".contains("extend the old one"), "\($0)")
        }
    }

    /// Inference reuses the position keys only while W_r is unchanged: after an update the result equals a
    /// model without cache.
    func testPositionKeyCacheNeverServesStaleKeys() throws {
        let model = try XLNetModel(configuration: Self.tinyConfiguration(), vocabulary: Self.vocabulary, seed: 12)
        let (batch, _) = try Self.tinyBatch()
        let first = try model.forward(batch, tape: Tape(recording: false)).logits!.scalars
        XCTAssertEqual(try model.forward(batch, tape: Tape(recording: false)).logits!.scalars, first)
        let wr = try model.parameters.tensor("transformer.layer.1.rel_attn.r")
        wr.unsafePointer[5] += 0.5
        let updated = try model.forward(batch, tape: Tape(recording: false)).logits!.scalars
        let fresh = try XLNetModel(configuration: model.configuration, vocabulary: Self.vocabulary, parameters: model.parameters)
        XCTAssertEqual(updated, try fresh.forward(batch, tape: Tape(recording: false)).logits!.scalars)
        XCTAssertNotEqual(updated, first)
        // Another length is another entry.
        let short = try XLNetBatch(batchSize: 1, length: 4, ids: [2, 12, 13, 3], targets: [[1]])
        XCTAssertEqual(try model.forward(short, tape: Tape(recording: false)).logits!.scalars,
                       try fresh.forward(short, tape: Tape(recording: false)).logits!.scalars)
    }

    func testInputErrors() throws {
        let model = try XLNetModel(configuration: Self.tinyConfiguration(), vocabulary: Self.vocabulary, seed: 1)
        let tape = Tape(recording: false)
        XCTAssertThrowsError(try model.forward(try XLNetBatch(batchSize: 1, length: 2, ids: [2, 99]), tape: tape)) {
            XCTAssertTrue("\($0)".contains("token id 99"), "\($0)")
        }
        XCTAssertThrowsError(try XLNetBatch(batchSize: 1, length: 3, ids: [2, 3])) { XCTAssertTrue("\($0)".contains("2 ids")) }
        XCTAssertThrowsError(try XLNetBatch(batchSize: 1, length: 2, ids: [2, 3], targets: [[1, 1]])) {
            XCTAssertTrue("\($0)".contains("listed twice"))
        }
        XCTAssertThrowsError(try XLNetBatch(batchSize: 1, length: 2, ids: [2, 3], targets: [[2]])) {
            XCTAssertTrue("\($0)".contains("outside 0..<2"))
        }
        XCTAssertThrowsError(try XLNetBatch(batchSize: 1, length: 2, ids: [2, 3], permutationMask: [true])) {
            XCTAssertTrue("\($0)".contains("permutation mask"))
        }
        // Numerical encodings need the vocabulary; its size must match.
        XCTAssertThrowsError(try XLNetModel(configuration: Self.tinyConfiguration(), vocabulary: nil, seed: 1))
        var config = Self.tinyConfiguration()
        config.vocabularySize = 20
        XCTAssertThrowsError(try XLNetModel(configuration: config, vocabulary: Self.vocabulary, seed: 1)) {
            XCTAssertTrue("\($0)".contains("16 tokens but vocab_size is 20"), "\($0)")
        }
    }
}
