import XCTest
@testable import RegressionTransformer

/// The shared collator machinery of spec/rt-reference.md §4.0: span sampler, permutation mask, batching.
final class MaskingTests: XCTestCase {
    // MARK: Permutation mask

    func testPermutationMaskSpecVector() {
        // Spec §4.0: L = 8, r = [2, 0, 3, 1], masked = {2, 3, 4}, [CLS] = 0, [SEP] = 7.
        XCTAssertEqual(PermutationMask.factorisationOrder(shuffle: [2, 0, 3, 1]), [2, 0, 3, 1, 6, 4, 7, 5])
        let masked = (0..<8).map { [2, 3, 4].contains($0) }
        let mask = PermutationMask.mask(masked: masked, shuffle: [2, 0, 3, 1])
        let rows = TrainingFixtures.rows(mask, length: 8).map { $0.map { $0 ? "1" : "0" }.joined() }
        XCTAssertEqual(rows, ["00111000", "00111000", "00101000", "00111000",
                              "00001000", "00111000", "00111000", "00111000"])
    }

    func testPermutationMaskInvariantsOnRandomDraws() {
        var random = SeededCollatorRandom(seed: 7)
        for trial in 0..<200 {
            let length = 2 * (1 + random.integer(below: 12))
            let masked = (0..<length).map { _ in random.integer(below: 3) == 0 }
            var mask: [Bool] = []
            PermutationMask.append(masked: masked, random: &random, into: &mask)
            for i in 0..<length {
                // A position sees itself unless it is masked.
                XCTAssertEqual(mask[i * length + i], masked[i], "trial \(trial)")
                if !masked[i] {
                    // Unmasked rows cannot see exactly the masked columns.
                    for j in 0..<length { XCTAssertEqual(mask[i * length + j], masked[j], "trial \(trial) row \(i)") }
                }
                for j in 0..<length where i != j && masked[i] && masked[j] {
                    // Of two masked positions exactly one sees the other.
                    XCTAssertTrue(mask[i * length + j] != mask[j * length + i], "trial \(trial) \(i),\(j)")
                }
                for j in 0..<length where !masked[j] { XCTAssertFalse(mask[i * length + j]) }
            }
        }
    }

    // MARK: Span sampler

    func testSpanSamplerFollowsAScriptedStream() throws {
        // Range 3..<13, p = 0.4, spans up to 3, worked by hand from the spec's walk:
        //   draw 1 → span 2, ctx ⌊2/0.4⌋ = 5, draw 2 of 0..<4 → s = 5 → mask 5, 6; cur = 8
        //   draw 2 → span 3, ctx ⌊3/0.4⌋ = 7, draw 4 of 0..<5 → s = 12, clamped to 13 − 3 = 10 → mask 10, 11, 12
        let sampler = try SpanSampler(probability: 0.4, maxSpanLength: 3)
        var random = ScriptedRandom(integers: [1, 2, 2, 4])
        var masked = [Bool](repeating: false, count: 16)
        sampler.sample(3..<13, into: &masked, random: &random)
        XCTAssertEqual(masked.indices.filter { masked[$0] }, [5, 6, 10, 11, 12])
        XCTAssertEqual(random.bounds, [3, 4, 3, 5])
        XCTAssertTrue(random.integers.isEmpty)
    }

    func testSpanSamplerCapsTheSpanAtTheRemainingRange() throws {
        // Range 0..<3, p = 0.5: draw 4 → span min(5, 3) = 3, ctx 6, draw 3 of 0..<4 → s = 3 → clamped to 0.
        let sampler = try SpanSampler(probability: 0.5, maxSpanLength: 5)
        var random = ScriptedRandom(integers: [4, 3])
        var masked = [Bool](repeating: false, count: 4)
        sampler.sample(0..<3, into: &masked, random: &random)
        XCTAssertEqual(masked, [true, true, true, false])
    }

    func testSpanSamplerStaysInRangeAndMasksEverythingAtProbabilityOne() throws {
        var random = SeededCollatorRandom(seed: 3)
        for p in [0.1, 1.0 / 6, 0.4, 0.75, 1.0] {
            let sampler = try SpanSampler(probability: p, maxSpanLength: 1 + random.integer(below: 12))
            for _ in 0..<100 {
                let start = random.integer(below: 10), end = start + random.integer(below: 40)
                var masked = [Bool](repeating: false, count: 60)
                sampler.sample(start..<end, into: &masked, random: &random)
                XCTAssertTrue(masked.indices.filter { masked[$0] }.allSatisfy { (start..<end).contains($0) })
                if p == 1 { XCTAssertEqual(masked.indices.filter { masked[$0] }, Array(start..<end)) }
            }
        }
        var fraction = 0.0
        let sampler = try SpanSampler(probability: 0.4, maxSpanLength: 12)
        for _ in 0..<400 {
            var masked = [Bool](repeating: false, count: 500)
            sampler.sample(0..<500, into: &masked, random: &random)
            fraction += Double(masked.filter { $0 }.count) / 500 / 400
        }
        XCTAssertEqual(fraction, 0.4, accuracy: 0.03)
    }

    func testVanillaSpanSamplerCutsSpansAtTheEnd() throws {
        // p = 0.5, spans up to 4 over L = 6: draw 3 → span 4, ctx 8, draw 3 of 0..<5 → s = 3 → mask 3, 4, 5 (cut).
        let sampler = try SpanSampler(probability: 0.5, maxSpanLength: 4)
        var random = ScriptedRandom(integers: [3, 3])
        var masked = [Bool](repeating: false, count: 8)
        sampler.sampleUnclamped(length: 6, offset: 2, into: &masked, random: &random)
        XCTAssertEqual(masked.indices.filter { masked[$0] }, [5, 6, 7])
    }

    func testSpanSamplerRejectsBadSettings() {
        XCTAssertThrowsError(try SpanSampler(probability: 0, maxSpanLength: 3))
        XCTAssertThrowsError(try SpanSampler(probability: 1.5, maxSpanLength: 3))
        XCTAssertThrowsError(try SpanSampler(probability: 0.2, maxSpanLength: 0))
    }

    // MARK: Batching

    func testBatchPaddingUsesTheRealPadID() {
        // proteins.txt: [PAD] is id 1, id 0 is the empty token (spec §9.1).
        let pad = TextFixtures.proteins.specialIDs.pad
        XCTAssertEqual(pad, 1)
        let (ids, length) = BatchPadding.pad([[13, 5, 6, 14][...], [13, 7, 8, 9, 10, 14][...]], padID: pad)
        XCTAssertEqual(length, 6)
        XCTAssertEqual(ids, [13, 5, 6, 14, 1, 1, 13, 7, 8, 9, 10, 14])
        XCTAssertEqual(BatchPadding.attentionMask(ids, padID: pad),
                       [true, true, true, true, false, false, true, true, true, true, true, true])
        // An odd longest sample gets one more pad column.
        XCTAssertEqual(BatchPadding.pad([[3, 4, 5][...]], padID: 0).length, 4)
    }

    func testMaskingNeverTouchesSpecialsOrPadding() {
        let v = TextFixtures.smallMolecules
        let rules = MaskingRules(vocabulary: v)
        var inputs: [Int32] = [12, 16, 32, 15, 164, 0, 13, 0]
        var labels = [Int32](repeating: -100, count: 8)
        let masked = rules.apply([Bool](repeating: true, count: 8), inputs: &inputs, labels: &labels)
        XCTAssertEqual(masked, [false, true, true, true, true, false, false, false])
        XCTAssertEqual(inputs, [12, 14, 14, 14, 14, 0, 13, 0])
        XCTAssertEqual(labels, [-100, 16, 32, 15, 164, -100, -100, -100])
    }
}
