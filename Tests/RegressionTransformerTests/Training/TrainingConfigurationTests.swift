import TensorIO
import Foundation
import XCTest
@testable import RegressionTransformer

/// Training-config JSON with the original's keys (spec §5.1, §5.6), and clear errors for what it cannot use.
final class TrainingConfigurationTests: XCTestCase {
    func parse(_ text: String) throws -> TrainingConfiguration {
        try TrainingConfiguration(json: try JSONValue.parseObject(Data(text.utf8), path: "t.json"), path: "t.json")
    }

    func testTheOriginalsShippedConfigs() throws {
        // training_configs/qed_alternated_cc.json
        let qed = try parse("""
            {"reset_training_loss": true, "alternate_tasks": true, "cc_loss": true, "property_tokens": ["<qed>"],
             "alternate_steps": 50, "checkpoint-str": "best", "cg_collator": "vanilla_cg",
             "cg_collator_params": {"do_sample": false, "property_tokens": ["<qed>"], "plm_probability": 0.4,
                                    "max_span_length": 12}}
            """)
        XCTAssertEqual(qed.task, .alternating)
        XCTAssertEqual(qed.properties, ["qed"])
        XCTAssertTrue(qed.selfConsistency)
        XCTAssertEqual(qed.alternateSteps, 50)
        XCTAssertEqual(qed.bestMetric, .trainingLoss)
        XCTAssertEqual(qed.generation.kind, .vanilla)
        XCTAssertEqual(qed.generation.probability, 0.4)
        XCTAssertEqual(qed.generation.maxSpanLength, 12)
        XCTAssertFalse(qed.generation.samplesPrimers)
        XCTAssertEqual(qed, TrainingConfiguration.alternatingRecipe(properties: ["qed"]).with { $0.bestMetric = .trainingLoss; $0.generation.properties = ["qed"] })

        // training_configs/qed_proponly.json
        let proponly = try parse("""
            {"reset_training_loss": true, "alternate_tasks": false, "task": "proponly", "checkpoint-str": "pearson",
             "property_tokens": ["<qed>"]}
            """)
        XCTAssertEqual(proponly.task, .propertyPrediction)
        XCTAssertEqual(proponly.bestMetric, .pearson)

        // training_configs/reactions_alternating_cc.json
        let reactions = try parse("""
            {"reset_training_loss": true, "alternate_tasks": true, "cg_collator": "multientity_cg", "cc_loss": true,
             "property_tokens": ["<yield>"], "alternate_steps": 50,
             "cg_collator_params": {"do_sample": false, "property_tokens": ["<yield>"], "plm_probability": 1.0,
                                    "max_span_length": 7, "entity_to_mask": -1, "entity_separator_token": "<energy>"}}
            """)
        XCTAssertEqual(reactions.generation.kind, .multiEntity)
        XCTAssertNil(reactions.generation.entityToMask)
        XCTAssertEqual(reactions.generation.entitySeparator, "<energy>")
        XCTAssertEqual(reactions.generation.probability, 1)
    }

    func testTrainerArgumentsAndRoundTrip() throws {
        let c = try parse("""
            {"task": "gen_only", "property_tokens": ["<esol>", "logp"], "learning_rate": 5e-5,
             "per_gpu_train_batch_size": 8, "num_train_epochs": 2.5, "warmup_steps": 10, "gradient_accumulation_steps": 2,
             "seed": 7, "mask_token_order": [[2, 3], [0]], "num_tokens_to_mask": [2, -1],
             "cg_collator_params": {"do_sample": true, "property_value_ranges": [[-12, 2], [-3, 8]]}}
            """)
        XCTAssertEqual(c.task, .generation)
        XCTAssertEqual(c.properties, ["esol", "logp"])
        XCTAssertEqual(c.batchSize, 8)
        XCTAssertEqual(c.epochs, 2.5)
        XCTAssertEqual(c.seed, 7)
        XCTAssertEqual(c.generation.ranges, ["esol": -12...2, "logp": -3...8])
        XCTAssertEqual(c.maskingOrders, [[2, 3], [0]])
        XCTAssertEqual(try TrainingConfiguration(json: c.json), c)
        // No task keys: PLM without properties, alternating with them.
        XCTAssertEqual(try parse("{}").task, .plm)
        XCTAssertEqual(try parse(#"{"property_tokens": ["<qed>"]}"#).task, .alternating)
    }

    func testUnknownKeysCollatorsAndTypesAreErrors() {
        func message(_ text: String) -> String {
            do { _ = try parse(text); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message(#"{"alternate_task": true, "property_tokens": ["<qed>"]}"#),
                       "t.json: key 'alternate_task': unknown key (did you mean 'alternate_tasks'?)")
        XCTAssertEqual(message(#"{"property_tokens": ["<qed>"], "cg_collator": "bimodal_cg"}"#),
                       "t.json: key 'cg_collator': unknown collator 'bimodal_cg' (expected vanilla_cg or multientity_cg)")
        XCTAssertEqual(message(#"{"property_tokens": ["<qed>"], "cg_collator_params": {"plm_prob": 0.4}}"#),
                       "t.json: key 'cg_collator_params.plm_prob': unknown key")
        XCTAssertEqual(message(#"{"task": "regression", "property_tokens": ["<qed>"]}"#),
                       "t.json: key 'task': unknown task 'regression' (expected proponly, gen_only, plm or alternating)")
        XCTAssertEqual(message(#"{"alternate_tasks": "yes", "property_tokens": ["<qed>"]}"#),
                       "t.json: key 'alternate_tasks': expected true or false, found \"yes\"")
        XCTAssertEqual(message(#"{"task": "proponly"}"#),
                       "t.json: key 'property_tokens': the proponly task needs at least one property token")
        XCTAssertEqual(message(#"{"property_tokens": ["<qed>"], "alternate_steps": 5, "gradient_accumulation_steps": 2}"#),
                       "t.json: key 'alternate_steps': 5 is not a multiple of gradient_accumulation_steps 2, so an optimizer step would mix objectives")
        XCTAssertEqual(message(#"{"property_tokens": ["<q e d>"]}"#),
                       "t.json: key 'property_tokens': '<q e d>' is not a property token (<name> with letters, digits and '_')")
    }

    func testConfigFileErrorsNameTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-config-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try "{\"alternate_tasks\": true,".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainingConfiguration(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix(url.path + ": not valid JSON"), "\(error)")
        }
    }
}

extension TrainingConfiguration {
    func with(_ change: (inout TrainingConfiguration) -> Void) -> TrainingConfiguration {
        var c = self
        change(&c)
        return c
    }
}
