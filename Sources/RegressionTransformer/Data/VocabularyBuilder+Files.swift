extension VocabularyBuilder {
    /// Counts the tokens of every record of a data file (RT lines or CSV, as `DatasetLoader` reads them).
    /// - Returns: the number of invalid records skipped (only with `options.skipsInvalidLines`).
    /// - Throws: `DatasetError` for an unusable file or (without `skipsInvalidLines`) invalid records.
    @discardableResult
    public mutating func add(_ source: LineSource, tokenizer: RTTokenizer, options: DatasetOptions = DatasetOptions())
        throws -> Int
    {
        let format = options.format ?? DatasetFormat.inferred(fromPath: source.name)
        let reader = RecordReader(source: source, format: format, csv: options.csv, conversion: options.conversion)
        var scratch: [RawToken] = []
        var errors: [DatasetLineError] = []
        var invalid = 0
        var builder = self
        try reader.forEachRecord { line, record in
            var failure: DatasetLineError?
            switch record {
            case .failure(let error):
                failure = error
            case .success(let text):
                do throws(TokenizationError) {
                    try builder.add(text, tokenizer: tokenizer, scratch: &scratch)
                } catch {
                    failure = DatasetLineError(file: source.name, line: line, reason: error.description)
                }
            }
            if let failure {
                invalid += 1
                if errors.count < options.reportedErrorLimit { errors.append(failure) }
            }
        }
        for property in reader.csvPropertyNames { builder.addProperty(property) }
        if invalid > 0 && !options.skipsInvalidLines {
            throw DatasetError(
                "\(source.name): \(invalid) invalid line\(invalid == 1 ? "" : "s") (skip them with --skip-invalid):",
                lineErrors: errors, invalidLines: invalid)
        }
        self = builder
        return invalid
    }
}
