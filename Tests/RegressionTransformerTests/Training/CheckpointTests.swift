import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

final class CheckpointTests: XCTestCase {
    func testAtomicDirectoryReplacesWholeAndFallsBackToTheOldCopy() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rt-atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let target = root.appendingPathComponent("checkpoint-last")
        try AtomicDirectory.replace(at: target) { try "1".write(to: $0.appendingPathComponent("a"), atomically: true, encoding: .utf8) }
        try AtomicDirectory.replace(at: target) { try "2".write(to: $0.appendingPathComponent("b"), atomically: true, encoding: .utf8) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path), ["b"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), ["checkpoint-last"])
        // A writer that fails leaves the old directory untouched and no temporary behind.
        struct Failure: Error {}
        XCTAssertThrowsError(try AtomicDirectory.replace(at: target) { _ in throw Failure() })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), ["checkpoint-last"])
        // A crash between the two renames leaves only `.checkpoint-last.old`, which is found.
        try FileManager.default.moveItem(at: target, to: root.appendingPathComponent(".checkpoint-last.old"))
        XCTAssertEqual(AtomicDirectory.existing(at: target)?.lastPathComponent, ".checkpoint-last.old")
    }

    func testOptimizerStateRoundTripsExactly() throws {
        let lines = SyntheticTask.lines(count: 16, seed: 1)
        let vocabulary = try SyntheticTask.vocabulary(lines)
        let data = try SyntheticTask.dataset(lines, vocabulary: vocabulary)
        let model = try SyntheticTask.model(vocabulary: vocabulary, layers: 1, dimension: 16)
        let trainer = try Trainer(model: model, vocabulary: vocabulary,
                                  configuration: SyntheticTask.trainingConfiguration(steps: 3, batchSize: 8), training: data)
        for _ in 0..<3 { _ = try trainer.step() }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-opt-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try OptimizerState.write(trainer.optimizer, to: url)
        let fresh = AdamW(parameters: model.parameters)
        try OptimizerState.read(fresh, from: url)
        XCTAssertEqual(fresh.stepCount, 3)
        XCTAssertEqual(fresh.firstMoment.scalars, trainer.optimizer.firstMoment.scalars)
        XCTAssertEqual(fresh.secondMoment.scalars, trainer.optimizer.secondMoment.scalars)
        // Another model's state is refused, naming the parameter.
        let other = try SyntheticTask.model(vocabulary: vocabulary, layers: 2, dimension: 16)
        XCTAssertThrowsError(try OptimizerState.read(AdamW(parameters: other.parameters), from: url)) { error in
            XCTAssertTrue("\(error)".contains("transformer.layer.1."), "\(error)")
        }
    }

    func testMultiEntityGenerationTrains() throws {
        // Reactions with the multi-entity collator (the original's reactions config, scaled down).
        let lines = (0..<24).map { i in "<yield>0.\(10 + i)|C\(i % 2 == 0 ? "C" : "O").N>>C\(i % 3 == 0 ? "N" : "C")" }
        var builder = VocabularyBuilder()
        for line in lines { try builder.add(line, tokenizer: RTTokenizer(language: .reactionSMILES)) }
        let vocabulary = try builder.build()
        let loader = DatasetLoader(encoder: RTEncoder(vocabulary: vocabulary, tokenizer: RTTokenizer(language: .reactionSMILES)))
        let data = try loader.load([MemoryLineSource(lines.joined(separator: "\n"), name: "reactions")]).dataset
        var c = TrainingConfiguration.alternatingRecipe(properties: ["yield"])
        c.generation.kind = .multiEntity
        c.generation.probability = 1
        c.generation.maxSpanLength = 7
        c.alternateSteps = 1
        c.maxSteps = 4
        c.batchSize = 8
        let model = try XLNetModel(configuration: SyntheticTask.configuration(vocabulary: vocabulary, layers: 1, dimension: 16),
                                   vocabulary: vocabulary, seed: 1)
        let trainer = try Trainer(model: model, vocabulary: vocabulary, configuration: c, training: data)
        var objectives: [TrainingObjective] = []
        while !trainer.isFinished {
            let report = try trainer.step()
            objectives.append(report.objective)
            XCTAssertTrue(report.losses["loss"]!.isFinite)
        }
        XCTAssertEqual(objectives, [.propertyPrediction, .generation, .propertyPrediction, .generation])
    }
}
