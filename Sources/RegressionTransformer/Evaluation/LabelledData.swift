/// One sample of an evaluation file: its sequence (as written: SMILES or the model's language) and its property
/// values in raw units.
public struct LabelledSample: Equatable, Sendable {
    /// 1-based line number in the file.
    public var line: Int
    public var sequence: String
    /// Property values by name (without brackets), in file order.
    public var values: [(name: String, value: Double)]

    public func value(of name: String) -> Double? { values.first { $0.name == name }?.value }

    public static func == (a: LabelledSample, b: LabelledSample) -> Bool {
        a.line == b.line && a.sequence == b.sequence && a.values.map(\.name) == b.values.map(\.name)
            && a.values.map(\.value) == b.values.map(\.value)
    }
}

/// Reading evaluation data: RT lines (`<qed>0.41|CCO`, `<logp>1.2|<scs>3|[C][O]`), or CSV with a text column and
/// property columns (GT4SD's trainer format; values are kept as written, not rounded). Sequences are not converted:
/// prediction reads SMILES for SELFIES models itself (`SequenceFormat.auto`).
public enum LabelledData {
    /// The samples of `source`, and every line that could not be read (file:line: reason).
    /// - Throws: `DatasetError` for a file that cannot be read as a whole (a CSV without its text column …).
    public static func read(_ source: LineSource, format: DatasetFormat? = nil, csv: CSVOptions = CSVOptions(decimals: nil))
        throws -> (samples: [LabelledSample], errors: [DatasetLineError])
    {
        var csv = csv
        csv.decimals = nil
        let reader = RecordReader(source: source, format: format ?? DatasetFormat.inferred(fromPath: source.name), csv: csv)
        var samples: [LabelledSample] = []
        var errors: [DatasetLineError] = []
        try reader.forEachRecord { line, record in
            switch record {
            case .failure(let error):
                errors.append(error)
            case .success(let bytes):
                let text = String(decoding: bytes, as: UTF8.self)
                switch parse(text) {
                case .success(let (sequence, values)):
                    samples.append(LabelledSample(line: line, sequence: sequence, values: values))
                case .failure(let reason):
                    errors.append(DatasetLineError(file: source.name, line: line, reason: reason.message))
                }
            }
        }
        return (samples, errors)
    }

    /// `<a>1.5|<b>-2|SEQ` → (`SEQ`, [(a, 1.5), (b, −2)]). Values must be plain decimals.
    static func parse(_ text: String) -> Result<(String, [(name: String, value: Double)]), InferenceError> {
        var blocks = text.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingASCIIWhitespace() }
        let sequence = blocks.removeLast()
        guard !sequence.isEmpty else { return .failure(InferenceError("empty sequence")) }
        var values: [(name: String, value: Double)] = []
        for block in blocks {
            guard block.hasPrefix("<"), let close = block.firstIndex(of: ">") else {
                return .failure(InferenceError("property block '\(block)' does not start with a <name> tag"))
            }
            let name = String(block[block.index(after: block.startIndex)..<close])
            let number = String(block[block.index(after: close)...]).trimmingASCIIWhitespace()
            guard !name.isEmpty, let value = Double(number), value.isFinite else {
                return .failure(InferenceError("the value of <\(name)> is not a number: '\(number)'"))
            }
            values.append((name, value))
        }
        return .success((sequence, values))
    }
}
