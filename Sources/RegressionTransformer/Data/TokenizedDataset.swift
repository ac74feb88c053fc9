import Tensors

/// What a dataset says about one property: how often it occurs, its range, and how its values are written.
/// This is what a model folder's `inference.json` records (`property_ranges`, `property_mask_length`).
public struct PropertyStatistics: Equatable, Sendable {
    /// The name without brackets (`qed`).
    public var name: String
    /// Number of samples that have the property.
    public var count: Int
    public var minimum: Double
    public var maximum: Double
    /// How many values were written in each number layout.
    public var layouts: [NumberLayout: Int]
    /// Token counts of the values in order of first appearance, with their frequencies.
    var tokenCounts: [(count: Int, samples: Int)]

    public static func == (lhs: PropertyStatistics, rhs: PropertyStatistics) -> Bool {
        lhs.name == rhs.name && lhs.count == rhs.count && lhs.minimum == rhs.minimum && lhs.maximum == rhs.maximum
            && lhs.layouts == rhs.layouts && lhs.maskLength == rhs.maskLength
    }

    /// The most frequent number of value tokens (= characters) — GT4SD's `property_mask_length`; ties go to
    /// the length seen first.
    public var maskLength: Int {
        tokenCounts.reduce((count: 0, samples: 0)) { $1.samples > $0.samples ? $1 : $0 }.count
    }

    /// The most frequent layout (ties: fewer tokens, then the pattern in alphabetical order).
    public var mostCommonLayout: NumberLayout? {
        layouts.max { a, b in
            a.value != b.value ? a.value < b.value
                : a.key.tokenCount != b.key.tokenCount ? a.key.tokenCount > b.key.tokenCount
                : a.key.description > b.key.description
        }?.key
    }

    init(name: String) {
        self.name = name
        count = 0
        minimum = .infinity
        maximum = -.infinity
        layouts = [:]
        tokenCounts = []
    }

    mutating func add(_ value: Double, layout: NumberLayout) {
        count += 1
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
        layouts[layout, default: 0] += 1
        if let k = tokenCounts.firstIndex(where: { $0.count == layout.tokenCount }) {
            tokenCounts[k].samples += 1
        } else {
            tokenCounts.append((layout.tokenCount, 1))
        }
    }
}

/// Encoded samples held compactly: all ids in one array (no strings), with offsets, plus each sample's property
/// values. A 1.6 M-molecule file takes about 4 bytes per token.
public struct TokenizedDataset: Sendable {
    /// All samples' ids, concatenated; each sample is `[CLS] … [SEP]` as `RTEncoder.encode` returns it.
    public private(set) var ids: [Int32] = []
    /// Sample `i` is `ids[offsets[i]..<offsets[i + 1]]`.
    public private(set) var offsets: [Int] = [0]
    /// Property names (without brackets) in order of first appearance.
    public private(set) var propertyNames: [String] = []
    /// Per-property statistics, parallel to `propertyNames`.
    public private(set) var statistics: [PropertyStatistics] = []
    /// Sample `i`'s values are `values[valueOffsets[i]..<valueOffsets[i + 1]]`.
    private var valueOffsets: [Int] = [0]
    private var values: [StoredValue] = []

    /// One property value of one sample, 16 bytes.
    private struct StoredValue: Sendable {
        var value: Double
        var property: Int32
        var layout: UInt32  // sign | point | integer digits | fraction digits, one byte each

        init(value: Double, property: Int, layout: NumberLayout) {
            self.value = value
            self.property = Int32(property)
            self.layout = (layout.hasSign ? 1 << 24 : 0) | (layout.hasPoint ? 1 << 16 : 0)
                | UInt32(min(layout.integerDigits, 255)) << 8 | UInt32(min(layout.fractionDigits, 255))
        }

        var numberLayout: NumberLayout {
            NumberLayout(hasSign: layout >> 24 & 1 == 1, integerDigits: Int(layout >> 8 & 0xFF),
                         fractionDigits: Int(layout & 0xFF), hasPoint: layout >> 16 & 1 == 1)!
        }
    }

    public init() {}

    /// Number of samples.
    public var count: Int { offsets.count - 1 }

    /// Total number of ids.
    public var tokenCount: Int { ids.count }

    /// The ids of sample `i`.
    public subscript(_ i: Int) -> ArraySlice<Int32> { ids[offsets[i]..<offsets[i + 1]] }

    /// The value of `property` (name without brackets) in sample `i`, if present.
    public func value(of property: String, sample i: Int) -> Double? {
        guard let p = propertyNames.firstIndex(of: property) else { return nil }
        return values[valueOffsets[i]..<valueOffsets[i + 1]].first { $0.property == Int32(p) }?.value
    }

    /// All property values of sample `i` in line order, with the layout each was written in.
    public func values(sample i: Int) -> [(name: String, value: Double, layout: NumberLayout)] {
        values[valueOffsets[i]..<valueOffsets[i + 1]].map {
            (propertyNames[Int($0.property)], $0.value, $0.numberLayout)
        }
    }

    /// The statistics of `property`, if any sample has it.
    public func statistics(of property: String) -> PropertyStatistics? { statistics.first { $0.name == property } }

    /// Appends a sample.
    public mutating func append(ids sample: some Collection<Int32>,
                                values sampleValues: [(name: String, value: Double, layout: NumberLayout)])
    {
        ids.append(contentsOf: sample)
        offsets.append(ids.count)
        for entry in sampleValues {
            let p: Int
            if let known = propertyNames.firstIndex(of: entry.name) {
                p = known
            } else {
                p = propertyNames.count
                propertyNames.append(entry.name)
                statistics.append(PropertyStatistics(name: entry.name))
            }
            values.append(StoredValue(value: entry.value, property: p, layout: entry.layout))
            statistics[p].add(entry.value, layout: entry.layout)
        }
        valueOffsets.append(values.count)
    }

    /// Appends every sample of `other`.
    public mutating func append(contentsOf other: TokenizedDataset) {
        for i in 0..<other.count { append(ids: other[i], values: other.values(sample: i)) }
    }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: some Sequence<Int>) -> TokenizedDataset {
        var result = TokenizedDataset()
        for i in indices { result.append(ids: self[i], values: values(sample: i)) }
        return result
    }

    /// A deterministic split into training and validation samples: a Fisher–Yates permutation of the sample
    /// indices drawn from `SeededGenerator(seed:)` (xoshiro256**, `j = ⌊next()·(i+1) / 2^64⌋`); the first
    /// `round(fraction·count)` indices of it form the validation set; both parts keep file order.
    public func split(validationFraction fraction: Double, seed: UInt64)
        -> (training: TokenizedDataset, validation: TokenizedDataset)
    {
        let (training, validation) = Self.splitIndices(count: count, validationFraction: fraction, seed: seed)
        return (subset(training), subset(validation))
    }

    /// The index sets of `split`.
    public static func splitIndices(count: Int, validationFraction fraction: Double, seed: UInt64)
        -> (training: [Int], validation: [Int])
    {
        var permutation = Array(0..<count)
        var generator = SeededGenerator(seed: seed)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = Int(generator.next().multipliedFullWidth(by: UInt64(i + 1)).high)
                permutation.swapAt(i, j)
            }
        }
        let validationCount = min(count, max(0, Int((Double(count) * fraction).rounded())))
        var inValidation = [Bool](repeating: false, count: count)
        for i in permutation[..<validationCount] { inValidation[i] = true }
        return ((0..<count).filter { !inValidation[$0] }, (0..<count).filter { inValidation[$0] })
    }
}
