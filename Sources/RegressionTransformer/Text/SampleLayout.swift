/// The structure of one encoded sample, read from its ids: where its content, property blocks and sequence
/// are. Collators (which positions to mask), decoders (which positions are number slots) and evaluation
/// (reading predictions back) all start here. Works on any ids — data, masked inputs, or model output.
///
/// Positions are offsets from the start of the ids given (0 = the first id, `[CLS]` if present) — also when
/// an `ArraySlice` of a batch row is passed, so add the row's start to index the batch.
public struct SampleLayout: Equatable, Sendable {
    /// Positions of the content: after a leading `[CLS]`, up to the first `[SEP]` (or the end), without
    /// trailing `[PAD]`s (the even-length padding and any batch padding).
    public var content: Range<Int>
    /// Positions of every `|` in the content.
    public var separators: [Int]
    /// The property blocks that start with a `<name>` tag.
    public var properties: [PropertySpan]
    /// Positions of the sequence: after the last `|` to the end of the content.
    public var sequence: Range<Int>

    public init(ids: some RandomAccessCollection<Int32>, vocabulary: Vocabulary) {
        let ids = Array(ids)
        let special = vocabulary.specialIDs
        var start = 0
        if let first = ids.first, first == special.classifier { start = 1 }
        var end = ids[start...].firstIndex(of: special.separator) ?? ids.count
        while end > start, ids[end - 1] == special.pad { end -= 1 }
        content = start..<end
        separators = (start..<end).filter { ids[$0] == special.expressionSeparator }
        properties = []
        var blockStart = start
        for separator in separators {
            if blockStart < separator, let name = vocabulary.tagName(for: ids[blockStart]) {
                properties.append(PropertySpan(
                    name: name, tag: blockStart, value: blockStart + 1..<separator, separator: separator))
            }
            blockStart = separator + 1
        }
        sequence = blockStart..<end
    }

    /// The first property block named `name` (without brackets), if any.
    public func property(named name: String) -> PropertySpan? { properties.first { $0.name == name } }

    /// The sequence cut at every occurrence of `entitySeparator` (e.g. the id of `.` or `<energy>`): the
    /// position ranges of the entities, in order; separators belong to no entity. For reactions the `>>` id can
    /// be passed too, to cut precursors from products.
    public func entities(in ids: some RandomAccessCollection<Int32>, separatedBy entitySeparators: Set<Int32>)
        -> [Range<Int>]
    {
        let ids = Array(ids)
        var result: [Range<Int>] = []
        var start = sequence.lowerBound
        for position in sequence where entitySeparators.contains(ids[position]) {
            result.append(start..<position)
            start = position + 1
        }
        result.append(start..<sequence.upperBound)
        return result
    }
}
