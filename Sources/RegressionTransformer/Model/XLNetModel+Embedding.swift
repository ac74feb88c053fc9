import Tensors

/// The content-stream representation of one sequence (what `rt embed` prints).
public struct SequenceEmbedding: Sendable {
    /// `d`-dimensional mean of the final content stream over the positions that are not padding.
    public var mean: [Float]
    /// One `d`-dimensional vector per token (in input order), when asked for.
    public var hidden: [[Float]]?
}

extension XLNetModel {
    /// Embeddings of encoded sequences (`[CLS] … [SEP]` ids as `RTEncoder.encode` returns them): the final
    /// content stream of one evaluation forward — no dropout, no permutation mask, no query stream — with
    /// positions holding `padID` masked in attention as the RT's collators do (`attention_mask = id ≠ [PAD]`,
    /// which also hides the even-length `[PAD]` before `[SEP]`). `mean` averages over the other positions.
    ///
    /// Sequences are processed `batchSize` at a time, right-padded with `padID` to the longest of their batch;
    /// padding never changes the result (padded keys are masked and positions are relative).
    /// - Throws: `XLNetError.invalidInput` for empty sequences or ids outside the vocabulary.
    public func embed(_ sequences: [[Int32]], padID: Int32, perToken: Bool = false, batchSize: Int = 32) throws
        -> [SequenceEmbedding]
    {
        let d = configuration.modelDimension
        var results: [SequenceEmbedding] = []
        results.reserveCapacity(sequences.count)
        var start = 0
        while start < sequences.count {
            let chunk = sequences[start..<min(sequences.count, start + max(1, batchSize))]
            guard let longest = chunk.map(\.count).max(), longest > 0, chunk.allSatisfy({ !$0.isEmpty }) else {
                throw XLNetError.invalidInput("an empty sequence cannot be embedded")
            }
            let l = longest + longest % 2
            var ids: [Int32] = []
            ids.reserveCapacity(chunk.count * l)
            for s in chunk { ids += s + [Int32](repeating: padID, count: l - s.count) }
            let batch = try XLNetBatch(batchSize: chunk.count, length: l, ids: ids, attentionMask: ids.map { $0 != padID })
            let out = try forward(batch, tape: Tape(recording: false))
            let h = out.content.unsafePointer
            for (b, s) in chunk.enumerated() {
                var mean = [Double](repeating: 0, count: d)
                var count = 0
                for (i, id) in s.enumerated() where id != padID {
                    let row = h + (b * l + i) * d
                    for j in 0..<d { mean[j] += Double(row[j]) }
                    count += 1
                }
                let hidden = perToken ? s.indices.map { i in Array(UnsafeBufferPointer(start: h + (b * l + i) * d, count: d)) } : nil
                results.append(SequenceEmbedding(mean: mean.map { Float($0 / Double(max(count, 1))) }, hidden: hidden))
            }
            withExtendedLifetime(out.content) {}
            start += chunk.count
        }
        return results
    }
}
