/// A property's units: the range of the values the model was trained on (raw units) and whether the model sees them
/// min-max normalised (GT4SD's `inference.json` keys `property_ranges` and `normalize`, docs/inference.md §4).
///
/// Users give and get raw units (ARCHITECTURE.md, design decisions):
///
///     model = (raw − min) / (max − min)   if normalised,  else raw
///     raw   = model · (max − min) + min   if normalised,  else model
///
/// GT4SD additionally rounds normalised goals to 3 decimals and de-normalised predictions to 4; here a goal is
/// rounded only by the number layout it is written in, and predictions are not rounded.
public struct PropertyScale: Equatable, Sendable {
    /// The property name without brackets, e.g. `qed`.
    public var name: String
    /// The training range in raw units (nil: not recorded).
    public var range: ClosedRange<Double>?
    /// Whether the model's values are min-max normalised (needs `range`).
    public var normalize: Bool

    /// - Throws: when `normalize` is set without a range of positive width.
    public init(name: String, range: ClosedRange<Double>?, normalize: Bool) throws(InferenceError) {
        if normalize {
            guard let range, range.upperBound > range.lowerBound else {
                throw InferenceError("<\(name)> is normalised but has no training range of positive width")
            }
        }
        self.name = name
        self.range = range
        self.normalize = normalize
    }

    /// The slope and offset of model → raw (`raw = scale·model + offset`).
    public var affine: (scale: Double, offset: Double) {
        guard normalize, let range else { return (1, 0) }
        return (range.upperBound - range.lowerBound, range.lowerBound)
    }

    public func raw(fromModel value: Double) -> Double { affine.scale * value + affine.offset }

    public func model(fromRaw value: Double) -> Double { (value - affine.offset) / affine.scale }

    /// The range of the model's values: `[0, 1]` when normalised, the raw range otherwise.
    public var modelRange: ClosedRange<Double>? { normalize ? 0...1 : range }

    /// Whether a raw goal lies in the training range (true when no range is recorded).
    public func isWithinTrainingRange(_ raw: Double) -> Bool { range.map { $0.contains(raw) } ?? true }
}

/// How masked positions are filled.
public enum DecodingStrategy: Equatable, Sendable, CustomStringConvertible {
    /// The most probable allowed token at every position (the most probable well-formed number for a value).
    case greedy
    /// One draw from the allowed tokens at `temperature` (the value's grammar sampled exactly, `NumberSlot.sample`).
    case sample(temperature: Double)
    /// The `width` most probable joint assignments (`TokenSearch.best`, `NumberSlot.best`); the first is greedy.
    case beam(width: Int)

    public var description: String {
        switch self {
        case .greedy: return "greedy"
        case .sample(let t): return "sample(T=\(t))"
        case .beam(let w): return "beam(\(w))"
        }
    }
}
