import XCTest
@testable import Tensors

/// AdamW (torch and HuggingFace variants), the linear warmup/decay schedule and global-norm clipping, against
/// numbers produced by PyTorch (Fixtures/adamw, scripts/fixtures/optim_fixtures.py).
final class OptimizerTests: XCTestCase {
    /// Runs one fixture case through our AdamW and compares parameters and both moments after every step.
    func runAdamWCase(_ c: [String: Any], variant: AdamW.Variant, lrs: [Double]? = nil, clip: Double? = nil,
                      norms: [Double]? = nil, label: String) throws {
        let params = c["params"] as! [[String: Any]]
        let hp = c["hyperparameters"] as! [String: Any]
        let num = { (k: String) in (hp[k] as! NSNumber).doubleValue }
        let specs = params.map { ParameterSpec($0["name"] as! String, Shape(($0["shape"] as! [Int]))) }
        let store = try ParameterStore(specs)
        for p in params { try store.assign(p["name"] as! String, Tensor(Fixtures.floats(p["initial"]), shape: try store.tensor(p["name"] as! String).shape)) }
        let opt = AdamW(parameters: store, configuration: .init(
            learningRate: num("lr"), beta1: num("beta1"), beta2: num("beta2"), eps: num("eps"),
            weightDecay: num("weight_decay"), variant: variant))
        let steps = (c["steps"] as? Int) ?? 10
        var worst = 0.0
        for s in 0..<steps {
            store.zeroGradients()
            for p in params {
                let g = try store.gradient(p["name"] as! String)!
                let values = Fixtures.floats((p["grads"] as! [Any])[s])
                g.unsafePointer.update(from: values, count: values.count)
            }
            if let clip {
                let norm = store.clipGradients(maxNorm: clip)
                if let norms { XCTAssertEqual(norm, norms[s], accuracy: 1e-5 * norms[s], "\(label) step \(s + 1) norm") }
            }
            opt.step(learningRate: lrs?[s])
            for p in params {
                let name = p["name"] as! String
                let checks: [(String, Tensor)] = [
                    ("after_step", try store.tensor(name)),
                    ("exp_avg", try moment(opt.firstMoment, store, name)),
                    ("exp_avg_sq", try moment(opt.secondMoment, store, name)),
                ]
                for (key, t) in checks {
                    let expected = Fixtures.doubles((p[key] as! [Any])[s])
                    let got = t.scalars
                    XCTAssertEqual(got.count, expected.count)
                    for i in got.indices {
                        let err = abs(Double(got[i]) - expected[i])
                        worst = max(worst, err)
                        if err > 1e-6 {
                            XCTFail("\(label) \(name).\(key) step \(s + 1) [\(i)]: \(got[i]) vs \(expected[i])")
                            return
                        }
                    }
                }
            }
        }
        XCTAssertLessThanOrEqual(worst, 1e-6, label)
    }

    /// The slice of a flat moment buffer that belongs to parameter `name`.
    func moment(_ flat: Tensor, _ store: ParameterStore, _ name: String) throws -> Tensor {
        let i = try store.index(name)
        return Tensor(shape: store.specs[i].shape, storage: flat.storage, offset: flat.offset + store.offsets[i])
    }

    func testTorchAdamWMatchesPyTorch() throws {
        let f = try Fixtures.json("adamw/torch_adamw.json")
        for c in f["cases"] as! [[String: Any]] {
            try runAdamWCase(c, variant: .torch, label: "torch/\(c["name"]!)")
        }
    }

    func testHuggingFaceAdamWMatchesReference() throws {
        let f = try Fixtures.json("adamw/hf_adamw.json")
        for c in f["cases"] as! [[String: Any]] {
            try runAdamWCase(c, variant: .huggingface, label: "hf/\(c["name"]!)")
        }
    }

    /// The two variants really differ on the discriminating case (so the tests above can tell them apart).
    func testVariantsDisagreeOnDiscriminatingCase() throws {
        let f = try Fixtures.json("adamw/torch_adamw.json")
        let c = (f["cases"] as! [[String: Any]])[1]
        let p = (c["params"] as! [[String: Any]])[0]
        let store = try ParameterStore([ParameterSpec("w", Shape(p["shape"] as! [Int]))])
        try store.assign("w", Tensor(Fixtures.floats(p["initial"]), shape: Shape(p["shape"] as! [Int])))
        let opt = AdamW(parameters: store, configuration: .init(learningRate: 5e-2, beta1: 0.8, beta2: 0.95, eps: 1e-3,
                                                                 weightDecay: 0.1, variant: .huggingface))
        let g = try store.gradient("w")!
        let values = Fixtures.floats((p["grads"] as! [Any])[0])
        g.unsafePointer.update(from: values, count: values.count)
        opt.step()
        let torchAfter = Fixtures.doubles((p["after_step"] as! [Any])[0])
        let diff = zip(try store.tensor("w").scalars, torchAfter).map { abs(Double($0) - $1) }.max()!
        XCTAssertGreaterThan(diff, 1e-5)
    }

    func testLinearScheduleMatchesHuggingFace() throws {
        let f = try Fixtures.json("adamw/linear_schedule.json")
        for s in f["schedules"] as! [[String: Any]] {
            let schedule = LinearWarmupDecay(baseLearningRate: 1, warmupSteps: s["num_warmup_steps"] as! Int,
                                             totalSteps: s["num_training_steps"] as! Int)
            for (t, expected) in Fixtures.doubles(s["factors"]).enumerated() {
                XCTAssertEqual(schedule.factor(t), expected, accuracy: 1e-15, "\(schedule) t=\(t)")
            }
        }
        XCTAssertEqual(LinearWarmupDecay(baseLearningRate: 0.5, warmupSteps: 2, totalSteps: 4).learningRate(afterSteps: 1), 0.25)
    }

    func testClipGradNormMatchesPyTorch() throws {
        let f = try Fixtures.json("adamw/clip_grad_norm.json")
        let grads = f["grads"] as! [[String: Any]]
        for c in f["cases"] as! [[String: Any]] {
            let store = try ParameterStore(grads.map { ParameterSpec($0["name"] as! String, Shape($0["shape"] as! [Int])) })
            for g in grads {
                let values = Fixtures.floats(g["value"])
                try store.gradient(g["name"] as! String)!.unsafePointer.update(from: values, count: values.count)
            }
            let norm = store.clipGradients(maxNorm: (c["max_norm"] as! NSNumber).doubleValue)
            let expectedNorm = (c["total_norm"] as! NSNumber).doubleValue
            XCTAssertEqual(norm, expectedNorm, accuracy: 1e-6 * expectedNorm)
            for clipped in c["clipped"] as! [[String: Any]] {
                let got = try store.gradient(clipped["name"] as! String)!.scalars
                for (a, b) in zip(got, Fixtures.doubles(clipped["value"])) {
                    XCTAssertEqual(Double(a), b, accuracy: 1e-6 * max(1, abs(b)))
                }
            }
        }
    }

    /// Clip → HF AdamW at the scheduled learning rate, 10 steps (the RT trainer's optimizer step).
    func testTrainerStepsMatchPyTorch() throws {
        let f = try Fixtures.json("adamw/rt_trainer_steps.json")
        let sched = f["schedule"] as! [String: Any]
        let schedule = LinearWarmupDecay(baseLearningRate: ((f["hyperparameters"] as! [String: Any])["lr"] as! NSNumber).doubleValue,
                                         warmupSteps: sched["num_warmup_steps"] as! Int,
                                         totalSteps: sched["num_training_steps"] as! Int)
        let lrs = (0..<10).map { schedule.learningRate(afterSteps: $0) }
        for (a, b) in zip(lrs, Fixtures.doubles(f["lrs"])) { XCTAssertEqual(a, b, accuracy: 1e-15) }
        try runAdamWCase(f, variant: .huggingface, lrs: lrs, clip: (f["max_grad_norm"] as! NSNumber).doubleValue,
                         norms: Fixtures.doubles(f["total_norms"]), label: "trainer")
    }

    func testFrozenAndNoDecayParameters() throws {
        let store = try ParameterStore([ParameterSpec("w", [2], weightDecay: false), ParameterSpec("frozen", [2], trainable: false)])
        try store.assign("w", Tensor([1, 1]))
        try store.assign("frozen", Tensor([3, 3]))
        XCTAssertNil(try store.gradient("frozen"))
        XCTAssertFalse(try store.tensor("frozen").requiresGradient)
        let opt = AdamW(parameters: store, configuration: .init(learningRate: 0.1, weightDecay: 0.5))
        opt.step()  // zero gradient: Adam update is 0; no decay on w; frozen untouched
        XCTAssertEqual(try store.tensor("w").scalars, [1, 1])
        XCTAssertEqual(try store.tensor("frozen").scalars, [3, 3])
    }
}
