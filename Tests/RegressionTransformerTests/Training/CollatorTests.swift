import XCTest
@testable import RegressionTransformer

/// The property, generation, multi-entity and PLM collators (spec/rt-reference.md §4.1–§4.4).
final class CollatorTests: XCTestCase {
    let v = TextFixtures.smallMolecules

    /// `<qed>{qed}|{selfies_v1}` lines of the ChEMBL example table that the small-molecule vocabulary encodes.
    func chemblSamples(_ count: Int) throws -> [ArraySlice<Int32>] {
        let text = try TextFixtures.text("chembl_example_999_props_selfies.csv")
        let encoder = RTEncoder(vocabulary: v, tokenizer: RTTokenizer(language: .selfies))
        var samples: [ArraySlice<Int32>] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 7, let ids = try? encoder.encode("<qed>\(f[2])|\(f[6])") else { continue }
            samples.append(ids[...])
            if samples.count == count { break }
        }
        return samples
    }

    // MARK: Property prediction

    func testPropertyCollatorMasksEveryValueToken() throws {
        let samples = try TrainingFixtures.encode(["<qed>0.3936|[C][Br]", "<esol>-3.53|[C][C][Branch1_1][C][O]"], vocabulary: v)
        XCTAssertEqual(Array(samples[0]), ids("12 16 32 25 65 144 67 107 15 164 169 13"))
        let collator = try PropertyCollator(vocabulary: v, properties: ["qed"])
        var random = SeededCollatorRandom(seed: 1)
        let batch = try collator.collate(samples, random: &random)
        XCTAssertEqual(batch.length, 14)
        XCTAssertEqual(Array(batch.inputRow(0)), ids("12 16 14 14 14 14 14 14 15 164 169 13 0 0"))
        XCTAssertEqual(Array(batch.labelRow(0)), ids("-100 -100 32 25 65 144 67 107 -100 -100 -100 -100 -100 -100"))
        // The sample without <qed> has nothing masked (the original would mask from position 1 to its first '|').
        XCTAssertEqual(Array(batch.inputRow(1)), Array(samples[1]))
        XCTAssertTrue(batch.labelRow(1).allSatisfy { $0 == -100 })
        XCTAssertEqual(batch.realProperties[0], [0.3936])
        XCTAssertEqual(batch.realProperties[1], [nil])
        XCTAssertEqual(batch.attentionMask.suffix(14), (0..<14).map { $0 < 14 })
        XCTAssertEqual(Array(batch.attentionMask.prefix(14)), (0..<14).map { $0 < 12 })
    }

    func testPropertyCollatorWithTheEvaluationOrder() throws {
        // qed_eval.json: order [2, 3, 4, 0, 1], 5 tokens: for 0.3936 the decimals 3, 9, 3, then the units digit and
        // the point are masked; the 4th decimal (_6_-4_) stays visible (spec §4.2).
        let samples = try TrainingFixtures.encode(["<qed>0.3936|[C][Br]"], vocabulary: v)
        let collator = try PropertyCollator(vocabulary: v, targets: [.init(name: "qed", count: 5, order: [2, 3, 4, 0, 1])])
        var random = SeededCollatorRandom(seed: 1)
        let batch = try collator.collate(samples, random: &random)
        XCTAssertEqual(batch.inputIDs, ids("12 16 14 14 14 14 14 107 15 164 169 13"))
        XCTAssertEqual(batch.targetRows.map(\.position), [2, 3, 4, 5, 6])
        // A value shorter than the order: offsets past its end are skipped.
        let short = try collator.collate(try TrainingFixtures.encode(["<qed>0.5|[C]"], vocabulary: v), random: &random)
        XCTAssertEqual(short.targetRows.map(\.position), [2, 3, 4])
    }

    func testMultiPropertyMasksAreMerged() throws {
        let samples = try TrainingFixtures.encode(["<logp>12.5|<scs>3.1|[C][=C][F].[C]"], vocabulary: v)
        XCTAssertEqual(Array(samples[0]), ids("12 17 46 58 25 91 15 20 71 25 39 15 164 159 172 503 164 13"))
        let collator = try PropertyCollator(vocabulary: v, properties: ["logp", "scs"])
        var random = SeededCollatorRandom(seed: 5)
        let batch = try collator.collate(samples, random: &random)
        let logp = [2, 3, 4, 5], scs = [8, 9, 10]
        XCTAssertEqual(batch.targetRows.map(\.position), logp + scs)
        XCTAssertEqual(batch.realProperties[0], [12.5, 3.1])
        let L = batch.length
        for i in logp {
            for j in scs {
                XCTAssertTrue(batch.permutationMask[i * L + j], "logp digit \(i) must not see scs digit \(j)")
                XCTAssertTrue(batch.permutationMask[j * L + i], "scs digit \(j) must not see logp digit \(i)")
            }
        }
        for group in [logp, scs] {
            for i in group {
                for j in group where i != j {
                    XCTAssertNotEqual(batch.permutationMask[i * L + j], batch.permutationMask[j * L + i])
                }
            }
        }
    }

    func testPropertyCollatorRejectsUnknownProperties() {
        XCTAssertThrowsError(try PropertyCollator(vocabulary: v, properties: ["QED"])) { error in
            XCTAssertEqual("\(error)", "the property token <QED> is not in the vocabulary")
        }
    }

    // MARK: Conditional generation

    func testGenerationCollatorMasksOnlyTheSequence() throws {
        let samples = try chemblSamples(64)
        XCTAssertEqual(samples.count, 64)
        let collator = try GenerationCollator(vocabulary: v, properties: ["qed"], probability: 0.4, maxSpanLength: 12)
        var random = SeededCollatorRandom(seed: 11)
        var masked = 0, maskable = 0
        for start in stride(from: 0, to: 64, by: 16) {
            let batch = try collator.collate(Array(samples[start..<(start + 16)]), random: &random)
            XCTAssertEqual(batch.sampleWeights, [Float](repeating: 1, count: 16))
            for b in 0..<16 {
                let original = Array(samples[start + b])
                let layout = SampleLayout(ids: original, vocabulary: v)
                for i in 0..<batch.length {
                    if batch.isTarget(b, i) {
                        XCTAssertTrue(layout.sequence.contains(i), "masked outside the sequence at \(i)")
                        XCTAssertEqual(batch.labels[b * batch.length + i], original[i])
                        XCTAssertEqual(batch.inputIDs[b * batch.length + i], v.specialIDs.mask)
                    } else {
                        XCTAssertEqual(batch.inputIDs[b * batch.length + i], i < original.count ? original[i] : v.specialIDs.pad)
                    }
                }
                masked += batch.labelRow(b).filter { $0 != -100 }.count
                maskable += layout.sequence.count
                XCTAssertEqual(batch.realProperties[b][0], PropertyCollator.value(original[layout.properties[0].value], v))
            }
        }
        // Spans of up to 12 tokens on these short molecules (the range runs to the padded end): most of it.
        XCTAssertGreaterThan(masked, maskable / 4)
        XCTAssertLessThan(masked, maskable)
    }

    func testGenerationCollatorSamplesPrimersAndWeights() throws {
        let samples = try chemblSamples(32)
        let collator = try GenerationCollator(vocabulary: v, properties: ["qed"], probability: 0.4, maxSpanLength: 12,
                                              sampling: PrimerSampling(ranges: ["qed": 0...1]))
        var random = SeededCollatorRandom(seed: 2)
        let batch = try collator.collate(samples, random: &random)
        var changed = 0
        for b in 0..<samples.count {
            let original = Array(samples[b])
            let span = SampleLayout(ids: original, vocabulary: v).properties[0]
            let row = Array(batch.inputRow(b))
            let real = PropertyCollator.value(original[span.value], v)!
            let primer = PropertyCollator.value(row[span.value], v)!
            XCTAssertEqual(v.numberLayout(of: row[span.value]), v.numberLayout(of: original[span.value]))
            XCTAssertEqual(Double(batch.sampleWeights[b]), 1 - 2 * abs(real - primer), accuracy: 1e-6)
            XCTAssertEqual(batch.realProperties[b][0], real)
            if primer != real { changed += 1 }
            // Only the value changed; the rest of the row is the sample (or [MASK] in the sequence).
            for i in 0..<original.count where !span.value.contains(i) && !batch.isTarget(b, i) {
                XCTAssertEqual(row[i], original[i])
            }
        }
        XCTAssertGreaterThan(changed, 28)
    }

    func testSampleWeightVectors() {
        // Spec §10: real 0.4, sampled 0.7, range [0, 1] → 0.4; equal → 1; distance = range → −1.
        XCTAssertEqual(PrimerSampling.weight(real: 0.4, primer: 0.7, range: 0...1), 0.4, accuracy: 1e-12)
        XCTAssertEqual(PrimerSampling.weight(real: 0.4, primer: 0.4, range: 0...1), 1)
        XCTAssertEqual(PrimerSampling.weight(real: 0, primer: 1, range: 0...1), -1)
        XCTAssertEqual(PrimerSampling.weight(real: 3, primer: 4, range: 2...2), 1)
    }

    func testPrimersAreWrittenInALayoutOfTheSlotsLength() {
        // 0.0513 in the slot of 0.3936 (d.dddd): its own layout.
        let a = PrimerSampling.write(0.05127, tokenCount: 6, preferred: NumberLayout(pattern: "d.dddd"), vocabulary: v)
        XCTAssertEqual(a.map { $0.ids.map { v.tokens[Int($0)] } }, toks("_0_0_ _._ _0_-1_ _5_-2_ _1_-3_ _3_-4_"))
        XCTAssertEqual(a?.written, 0.0513)
        // −2.13 in a d.dd slot (4 tokens): the signed layout ±d.d.
        let b = PrimerSampling.write(-2.13, tokenCount: 4, preferred: NumberLayout(pattern: "d.dd"), vocabulary: v)
        XCTAssertEqual(b.map { $0.ids.map { v.tokens[Int($0)] } }, toks("_-_ _2_0_ _._ _1_-1_"))
        XCTAssertEqual(b?.written, -2.1)
        // Nothing of 2 tokens holds 12345.
        XCTAssertNil(PrimerSampling.write(12345, tokenCount: 2, preferred: nil, vocabulary: v))
    }

    // MARK: Multi-entity

    func testMultiEntityCollatorMasksOneWholeEntity() throws {
        let r = TextFixtures.reactions
        let samples = try TrainingFixtures.encode(["<yield>0.52|[C][C].[O]>>[C]", "<yield>0.1|[N].[C][O].[S]>>[C][C]"],
                                                  vocabulary: r, language: .reactionSELFIES)
        XCTAssertEqual(Array(samples[0]), ids("12 10 32 25 91 53 15 164 164 503 170 714 164 13"))
        for (k, expected) in [(0, [[7, 8], [6]]), (1, [[10], [8, 9]]), (2, [[12], [11]])] {
            let collator = try MultiEntityCollator(vocabulary: r, properties: ["yield"], probability: 1, maxSpanLength: 7,
                                                   entityToMask: k)
            var random = SeededCollatorRandom(seed: UInt64(k))
            let batch = try collator.collate(samples, random: &random)
            XCTAssertEqual(batch.targetPositions, expected, "entity \(k)")
        }
        // Random entity: one per batch, the same index in every sample.
        let random = try MultiEntityCollator(vocabulary: r, properties: ["yield"], probability: 1, maxSpanLength: 7)
        var seen = Set<[[Int]]>()
        for seed in 0..<20 {
            var g = SeededCollatorRandom(seed: UInt64(seed))
            seen.insert(try random.collate(samples, random: &g).targetPositions)
        }
        XCTAssertEqual(seen, [[[7, 8], [6]], [[10], [8, 9]], [[12], [11]]])
    }

    func testMultiEntityCollatorErrors() throws {
        let r = TextFixtures.reactions
        let single = try TrainingFixtures.encode(["<yield>0.5|[C][C]>>[O]", "<yield>0.5|[C]"], vocabulary: r,
                                                 language: .smiles)
        let collator = try MultiEntityCollator(vocabulary: r, properties: ["yield"], probability: 1, maxSpanLength: 7)
        var random = SeededCollatorRandom(seed: 0)
        XCTAssertThrowsError(try collator.collate(single, random: &random)) { error in
            XCTAssertTrue("\(error)".contains("at least two entities"), "\(error)")
        }
        XCTAssertThrowsError(try MultiEntityCollator(vocabulary: r, properties: ["yield"], separatorToken: "<nope>"))
        let fixed = try MultiEntityCollator(vocabulary: r, properties: ["yield"], entityToMask: 5)
        let two = try TrainingFixtures.encode(["<yield>0.5|[C].[O]>>[C]"], vocabulary: r)
        XCTAssertThrowsError(try fixed.collate(two, random: &random))
    }

    // MARK: Vanilla PLM

    func testPLMCollatorNeverMasksSpecialsOrPadding() throws {
        let samples = try chemblSamples(32)
        let collator = try PLMCollator(vocabulary: v, probability: 0.3, maxSpanLength: 4)
        var random = SeededCollatorRandom(seed: 9)
        let batch = try collator.collate(samples, random: &random)
        let protected = Set([v.specialIDs.classifier, v.specialIDs.separator, v.specialIDs.pad])
        var masked = 0
        for (k, label) in batch.labels.enumerated() where label != -100 {
            XCTAssertFalse(protected.contains(label))
            XCTAssertEqual(batch.inputIDs[k], v.specialIDs.mask)
            masked += 1
        }
        XCTAssertGreaterThan(masked, 0)
        // Properties and '|' can be masked by the vanilla collator.
        XCTAssertTrue(batch.labels.contains(v.specialIDs.expressionSeparator) || batch.labels.contains(16))
    }
}
