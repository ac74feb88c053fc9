/// Splits one CSV line into fields (RFC 4180): fields separated by a delimiter, optionally enclosed in double
/// quotes with `""` for a literal quote. A quoted field may not span lines (SMILES, SELFIES and numbers never
/// contain line breaks); an unterminated quote is an error.
enum CSVRow {
    static func fields(_ line: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var i = 0
        var quoted = false
        var fieldStarted = false
        while i < line.count {
            let byte = line[i]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < line.count, line[i + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        i += 2
                        continue
                    }
                    quoted = false
                } else {
                    field.append(byte)
                }
            } else if byte == delimiter {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                fieldStarted = false
            } else if byte == UInt8(ascii: "\"") && !fieldStarted && field.isEmpty {
                quoted = true
                fieldStarted = true
            } else {
                field.append(byte)
                fieldStarted = true
            }
            i += 1
        }
        if quoted { throw CSVError.unterminatedQuote }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }

    enum CSVError: Error, CustomStringConvertible {
        case unterminatedQuote
        var description: String { "unterminated quoted field (quoted fields cannot span lines)" }
    }
}
