import XCTest
@testable import Tensors

/// A small end-to-end training loop through the public API (embedding → linear+GELU → residual+dropout+layer
/// norm → tied output projection → cross-entropy; AdamW with schedule and clipping): loss decreases, one seed
/// reproduces every bit, the thread count does not change results, and after the first step the loop takes
/// no new memory from the system.
final class TrainingLoopTests: XCTestCase {
    struct Model {
        let params: ParameterStore
        static let vocab = 23, width = 20, hidden = 37

        init(seed: UInt64) throws {
            params = try ParameterStore([
                ParameterSpec("embedding.weight", [Model.vocab, Model.width]),
                ParameterSpec("ff.layer_1.weight", [Model.hidden, Model.width]),
                ParameterSpec("ff.layer_1.bias", [Model.hidden], weightDecay: false),
                ParameterSpec("ff.layer_2.weight", [Model.width, Model.hidden]),
                ParameterSpec("ff.layer_2.bias", [Model.width], weightDecay: false),
                ParameterSpec("ff.layer_norm.weight", [Model.width], weightDecay: false),
                ParameterSpec("ff.layer_norm.bias", [Model.width], weightDecay: false),
                ParameterSpec("lm_loss.bias", [Model.vocab], weightDecay: false),
            ])
            var g = SeededGenerator(seed: seed)
            for s in params.specs where s.shape.rank == 2 {
                try params.assign(s.name, Tensor.randomNormal(s.shape, std: 0.3, using: &g))
            }
            try params.assign("ff.layer_norm.weight", Tensor.ones([Model.width]))
        }

        func loss(_ tape: Tape, ids: [Int], targets: [Int], step: Int) throws -> Tensor {
            let p = { (n: String) in try self.params.tensor(n) }
            let h = try tape.embedding(p("embedding.weight"), ids: ids)
            let a = try tape.linear(h, weight: p("ff.layer_1.weight"), bias: p("ff.layer_1.bias"), activation: .gelu)
            let b = try tape.linear(a, weight: p("ff.layer_2.weight"), bias: p("ff.layer_2.bias"))
            let key = RandomKey(seed: 7, stream: UInt64(step))
            let out = try tape.residualLayerNorm(b, residual: h, gamma: p("ff.layer_norm.weight"),
                                                 beta: p("ff.layer_norm.bias"), eps: 1e-12, dropout: 0.1, key: key)
            let logits = try tape.linear(out, weight: p("embedding.weight"), bias: p("lm_loss.bias"))
            return try tape.crossEntropy(logits: logits, targets: targets)
        }
    }

    /// Trains for `steps` and returns the losses and the final flat parameters.
    func train(seed: UInt64, steps: Int, threads: Int, onStep: (Int) -> Void = { _ in }) throws -> ([Float], [Float]) {
        let saved = Engine.threads
        Engine.setThreads(threads)
        defer { Engine.setThreads(saved) }
        let model = try Model(seed: seed)
        let opt = AdamW(parameters: model.params, configuration: .init(learningRate: 3e-2, weightDecay: 0.01))
        let schedule = LinearWarmupDecay(baseLearningRate: 3e-2, warmupSteps: 2, totalSteps: steps)
        var g = SeededGenerator(seed: seed &+ 1)
        let ids = (0..<150).map { _ in Int(g.next() % UInt64(Model.vocab)) }
        let targets = ids.enumerated().map { $0.offset % 7 == 0 ? -100 : ($0.element * 5 + 3) % Model.vocab }
        var losses: [Float] = []
        for step in 0..<steps {
            let tape = Tape()
            let loss = try model.loss(tape, ids: ids, targets: targets, step: step)
            losses.append(loss.scalarValue)
            try tape.backward(loss)
            model.params.clipGradients(maxNorm: 1.0)
            opt.step(learningRate: schedule.learningRate(afterSteps: step))
            model.params.zeroGradients()
            onStep(step)
        }
        return (losses, model.params.flatValues.scalars)
    }

    func testLossDecreasesAndRunsReproduce() throws {
        let (losses, params) = try train(seed: 1, steps: 30, threads: 2)
        XCTAssertLessThan(losses.last!, 0.5 * losses[0], "\(losses)")
        let (again, paramsAgain) = try train(seed: 1, steps: 30, threads: 2)
        XCTAssertEqual(losses, again)
        XCTAssertEqual(params, paramsAgain)
        let (other, _) = try train(seed: 2, steps: 3, threads: 2)
        XCTAssertNotEqual(Array(losses.prefix(3)), other)
    }

    func testThreadCountDoesNotChangeResults() throws {
        let one = try train(seed: 3, steps: 5, threads: 1)
        let two = try train(seed: 3, steps: 5, threads: 2)
        XCTAssertEqual(one.0, two.0)
        XCTAssertEqual(one.1, two.1)
    }

    func testSteadyStateAllocatesNoNewBuffers() throws {
        var fresh: [Int] = []
        _ = try train(seed: 4, steps: 6, threads: 2) { _ in fresh.append(BufferPool.shared.statistics.freshAllocations) }
        // After the first two steps (warm-up of the pool), the count of buffers obtained from the system stays put.
        XCTAssertEqual(Set(fresh.dropFirst(2)).count, 1, "fresh allocations per step: \(fresh)")
    }
}
