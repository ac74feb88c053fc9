import Foundation
import Tensors
@testable import RegressionTransformer

/// A small task a tiny RT can learn in seconds: 8-atom SMILES strings over C, N, O whose property `<p>` is the
/// fraction of O atoms, written with three decimals (`<p>0.375|CONCOOCN`). The number of O atoms is uniform on
/// 0…7 (values 0.000 … 0.875, one layout), so predicting the mean gives an RMSE of √(63/12)/8 ≈ 0.286.
enum SyntheticTask {
    static func lines(count: Int, seed: UInt64) -> [String] {
        var g = SeededGenerator(seed: seed)
        func below(_ n: Int) -> Int { Int(g.next().multipliedFullWidth(by: UInt64(n)).high) }
        return (0..<count).map { _ in
            let oxygens = below(8)
            var atoms = (0..<8).map { $0 < oxygens ? "O" : (below(2) == 0 ? "C" : "N") }
            for i in stride(from: 7, to: 0, by: -1) { atoms.swapAt(i, below(i + 1)) }
            return "<p>" + String(format: "%.3f", Double(oxygens) / 8) + "|" + atoms.joined()
        }
    }

    static func vocabulary(_ lines: [String]) throws -> Vocabulary {
        var builder = VocabularyBuilder()
        for line in lines { try builder.add(line, tokenizer: RTTokenizer(language: .smiles)) }
        return try builder.build()
    }

    static func dataset(_ lines: [String], vocabulary: Vocabulary) throws -> TokenizedDataset {
        let loader = DatasetLoader(encoder: RTEncoder(vocabulary: vocabulary, tokenizer: RTTokenizer(language: .smiles)))
        return try loader.load([MemoryLineSource(lines.joined(separator: "\n"), name: "synthetic")]).dataset
    }

    static func configuration(vocabulary: Vocabulary, layers: Int = 2, dimension: Int = 32, dropout: Double = 0.1)
        -> XLNetConfiguration
    {
        XLNetConfiguration(vocabularySize: vocabulary.count, modelDimension: dimension, layerCount: layers,
                           headCount: 4, innerDimension: 2 * dimension, dropout: dropout,
                           numericalEncodings: NumericalEncodingConfiguration(kind: .float, format: .sum, vmax: 1),
                           language: .smiles)
    }

    static func model(vocabulary: Vocabulary, layers: Int = 2, dimension: Int = 32, dropout: Double = 0.1,
                      seed: UInt64 = 1) throws -> XLNetModel {
        try XLNetModel(configuration: configuration(vocabulary: vocabulary, layers: layers, dimension: dimension,
                                                    dropout: dropout), vocabulary: vocabulary, seed: seed)
    }

    /// The alternating recipe, scaled down.
    static func trainingConfiguration(steps: Int, batchSize: Int = 16, learningRate: Double = 3e-3) -> TrainingConfiguration {
        var c = TrainingConfiguration.alternatingRecipe(properties: ["p"])
        c.maxSteps = steps
        c.batchSize = batchSize
        c.learningRate = learningRate
        c.alternateSteps = 4
        c.generation.probability = 0.5
        c.generation.maxSpanLength = 4
        c.loggingSteps = 10
        c.evaluationSteps = 1000
        c.saveSteps = 1000
        return c
    }
}
