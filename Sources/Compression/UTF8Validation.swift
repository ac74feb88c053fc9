/// Checking that bytes are UTF-8 text before they are treated as text, so that a damaged or binary input is
/// reported as such (with the byte and its position) instead of being read with replacement characters.
public enum UTF8Validation {
    /// The offset of the first byte that does not belong to well-formed UTF-8 (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF, no truncated sequence), or nil when all of `bytes` is UTF-8.
    /// ASCII runs cost one comparison per byte.
    public static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            // The allowed range of the second byte depends on the lead byte (Table 3-7 of the Unicode standard).
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + 1 < n, (low...high).contains(bytes[i + 1]) else { return i }
            for k in 2..<length {
                guard i + k < n, bytes[i + k] & 0xC0 == 0x80 else { return i }
            }
            i += length
        }
        return nil
    }

    /// `"not valid UTF-8 text (byte 0xFF at column 3)"` for the first invalid byte of `bytes`, or nil when they
    /// are UTF-8. Columns count bytes from 1.
    public static func problem(in bytes: UnsafeBufferPointer<UInt8>, position: String = "column") -> String? {
        guard let offset = firstInvalidByte(in: bytes) else { return nil }
        let hex = String(bytes[offset], radix: 16, uppercase: true)
        return "not valid UTF-8 text (byte 0x\(hex.count == 1 ? "0" + hex : hex) at \(position) \(offset + 1))"
    }
}
